#!/usr/bin/env bash
# Transcript helpers of hoku's built-in buildpacks (written into each one as lib/output.sh).
# The shapes are Heroku's: "-----> " opens a step, details are indented 7 spaces, and
# warnings and errors are " !     " lines on stderr, which the pusher sees as well.

output::step() {
  echo "-----> $*"
}

output::info() {
  echo "       $*"
}

# Indents every line of its input, as it comes (a long npm install shows its lines live).
output::indent() {
  sed -u 's/^/       /'
}

# Prints its input (a heredoc) as a warning block: the build goes on.
output::warning() {
  echo >&2
  sed -u 's/^/ !     /' >&2
  echo >&2
}

# Prints its input (a heredoc) as an error block; the caller then exits non-zero.
output::error() {
  echo >&2
  sed -u 's/^/ !     /' >&2
  echo >&2
}
