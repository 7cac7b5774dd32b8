#!/usr/bin/env bash
# A virtual environment is not relocatable as pip leaves it: its scripts start with
# `#!<build dir>/.heroku/python/bin/python`, and the build dir is gone once the slug runs at
# /app or in place. These rewrites make it run from wherever the slug is.

# relocate::scripts VENV: each script with an absolute python shebang gets the shell
# trampoline pip's own launcher uses for long paths (and uv for relocatable environments):
# sh runs the python beside the script, which then reads the script itself.
relocate::scripts() {
  local venv=$1 script first
  for script in "$venv"/bin/*; do
    [[ -f $script && ! -L $script ]] || continue
    IFS= read -r first <"$script" || continue
    [[ $first == "#!$venv/bin/python"* ]] || continue
    {
      echo '#!/bin/sh'
      echo "'''exec' \"\$(dirname -- \"\$(realpath -- \"\$0\")\")/python\" \"\$0\" \"\$@\""
      echo "' '''"
      tail -n +2 "$script"
    } >"$script.relocated"
    chmod --reference="$script" "$script.relocated" 2>/dev/null || chmod 755 "$script.relocated"
    mv "$script.relocated" "$script"
  done
  # activate names the folder absolutely; from $HOME it is right at /app and in place. The
  # csh, fish and PowerShell ones cannot say $HOME the same way, and no dyno shell uses them.
  [[ -f $venv/bin/activate ]] && sed -i "s#$venv#\$HOME/.heroku/python#g" "$venv/bin/activate"
  rm -f "$venv/bin/activate.csh" "$venv/bin/activate.fish" "$venv/bin/Activate.ps1"
  # pyvenv.cfg's `command` line only records how it was made, with the build dir in it.
  sed -i '/^command = /d' "$venv/pyvenv.cfg"
}

# relocate::record_prefix VENV BUILD_DIR: when editable installs wrote BUILD_DIR into
# site-packages, notes it for the profile script, which rewrites them where the slug runs.
relocate::record_prefix() {
  local venv=$1 build_dir=$2
  if grep -rlsF "$build_dir" --include='*.pth' --include='*.egg-link' --include='__editable___*_finder.py' "$venv"/lib/python*/site-packages/ >/dev/null; then
    echo "$build_dir" >"$venv/.prefix"
  fi
}

# relocate::bytecode PYTHON VENV: compiles site-packages as pip would, but with the source paths
# tracebacks name at /app (Heroku's location; a sandboxed dyno's too) instead of the build dir.
relocate::bytecode() {
  "$1" -m compileall -q -j 0 -s "$2" -p /app/.heroku/python "$2"/lib >/dev/null || true
}
