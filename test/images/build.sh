#!/usr/bin/env bash
# Builds the Docker images hoku's add-on tests run, from Debian packages only
# (no registry pull): a debootstrap'd bookworm rootfs plus apt-get, imported
# with `docker import`.
#
#   hoku-test/postgres:15   Debian's postgresql-15, official-image entrypoint contract
#   hoku-test/redis:7       Debian's redis-server (7.0)
#
# Idempotent: an image whose tag already exists is skipped unless FORCE=1 or
# its recipe changed (label org.hoku.test-image.recipe = hash of this script and
# the image's entrypoint, so editing them rebuilds on the next run).
# The shared base rootfs is cached in $HOKU_IMAGES_CACHE (default
# /var/cache/hoku-test-images) and reused; FORCE_BASE=1 rebuilds it.
# MIRROR=<url> overrides the Debian mirror read from the machine's apt sources.
# Needs root, a running Docker engine, debootstrap and chroot.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUITE=bookworm
CACHE="${HOKU_IMAGES_CACHE:-/var/cache/hoku-test-images}"
BASE="$CACHE/base-$SUITE"
BASE_VERSION=1 # bump when build_base changes: a cached base of another version is rebuilt
FORCE="${FORCE:-0}"
FORCE_BASE="${FORCE_BASE:-0}"

PG_TAG="hoku-test/postgres:15"
REDIS_TAG="hoku-test/redis:7"

log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"
command -v docker >/dev/null || die "docker client not found"
command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
docker info >/dev/null 2>&1 || die "Docker engine not reachable (run .ci/docker.sh)"

RECIPE_LABEL=org.hoku.test-image.recipe
recipe_hash() {
  local entry
  case "$1" in
    "$PG_TAG") entry="$HERE/postgres-entrypoint.sh" ;;
    "$REDIS_TAG") entry="$HERE/redis-entrypoint.sh" ;;
  esac
  cat "$HERE/build.sh" "$entry" | sha256sum | cut -c1-16
}
# The tag exists and was built from the current recipe.
image_current() {
  local have
  have="$(docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null)" || return 1
  [ "$have" = "$(recipe_hash "$1")" ]
}

need=()
for tag in "$PG_TAG" "$REDIS_TAG"; do
  if [ "$FORCE" = 1 ] || ! image_current "$tag"; then need+=("$tag"); fi
done
if [ ${#need[@]} -eq 0 ]; then
  log "images up to date: $PG_TAG $REDIS_TAG (FORCE=1 rebuilds)"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time on this machine (CI and a developer may both call this).
exec 9>"$CACHE/.lock"
flock 9
# Re-check after waiting for the lock: another build may have just made them.
if [ "$FORCE" != 1 ]; then
  still=()
  for tag in "${need[@]}"; do image_current "$tag" || still+=("$tag"); done
  if [ ${#still[@]} -eq 0 ]; then log "images built by a concurrent run"; exit 0; fi
  need=("${still[@]}")
fi

# --- apt sources of this machine --------------------------------------------
# Prints "URI SUITE" for every enabled `deb` entry whose components include
# main, from one-line (sources.list) and deb822 (*.sources) files.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '
      /^[ \t]*deb[ \t]/ {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        uri = $i; suite = $(i+1)
        for (j = i+2; j <= NF; j++) if ($j == "main") { print uri, suite; break }
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush(   n, u, s, a, b, k, l) {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && comps ~ /(^|[ \t])main([ \t]|$)/ && tolower(enabled) != "no") {
          n = split(uris, a, /[ \t]+/); k = split(suites, b, /[ \t]+/)
          for (u = 1; u <= n; u++) for (l = 1; l <= k; l++) if (a[u] != "" && b[l] != "") print a[u], b[l]
        }
        types = uris = suites = comps = enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:.*/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "components") comps = val
        else if (key == "enabled") enabled = val
      }
      END { flush() }' "$f"
  done
}

SOURCES="$(apt_sources | awk '!seen[$0]++')"
if [ -z "${MIRROR:-}" ]; then
  MIRROR="$(printf '%s\n' "$SOURCES" | awk -v s="$SUITE" '$2 == s && $1 ~ /^https?:/ { print $1; exit }')"
fi
[ -n "$MIRROR" ] || die "no 'deb <mirror> $SUITE main' entry in /etc/apt/sources.list{,.d/*.sources,.d/*.list}; set MIRROR=<url>"
# The chroot gets the same Debian suites as the host (bookworm, -updates,
# -security), so it installs the same package versions.
CHROOT_SOURCES="$(printf '%s\n' "$SOURCES" | awk -v s="$SUITE" '
  ($2 == s || $2 == s "-updates" || $2 == s "-security") && $1 ~ /^https?:/ { print "deb " $1 " " $2 " main" }')"
log "mirror: $MIRROR"

# --- chroot helpers -----------------------------------------------------------
MOUNTED=()
chroot_mount() {
  local root="$1"
  mount -t proc proc "$root/proc"; MOUNTED+=("$root/proc")
  if [ ! -e "$root/dev/null" ]; then
    mount --bind /dev "$root/dev"; MOUNTED+=("$root/dev")
  fi
}
chroot_umount() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTED[$i]}" 2>/dev/null || true; done
  MOUNTED=()
}
TMPDIRS=()
cleanup() {
  chroot_umount
  local d
  for d in "${TMPDIRS[@]}"; do rm -rf --one-file-system "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_chroot() {
  local root="$1"; shift
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive HOME=/root "$@"
}

