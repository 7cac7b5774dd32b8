#!/usr/bin/env bash
# The app's package manager, chosen by its lockfile as Heroku does: yarn.lock -> yarn,
# pnpm-lock.yaml -> pnpm, else npm. yarn and pnpm are the version package.json asks for,
# installed from the npm registry (reachable offline) into the slug, as Heroku installs them.

# package_manager::choose BUILD_DIR: prints npm, yarn or pnpm; fails on two lockfiles.
package_manager::choose() {
  local dir=$1 found=()
  [[ -f $dir/yarn.lock ]] && found+=(yarn.lock)
  [[ -f $dir/pnpm-lock.yaml ]] && found+=(pnpm-lock.yaml)
  [[ -f $dir/package-lock.json ]] && found+=(package-lock.json)
  if [[ ${#found[@]} -gt 1 ]]; then
    output::error <<-MSG
		Multiple lockfiles found: ${found[*]}
		Heroku (and hoku) cannot tell which package manager to use.
		Keep the lockfile of the one you use and delete the others, then push again.
		MSG
    exit 1
  fi
  case "${found[0]:-}" in
    yarn.lock) echo yarn ;;
    pnpm-lock.yaml) echo pnpm ;;
    *) echo npm ;;
  esac
}

# package_manager::lockfile PM: the file whose content decides the installed tree.
package_manager::lockfile() {
  case "$1" in
    yarn) echo yarn.lock ;;
    pnpm) echo pnpm-lock.yaml ;;
    *) if [[ -f npm-shrinkwrap.json ]]; then echo npm-shrinkwrap.json; else echo package-lock.json; fi ;;
  esac
}

# package_manager::spec PM: the version package.json asks for (packageManager, then
# engines.PM), else Heroku's default: yarn 1 for a yarn.lock of Yarn 1's format, the latest
# yarn for a newer one, the latest pnpm.
package_manager::spec() {
  local pm=$1 spec
  spec=$(node -e '
    const pkg = require(process.argv[1]), pm = process.argv[2];
    const field = typeof pkg.packageManager === "string" && pkg.packageManager.startsWith(pm + "@") ? pkg.packageManager : "";
    console.log(field ? field.slice(pm.length + 1).split("+")[0] : (pkg.engines && pkg.engines[pm]) || "");
  ' "$PWD/package.json" "$pm")
  if [[ -n $spec ]]; then echo "$spec"
  elif [[ $pm == yarn ]] && ! grep -q '^__metadata:' yarn.lock 2>/dev/null; then echo 1
  else echo latest; fi
}

# package_manager::provide PM DIR: installs yarn or pnpm into DIR (.heroku/yarn, .heroku/pnpm) with
# npm, from the npm registry, as Heroku does; the install is kept in CACHE_DIR per version.
# Sets PM_VERSION, the version of PM the build uses.
package_manager::provide() {
  local pm=$1 dir=$2 spec package version key
  if [[ $pm == npm ]]; then
    PM_VERSION=$NPM_VERSION
    return 0
  fi
  spec=$(package_manager::spec "$pm")
  package=$pm
  # Yarn 2 and later are published as @yarnpkg/cli-dist; the `yarn` package is Yarn 1.
  [[ $pm == yarn && $spec =~ ^[~^=v]?([2-9]|[1-9][0-9]) ]] && package=@yarnpkg/cli-dist
  # A range or tag (1, ^9, latest) is resolved first, so the cache holds one exact version.
  if [[ ! $spec =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
    spec=$(npm view "$package@$spec" version --json 2>/dev/null | node -e '
      let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
        // npm lists a range'"'"'s versions in publish order: take the highest.
        const parts = (v) => v.split(/[.+-]/).slice(0, 3).map(Number);
        const newer = (a, b) => { const [x, y] = [parts(a), parts(b)]; for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i] ? a : b; return a; };
        try { const v = JSON.parse(text); console.log(Array.isArray(v) ? v.reduce(newer) : v); } catch { console.log(process.argv[1]); }
      });' "$spec") || true
  fi
  key=$(tree_cache::key -- "$package@$spec" "v$NODE_VERSION")
  if tree_cache::restore "node/$pm" "$key" "$dir"; then
    output::info "Using $pm $spec (cached)"
  else
    output::info "Installing $pm $spec from the npm registry"
    rm -rf "$dir"
    if ! npm install --global --prefix "$dir" --no-audit --no-fund --loglevel=error "$package@$spec" 2>&1 | output::indent; then
      output::error <<-MSG
		Could not install $pm $spec from the npm registry ($package@$spec).
		Check that package.json's packageManager or engines.$pm names a published version,
		and that the registry is reachable.
		MSG
      exit 1
    fi
    tree_cache::save "node/$pm" "$key" "$dir"
  fi
  export PATH="$dir/bin:$PATH"
  if ! version=$("$pm" --version 2>&1); then
    output::error <<<"$pm does not run: $version"
    exit 1
  fi
  output::info "$pm $version installed"
  PM_VERSION=$version
}

# package_manager::install PM: installs every dependency, devDependencies too (the build may need
# them; they are pruned after it), exactly per the lockfile when there is one.
package_manager::install() {
  local dev=(--include=dev)
  [[ ${NPM_CONFIG_PRODUCTION:-} == true ]] && dev=(--omit=dev)
  case "$1" in
    npm)
      if [[ -f package-lock.json || -f npm-shrinkwrap.json ]]; then
        output::info "Installing node modules (package.json + package-lock)"
        npm ci "${dev[@]}" --no-audit --no-fund 2>&1 | output::indent
      else
        output::info "Installing node modules (package.json)"
        npm install "${dev[@]}" --no-audit --no-fund 2>&1 | output::indent
      fi
      ;;
    yarn)
      output::info "Installing node modules (yarn.lock)"
      if [[ -f .yarnrc.yml ]]; then yarn install --immutable 2>&1 | output::indent
      else yarn install --frozen-lockfile --production=false 2>&1 | output::indent; fi
      ;;
    pnpm)
      output::info "Installing node modules (pnpm-lock.yaml)"
      pnpm install --frozen-lockfile --prod=false 2>&1 | output::indent
      ;;
  esac
}

