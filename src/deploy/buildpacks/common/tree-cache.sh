#!/usr/bin/env bash
# A folder kept in CACHE_DIR under a key (a hash of the files it was made from), so a re-push
# that changed none of them copies it back instead of installing again (written into each
# built-in buildpack as lib/tree-cache.sh). Copies, not hard links: a build that writes into
# a restored file must not change the cached one.
#
#   CACHE_DIR/<name>/key   the key the tree was saved under
#   CACHE_DIR/<name>/tree  the folder itself

# Prints a hash of the named files (a missing one counts as missing) and of any words after "--".
tree_cache::key() {
  local file
  {
    while [[ $# -gt 0 && $1 != "--" ]]; do
      if [[ -f $1 ]]; then echo "file $1"; cat "$1"; else echo "none $1"; fi
      shift
    done
    [[ $# -gt 0 ]] && shift
    echo "words $*"
  } | tree_cache::sha256
}

tree_cache::sha256() {
  if command -v sha256sum >/dev/null; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# tree_cache::restore NAME KEY DEST: replaces DEST with the cached tree when its key is KEY.
tree_cache::restore() {
  local dir="$CACHE_DIR/$1"
  [[ -f $dir/key && -d $dir/tree && "$(cat "$dir/key")" == "$2" ]] || return 1
  rm -rf "$3"
  mkdir -p "$(dirname "$3")"
  cp -a "$dir/tree" "$3"
}

# tree_cache::save NAME KEY SRC [link]: keeps a copy of SRC under KEY, replacing the last one
# whole. With "link", hard links instead of copies (about 6x faster for a node_modules): only for
# a tree that nothing writes into after this, since the slug it ends in is never changed (each
# dyno runs a copy of the slug) and a restore copies.
tree_cache::save() {
  local dir="$CACHE_DIR/$1"
  rm -rf "$dir.new"
  mkdir -p "$dir.new"
  # Hard links cannot cross file systems (a tmpfs /tmp): then a copy.
  if [[ ${4:-} != link ]] || ! cp -al "$3" "$dir.new/tree" 2>/dev/null; then
    rm -rf "$dir.new/tree"
    cp -a "$3" "$dir.new/tree"
  fi
  echo "$2" >"$dir.new/key"
  rm -rf "$dir"
  mv "$dir.new" "$dir"
}
