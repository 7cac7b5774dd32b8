#!/bin/sh
# Entrypoint of hoku-test/redis:7 (installed as /usr/local/bin/docker-entrypoint.sh).
# Like the official `redis` image: CMD is `redis-server`; extra arguments are
# redis options (`docker run IMAGE --requirepass x`, or Testcontainers'
# `redis-server "--requirepass x"`); a first argument ending in .conf is a
# config file. Without a config file the server runs as
#   redis-server --bind 0.0.0.0 --protected-mode no --port 6379 --dir /data ARGS...
# (later options override earlier ones). It runs as the redis user, as PID 1,
# so SIGTERM (docker stop) reaches it; data lives in /data.
set -e

# First arg is `--some-option` or a .conf file: it is for redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  mkdir -p /data
  find /data \! -user redis -exec chown redis:redis '{}' +
  # Re-run this script as the redis user (setpriv execs: no extra process).
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = redis-server ]; then
  shift
  umask 0077
  case "${1:-}" in
    -v | --version | -h | --help | --test-memory | --check-system) set -- redis-server "$@" ;;
    "" | -*) set -- redis-server --bind 0.0.0.0 --protected-mode no --port 6379 --dir /data "$@" ;;
    *) set -- redis-server "$@" ;; # a config file: it decides bind/port/dir
  esac
fi

exec "$@"
