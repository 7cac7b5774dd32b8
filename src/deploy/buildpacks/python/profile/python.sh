# Written into the slug as .profile.d/python.sh. The slug's Python is a virtual environment of
# the host's interpreter in .heroku/python, so its bin comes first on PATH; PYTHONHOME is not
# set (Heroku sets it for its own build of Python; it would break a virtual environment).
export PATH="$HOME/.heroku/python/bin:$PATH"
export PYTHONUNBUFFERED=true
export LANG=${LANG:-en_US.UTF-8}
export PYTHONPATH=${PYTHONPATH:-$HOME}

# Editable installs record absolute paths; the build wrote where it ran to .heroku/python/.prefix.
# Like Heroku's own profile script, point them at where the slug is now, once per move.
if [ -f "$HOME/.heroku/python/.prefix" ] && [ "$(cat "$HOME/.heroku/python/.prefix")" != "$HOME" ]; then
  find "$HOME"/.heroku/python/lib/python*/site-packages/ -type f \( -name '*.egg-link' -o -name '*.pth' -o -name '__editable___*_finder.py' \) \
    -exec sed -i -e "s#$(cat "$HOME/.heroku/python/.prefix")#$HOME#g" {} + 2>/dev/null
  echo "$HOME" >"$HOME/.heroku/python/.prefix" 2>/dev/null
fi
