#!/usr/bin/env bash
# Node.js for the build and the slug: the host's. Heroku downloads the version engines.node asks
# for from nodejs.org; hoku builds offline, so it links the host's node, npm and npx into
# .heroku/node/bin (the slug's layout stays Heroku's) and warns when engines.node asks for
# another version. The links point at the host's files, so the slug runs where they are.

# runtime::require_node: stops the build, saying what to do, when the host has no node.
runtime::require_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    output::error <<-MSG
		No node or npm on this machine's PATH.
		hoku builds Node.js apps with the host's Node.js (it cannot download one offline):
		install Node.js (https://nodejs.org, or your package manager) and push again.
		MSG
    exit 1
  fi
}

# runtime::link_host_node DIR: links the host's node, npm and npx into DIR/bin.
runtime::link_host_node() {
  local dir=$1 tool path
  mkdir -p "$dir/bin"
  for tool in node npm npx; do
    path=$(command -v "$tool") || continue
    ln -sfn "$(readlink -f "$path")" "$dir/bin/$tool"
  done
}

# runtime::satisfies VERSION RANGE: semver's answer (npm's own copy); status 2 if it cannot tell.
runtime::satisfies() {
  local npm_dir
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")") || return 2
  node -e '
    let semver;
    try { semver = require(process.argv[1]); } catch { process.exit(2); }
    if (!semver.validRange(process.argv[3])) process.exit(2);
    process.exit(semver.satisfies(process.argv[2], process.argv[3]) ? 0 : 1);
  ' "$npm_dir/node_modules/semver" "$1" "$2"
}

# runtime::check_engine WHAT VERSION RANGE: a warning when the host's VERSION is not what
# package.json's engines.WHAT asks for (the build goes on with the host's).
runtime::check_engine() {
  local what=$1 version=$2 range=$3 status=0
  [[ -n $range ]] || return 0
  runtime::satisfies "$version" "$range" || status=$?
  if [[ $status -eq 1 ]]; then
    output::warning <<-MSG
		engines.$what in package.json asks for "$range", but this build uses the host's $what $version.
		hoku builds offline with the toolchain installed on this machine. To match Heroku,
		install a $what that satisfies "$range" here, or change engines.$what.
		MSG
  elif [[ $status -eq 2 ]]; then
    output::info "(hoku could not check \"$range\" against $what $version)"
  fi
}
