#!/usr/bin/env bash
# The app's package manager, chosen by its lockfile as Heroku does: yarn.lock -> yarn,
# pnpm-lock.yaml -> pnpm, else npm. yarn and pnpm are the host's when it has them, else
# corepack's (which fetches them from the npm registry, reachable offline).

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

# package_manager::provide PM BIN_DIR: makes yarn or pnpm runnable from BIN_DIR.
package_manager::provide() {
  local pm=$1 bin_dir=$2
  [[ $pm == npm ]] && return 0
  if command -v "$pm" >/dev/null; then
    ln -sfn "$(readlink -f "$(command -v "$pm")")" "$bin_dir/$pm"
  elif command -v corepack >/dev/null; then
    corepack enable --install-directory "$bin_dir" "$pm"
  else
    output::error <<-MSG
		This app uses $pm (its lockfile says so), but neither $pm nor corepack is on this machine.
		Install $pm (npm install --global $pm) or a Node.js that ships corepack, and push again.
		MSG
    exit 1
  fi
  output::info "Using $pm $("$bin_dir/$pm" --version)"
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

# package_manager::read_scripts: reads package.json's script names once (a node start each
# time would cost a re-push ~50 ms per question).
package_manager::read_scripts() {
  PACKAGE_SCRIPTS=" $(node -e 'const s = require(process.argv[1]).scripts || {}; console.log(Object.keys(s).filter((k) => typeof s[k] === "string").join(" "))' "$PWD/package.json") "
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
    npm) npm prune --omit=dev --no-audit --no-fund 2>&1 | output::indent ;;
    yarn)
      if [[ -f .yarnrc.yml ]]; then yarn workspaces focus --all --production 2>&1 | output::indent
      else yarn install --frozen-lockfile --production=true --ignore-scripts --prefer-offline 2>&1 | output::indent; fi
      ;;
    pnpm) pnpm prune --prod 2>&1 | output::indent ;;
  esac
}
