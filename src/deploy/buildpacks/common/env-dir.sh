#!/usr/bin/env bash
# The app's config vars reach bin/compile as files in ENV_DIR, one per var, and are not in the
# environment (Heroku's buildpack API). Heroku's own buildpacks export them, except the few
# that would break the build itself; hoku's built-ins do the same (written into each one as
# lib/env-dir.sh).

env_dir::export() {
  local env_dir=$1 name
  local denied='^(PATH|GIT_DIR|CPATH|CPPATH|LD_PRELOAD|LIBRARY_PATH|LANG|BUILD_DIR)$'
  [[ -d $env_dir ]] || return 0
  for file in "$env_dir"/*; do
    [[ -f $file ]] || continue
    name=$(basename "$file")
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [[ $name =~ $denied ]] && continue
    export "$name=$(cat "$file")"
  done
}
