#!/usr/bin/env bash
# Python for the build and the slug: the host's interpreter. Heroku downloads the version the
# app asks for; hoku builds offline, so it looks for that version among the host's interpreters
# (python3.12 on PATH, or pyenv's choice from .python-version, since the lookup runs in the app's
# folder) and otherwise uses python3 with a warning.

# runtime::requested BUILD_DIR: the version the app asks for ("3.12", "3.12.1") and where, tab-separated.
runtime::requested() {
  local line
  if [[ -f $1/.python-version ]]; then
    line=$(grep -v '^\s*#' "$1/.python-version" | grep -m1 -v '^\s*$' | tr -d '[:space:]' || true)
    [[ -n $line ]] && printf '%s\t%s\n' "$line" ".python-version" && return 0
  fi
  if [[ -f $1/runtime.txt ]]; then
    line=$(tr -d '[:space:]' <"$1/runtime.txt")
    [[ -n $line ]] && printf '%s\t%s\n' "${line#python-}" "runtime.txt" && return 0
  fi
  printf '\t\n'
}

# runtime::probe CMD: "<real interpreter path> <x.y.z>" if CMD runs, else nothing.
runtime::probe() {
  command -v "$1" >/dev/null || return 1
  "$1" -c 'import os, sys; print(os.path.realpath(sys.executable), "%d.%d.%d" % sys.version_info[:3])' 2>/dev/null
}

# runtime::find REQUESTED: the best host interpreter for REQUESTED (any when empty).
runtime::find() {
  local requested=$1 minor found
  minor=$(cut -d. -f1-2 <<<"$requested")
  for candidate in ${minor:+"python$minor"} python3 python; do
    found=$(runtime::probe "$candidate") || continue
    [[ -z $requested || ${found#* } == "$requested" || ${found#* } == "$requested".* ]] && { echo "$found"; return 0; }
    [[ -z ${fallback:-} ]] && fallback=$found
  done
  [[ -n ${fallback:-} ]] && echo "$fallback"
}
