#!/usr/bin/env bash
# Starts the Cloud Storage emulator on 127.0.0.1:PORT (or HOST) in the foreground and prints
# "storage emulator ready on http://HOST:PORT" once it answers; with --tokeninfo its buckets are private.
# See README.md.
# node_modules (~250 MB) are installed once per package-lock.json into a cache outside the
# repository, keyed by the lock file's hash, so a changed lock file never reuses a stale tree.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 PORT [HOST] [--tokeninfo URL --readers EMAIL,... --writers EMAIL,...]" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

command -v node >/dev/null || { echo "storage emulator: node is not installed (apt-get install -y nodejs npm)" >&2; exit 3; }

hash=$(sha256sum "$here/package-lock.json" | cut -c1-16)
cache_root=${PURCHASE_PREDICT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purchase-predict}
cache="$cache_root/storage-emulator/$hash"

install_modules() {
  local staging="$cache.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  cp "$here/package.json" "$here/package-lock.json" "$staging/"
  echo "storage emulator: installing firebase-tools into $cache (once per package-lock.json)" >&2
  (cd "$staging" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  mv "$staging" "$cache"
}

if [ ! -d "$cache/node_modules" ]; then
  mkdir -p "$(dirname "$cache")"
  # Several test runs may start at once: one installs, the others wait for it.
  exec 9>"$cache.lock"
  flock 9
  [ -d "$cache/node_modules" ] || install_modules
  flock -u 9
  exec 9>&-
fi

# emulator.js checks the arguments.
NODE_PATH="$cache/node_modules" exec node "$here/emulator.js" "$@"