# package_manager::read_package: what the build asks of package.json and of the host's node and
# npm, read with one node start (each costs ~100 ms): PACKAGE_SCRIPTS (script names), ENGINE_NODE,
# ENGINE_NPM, HAS_DEV_DEPENDENCIES (true/false), NODE_VERSION (without the v) and NPM_VERSION.
package_manager::read_package() {
  local npm_dir
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  {
    IFS= read -r -d '' PACKAGE_SCRIPTS
    IFS= read -r -d '' ENGINE_NODE
    IFS= read -r -d '' ENGINE_NPM
    IFS= read -r -d '' HAS_DEV_DEPENDENCIES
    IFS= read -r -d '' NODE_VERSION
    IFS= read -r -d '' NPM_VERSION
  } < <(node -e '
    const pkg = require(process.argv[1]), scripts = pkg.scripts || {}, engines = pkg.engines || {};
    const text = (v) => (typeof v === "string" ? v : "");
    let npm = "";
    try { npm = require(process.argv[2] + "/package.json").version; } catch {}
    const names = Object.keys(scripts).filter((k) => typeof scripts[k] === "string");
    const dev = Object.keys(pkg.devDependencies || {}).length > 0;
    for (const v of [` ${names.join(" ")} `, text(engines.node), text(engines.npm), dev, process.version.slice(1), npm]) process.stdout.write(`${v}\0`);
  ' "$PWD/package.json" "$npm_dir")
  [[ -n $NPM_VERSION ]] || NPM_VERSION=$(npm --version)
}

# package_manager::has_script NAME: whether package.json's scripts has NAME.
package_manager::has_script() {
  [[ $PACKAGE_SCRIPTS == *" $1 "* ]]
}

# package_manager::run PM SCRIPT: runs a package.json script, its output indented.
package_manager::run() {
  output::info "Running $2"
  "$1" run "$2" 2>&1 | output::indent
}

# package_manager::prune PM: removes devDependencies from node_modules (NODE_ENV=production only).
package_manager::prune() {
  if [[ $NODE_ENV != production ]]; then
    output::info "Skipping because NODE_ENV is not 'production'"
    return 0
  elif [[ -n ${NPM_CONFIG_PRODUCTION:-} ]]; then
    output::info "Skipping because NPM_CONFIG_PRODUCTION is '$NPM_CONFIG_PRODUCTION'"
    return 0
  fi
  case "$1" in
    npm)
      if [[ $HAS_DEV_DEPENDENCIES != true ]]; then
        output::info "Skipping because package.json declares no devDependencies"
        return 0
      fi
      npm prune --omit=dev --no-audit --no-fund 2>&1 | output::indent
      ;;
    yarn)
      if [[ -f .yarnrc.yml ]]; then yarn workspaces focus --all --production 2>&1 | output::indent
      else yarn install --frozen-lockfile --production=true --ignore-scripts --prefer-offline 2>&1 | output::indent; fi
      ;;
    pnpm) pnpm prune --prod 2>&1 | output::indent ;;
  esac
}