# Drops what an image does not need: docs, man pages, apt lists and caches.
slim() {
  local root="$1"
  in_chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/debconf/*-old \
    "$root"/var/log/apt/* "$root"/var/log/dpkg.log "$root"/var/log/alternatives.log \
    "$root"/var/cache/ldconfig/aux-cache "$root"/tmp/* "$root"/root/.bash_history
  find "$root"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$root"/usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian "$root"/usr/share/linda
  find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 -not -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
}

# --- shared base rootfs (debootstrap is the slow part: done once) -------------
build_base() {
  local tmp="$BASE.tmp"
  rm -rf --one-file-system "$tmp" "$BASE"
  TMPDIRS+=("$tmp")
  log "debootstrap --variant=minbase $SUITE from $MIRROR (about 30 s here)"
  local t0=$SECONDS
  debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  log "debootstrap done in $((SECONDS - t0)) s"

  # No docs/man/locales from now on, no recommends, no service starts in the chroot.
  cat >"$tmp/etc/dpkg/dpkg.cfg.d/01-hoku-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOF
  cat >"$tmp/etc/apt/apt.conf.d/01-hoku" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  printf '%s\n' "$CHROOT_SOURCES" >"$tmp/etc/apt/sources.list"
  cp -L /etc/resolv.conf "$tmp/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"; chmod 755 "$tmp/usr/sbin/policy-rc.d"

  chroot_mount "$tmp"
  in_chroot "$tmp" apt-get update -qq
  in_chroot "$tmp" apt-get -y -qq -o Dpkg::Use-Pty=0 upgrade >"$CACHE/apt-upgrade.log" 2>&1 ||
    { tail -n 30 "$CACHE/apt-upgrade.log" >&2; die "apt-get upgrade in the base rootfs failed"; }
  chroot_umount
  slim "$tmp"
  mv "$tmp" "$BASE"
  echo "$BASE_VERSION" >"$BASE/.hoku-base-complete"
}

if [ "$FORCE_BASE" = 1 ] || [ "$(cat "$BASE/.hoku-base-complete" 2>/dev/null)" != "$BASE_VERSION" ]; then
  build_base
else
  log "reusing base rootfs $BASE (FORCE_BASE=1 rebuilds it)"
fi

# Copies the base, runs PRE_FN, installs packages, runs POST_FN, imports the image.
#   build_image TAG "pkg ..." PRE_FN POST_FN --change ... (rest passed to docker import)
build_image() {
  local tag="$1" pkgs="$2" pre="$3" post="$4"; shift 4
  local root="$CACHE/rootfs-${tag//[:\/]/-}"
  set -- --change "LABEL $RECIPE_LABEL=$(recipe_hash "$tag")" "$@"
  local t0=$SECONDS old_id
  old_id="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
  rm -rf --one-file-system "$root"
  TMPDIRS+=("$root")
  log "$tag: copying base rootfs"
  cp -a "$BASE" "$root"
  rm -f "$root/.hoku-base-complete"
  "$pre" "$root"
  chroot_mount "$root"
  log "$tag: apt-get install $pkgs"
  in_chroot "$root" apt-get update -qq
  # upgrade: the cached base may predate the mirror's latest security updates.
  # shellcheck disable=SC2086
  { in_chroot "$root" apt-get upgrade -y -qq -o Dpkg::Use-Pty=0 &&
    in_chroot "$root" apt-get install -y -qq -o Dpkg::Use-Pty=0 $pkgs; } >"$CACHE/apt-${tag//[:\/]/-}.log" 2>&1 ||
    { tail -n 30 "$CACHE/apt-${tag//[:\/]/-}.log" >&2; die "$tag: apt-get install failed"; }
  "$post" "$root"
  chroot_umount
  slim "$root"
  rm -f "$root/usr/sbin/policy-rc.d" "$root/.hoku-base-complete"
  : >"$root/etc/resolv.conf"
  log "$tag: docker import"
  if [ -z "${STOP_SIGNAL:-}" ]; then
    tar --numeric-owner -C "$root" -c . | docker import "$@" - "$tag" >/dev/null
  else
    # `docker import --change` does not take STOPSIGNAL (this engine allows only
    # CMD ENTRYPOINT ENV EXPOSE ONBUILD USER VOLUME WORKDIR): add it with a
    # one-line Dockerfile on top (metadata only, no layer, no pull).
    local tmp_tag="hoku-test/import-tmp:${tag//[:\/]/-}"
    tar --numeric-owner -C "$root" -c . | docker import "$@" - "$tmp_tag" >/dev/null
    printf 'FROM %s\nSTOPSIGNAL %s\n' "$tmp_tag" "$STOP_SIGNAL" |
      DOCKER_BUILDKIT=0 docker build -q -t "$tag" - >/dev/null 2>"$CACHE/docker-build.log" ||
      { cat "$CACHE/docker-build.log" >&2; die "$tag: docker build (STOPSIGNAL) failed"; }
    docker image rm "$tmp_tag" >/dev/null
  fi
  rm -rf --one-file-system "$root"
  # FORCE=1: drop the image this one replaces (kept if a container still uses it).
  if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
  log "$tag: built in $((SECONDS - t0)) s, $(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}

setup_postgres() {
  local root="$1"
  install -m 755 "$HERE/postgres-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  ln -sf usr/local/bin/docker-entrypoint.sh "$root/docker-entrypoint.sh"
  mkdir -p "$root/docker-entrypoint-initdb.d" "$root/var/lib/postgresql/data"
  in_chroot "$root" sh -c 'chown -R postgres:postgres /var/lib/postgresql &&
    chmod 700 /var/lib/postgresql/data &&
    mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql && chmod 3777 /var/run/postgresql'
  # The official image's locale: en_US.utf8 (initdb takes it from LANG).
  sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "$root/etc/locale.gen"
  in_chroot "$root" locale-gen >/dev/null
  # Locale sources are only needed to generate locales (16 MB).
  rm -rf "$root/usr/share/i18n/charmaps" "$root/usr/share/i18n/locales"
  # The Debian cluster config in /etc/postgresql is not used: PGDATA holds its own.
  ls "$root/usr/lib/postgresql/15/bin/postgres" >/dev/null
}

setup_redis() {
  local root="$1"
  install -m 755 "$HERE/redis-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  ln -sf usr/local/bin/docker-entrypoint.sh "$root/docker-entrypoint.sh"
  mkdir -p "$root/data"
  in_chroot "$root" chown redis:redis /data
  ls "$root/usr/bin/redis-server" >/dev/null
}

prepare_postgres_conf() {
  local root="$1"
  # Debian's postgresql-common would create a "main" cluster on install: skip it.
  mkdir -p "$root/etc/postgresql-common/createcluster.d"
  echo 'create_main_cluster = false' >"$root/etc/postgresql-common/createcluster.d/hoku.conf"
  # No JIT: LLVM (+ z3 + bitcode) is ~155 MB of the image. Without llvmjit.so,
  # postgres quietly runs every query without JIT (jit=on finds no provider).
  cat >"$root/etc/dpkg/dpkg.cfg.d/02-hoku-nojit" <<'EOF2'
path-exclude=/usr/lib/*/libLLVM-*.so*
path-exclude=/usr/lib/*/libz3.so*
path-exclude=/usr/lib/postgresql/*/lib/llvmjit*
path-exclude=/usr/lib/postgresql/*/lib/bitcode/*
EOF2
}

for tag in "${need[@]}"; do
  case "$tag" in
    "$PG_TAG")
      # SIGINT = fast shutdown, as the official image: `docker stop` does not
      # wait for clients to disconnect (SIGTERM, a smart shutdown, would).
      STOP_SIGNAL=SIGINT build_image "$PG_TAG" "postgresql-15 postgresql-client-15" prepare_postgres_conf setup_postgres \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=en_US.utf8' \
        --change 'ENV PG_MAJOR=15' \
        --change 'ENV PGDATA=/var/lib/postgresql/data' \
        --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
        --change 'CMD ["postgres"]' \
        --change 'EXPOSE 5432'
      ;;
    "$REDIS_TAG")
      build_image "$REDIS_TAG" "redis-server redis-tools" true setup_redis \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'WORKDIR /data' \
        --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
        --change 'CMD ["redis-server"]' \
        --change 'EXPOSE 6379'
      ;;
  esac
done
log "done: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^hoku-test/' | tr '\n' ' ')"
