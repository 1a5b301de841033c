#!/bin/sh
# Takes a VM's deploy lock: a directory (mkdir is atomic) holding who took it and when, so a second
# deploy fails at once and names the holder. "break" removes a stale lock first (docs/deploy.md).
# Usage: deploy-lock.sh LOCK_DIR HOLDER keep|break
# Exit 0: taken. Exit 75: another deploy holds it; its holder on stdout. Anything else: an error.
set -eu
[ "$#" -eq 3 ] || { echo "usage: deploy-lock.sh LOCK_DIR HOLDER keep|break" >&2; exit 2; }
lock=$1 holder=$2 mode=$3
case $mode in
  keep) ;;
  break) rm -rf "$lock" ;;
  *) echo "deploy-lock.sh: expected keep or break, not '$mode'" >&2; exit 2 ;;
esac
mkdir -p "$(dirname "$lock")"
if mkdir "$lock" 2>/dev/null; then
  printf '%s\n' "$holder" > "$lock/holder"
  exit 0
fi
cat "$lock/holder" 2>/dev/null || echo 'a deploy that is just starting'
exit 75
