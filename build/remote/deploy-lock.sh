#!/bin/sh
# A deploy lock on a VM: a directory (mkdir is atomic) holding who took it and when, so a second deploy
# fails at once and names the holder. Deploy takes two: the environment's rollout lock on its first VM for
# the whole rollout, and each VM's own while that VM changes (docs/deploy.md).
#   keep     take it; exit 75 with the holder on stdout when someone holds it
#   break    remove a stale lock first, then take it
#   release  remove it if HOLDER holds it; exit 75 with the holder on stdout when someone else does
#            (a --break-lock=true took it over); nothing to release is fine
# Usage: deploy-lock.sh LOCK_DIR HOLDER keep|break|release
set -eu
[ "$#" -eq 3 ] || { echo "usage: deploy-lock.sh LOCK_DIR HOLDER keep|break|release" >&2; exit 2; }
lock=$1 holder=$2 mode=$3
case $mode in
  keep) ;;
  break) rm -rf "$lock" ;;
  release)
    [ -d "$lock" ] || exit 0
    if [ "$(cat "$lock/holder" 2>/dev/null)" = "$holder" ]; then rm -rf "$lock"; exit 0; fi
    cat "$lock/holder" 2>/dev/null || echo 'a deploy that is just starting'
    exit 75 ;;
  *) echo "deploy-lock.sh: expected keep, break or release, not '$mode'" >&2; exit 2 ;;
esac
mkdir -p "$(dirname "$lock")"
if mkdir "$lock" 2>/dev/null; then
  printf '%s\n' "$holder" > "$lock/holder"
  exit 0
fi
cat "$lock/holder" 2>/dev/null || echo 'a deploy that is just starting'
exit 75
