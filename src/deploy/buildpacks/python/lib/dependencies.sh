#!/usr/bin/env bash
# What the app's dependencies are and how pip installs them into the slug's virtual environment.
# requirements.txt is Heroku's pip path; a Pipfile.lock's default packages are turned into
# requirements; a pyproject.toml or setup.py project is installed with `pip install .`.

# dependencies::source: requirements, pipfile, project or none.
dependencies::source() {
  if [[ -f requirements.txt ]]; then echo requirements
  elif [[ -f Pipfile.lock ]]; then echo pipfile
  elif [[ -f pyproject.toml || -f setup.py ]]; then echo project
  else echo none; fi
}

# dependencies::pinned_only: whether requirements.txt names only packages (no -r, -e, local
# paths or URLs), so an unchanged file means an unchanged install.
dependencies::pinned_only() {
  ! grep -Eq '^\s*(-|\.|/|[^#]*(@|://))' requirements.txt
}

# dependencies::pipfile_requirements OUT: Pipfile.lock's default packages as requirement lines.
dependencies::pipfile_requirements() {
  "$PYTHON" - "$1" <<'PY'
import json, sys
lock = json.load(open("Pipfile.lock"))
with open(sys.argv[1], "w") as out:
    for name, spec in lock.get("default", {}).items():
        if "version" in spec:
            out.write(f"{name}{spec['version']}{'; ' + spec['markers'] if 'markers' in spec else ''}\n")
        elif "git" in spec:
            out.write(f"{name} @ git+{spec['git']}{'@' + spec['ref'] if 'ref' in spec else ''}\n")
PY
}

# dependencies::pip ARGS...: pip for the virtual environment at .heroku/python. The host's pip
# drives it (--python) when it can, so the slug carries no copy of pip it would not use.
dependencies::pip() {
  # Offline, pip would retry an index it cannot reach five times per package, with backoff
  # (a minute for a small app) before it looks at the next one: once is enough, unless the
  # user's PIP_RETRIES says otherwise.
  local pip_args=(--disable-pip-version-check --no-input --retries "${PIP_RETRIES:-1}")
  if "$PYTHON" -m pip --version >/dev/null 2>&1 && "$PYTHON" -m pip --python "$VENV/bin/python" --version >/dev/null 2>&1; then
    "$PYTHON" -m pip --python "$VENV/bin/python" "${pip_args[@]}" "$@"
  else
    [[ -x $VENV/bin/pip ]] || "$VENV/bin/python" -m ensurepip --default-pip >/dev/null
    "$VENV/bin/python" -m pip "${pip_args[@]}" "$@"
  fi
}

# dependencies::install SOURCE: runs pip for SOURCE, its output indented.
dependencies::install() {
  # --no-compile: relocate::bytecode compiles afterwards, with the paths the slug runs at.
  local args=(install --progress-bar off --exists-action=w --no-warn-script-location --no-compile --src "$VENV/src")
  case "$1" in
    requirements)
      output::step "Installing dependencies using 'pip install -r requirements.txt'"
      dependencies::pip "${args[@]}" -r requirements.txt 2>&1 | output::indent ;;
    pipfile)
      output::step "Installing dependencies from Pipfile.lock using pip"
      dependencies::pipfile_requirements "$TMPDIR_BUILD/requirements.txt"
      dependencies::pip "${args[@]}" -r "$TMPDIR_BUILD/requirements.txt" 2>&1 | output::indent ;;
    project)
      output::step "Installing the project and its dependencies using 'pip install .'"
      [[ -f poetry.lock || -f uv.lock || -f pdm.lock ]] && output::warning <<-MSG
		hoku installs this project with pip, which does not read poetry.lock, uv.lock or pdm.lock:
		dependency versions come from pyproject.toml's ranges. Export a requirements.txt
		(poetry export / uv export / pdm export) to pin them as your lockfile does.
		MSG
      dependencies::pip "${args[@]}" . 2>&1 | output::indent ;;
    none)
      output::step "No requirements.txt, Pipfile.lock or pyproject.toml: no dependencies to install" ;;
  esac
}
