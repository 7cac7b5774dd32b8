#!/usr/bin/env bash
# Makes a Docker engine and hoku's test images available on this machine:
#   1. installs Debian's docker.io and debootstrap if missing,
#   2. starts /usr/sbin/dockerd in the background if `docker info` fails
#      (log: /tmp/dockerd.log),
#   3. builds hoku-test/postgres:15 and hoku-test/redis:7 (test/images/build.sh;
#      skipped when the tags exist),
#   4. checks that a port published on 127.0.0.1 reaches a container.
# Idempotent: safe to run again. Exits non-zero with a message on failure.
#
# dockerd runs with --iptables=false --ip-forward=false --ip=127.0.0.1:
#  - published ports are served by docker-proxy on the host (it is what serves
#    127.0.0.1 in every mode), so no NAT rules are needed, and the host's
#    firewall is left alone (docker's iptables mode sets FORWARD to DROP,
#    which would break network-namespace tests that route through the host);
#  - `-p 0:5432` (no host address) publishes on 127.0.0.1 only.
# HOKU_DOCKERD_FLAGS replaces these flags; HOKU_DOCKERD_LOG moves the log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DOCKERD_LOG="${HOKU_DOCKERD_LOG:-/tmp/dockerd.log}"
DOCKERD_FLAGS="${HOKU_DOCKERD_FLAGS:---iptables=false --ip-forward=false --ip=127.0.0.1}"

say() { printf '[docker.sh] %s\n' "$*" >&2; }
die() { printf '[docker.sh] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

# --- 1. packages ----------------------------------------------------------------
missing=()
[ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  # Keep the packages' postinst from starting dockerd with its default flags.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
    >/tmp/docker-apt.log 2>&1 || rc=$?
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -n 20 /tmp/docker-apt.log >&2; die "apt-get install ${missing[*]} failed (log: /tmp/docker-apt.log)"; }
fi
command -v docker >/dev/null || die "no docker client after installing docker.io"

# --- 2. engine ------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
  say "Docker engine already running"
else
  say "starting dockerd $DOCKERD_FLAGS (log: $DOCKERD_LOG)"
  # setsid + no inherited stdio: dockerd outlives this script and the CI step.
  # shellcheck disable=SC2086
  setsid /usr/sbin/dockerd $DOCKERD_FLAGS </dev/null >"$DOCKERD_LOG" 2>&1 &
  pid=$!
  up=0
  for _ in $(seq 1 120); do # 120 x 0.5 s = 60 s
    if docker info >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ "$up" != 1 ]; then
    say "last lines of $DOCKERD_LOG:"
    tail -n 25 "$DOCKERD_LOG" >&2 || true
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    die "the Docker engine could not be started (dockerd $DOCKERD_FLAGS); see $DOCKERD_LOG"
  fi
  say "Docker engine up (dockerd pid $pid)"
fi

# --- 3. images ------------------------------------------------------------------
bash test/images/build.sh

# --- 4. published ports reach containers ------------------------------------------
cid=$(docker run -d --rm -p 127.0.0.1:0:6379 hoku-test/redis:7) || die "docker run hoku-test/redis:7 failed"
trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
port="$(docker port "$cid" 6379/tcp | head -n 1 | sed 's/.*://')"
[ -n "$port" ] || die "no published port for the check container"
reply=""
for _ in $(seq 1 50); do
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  reply="$(timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&3 && head -c 5 <&3' _ "$port" 2>/dev/null || true)"
  [ "$reply" = "+PONG" ] && break
  sleep 0.2
done
[ "$reply" = "+PONG" ] || die "a container port published on 127.0.0.1:$port did not answer (got '${reply}')"
say "ok: engine $(docker version -f '{{.Server.Version}}' 2>/dev/null), images hoku-test/postgres:15 hoku-test/redis:7, 127.0.0.1 port publishing works"
