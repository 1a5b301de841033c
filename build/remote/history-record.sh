#!/bin/sh
# Records a release that passed its checks in the VM's history (root-only: env files hold secrets),
# then keeps only the newest KEEP entries. The copy is made aside and renamed into place, so the
# history never holds half an entry.
# Usage: history-record.sh HISTORY_DIR STAGE_DIR ENTRY KEEP
set -eu
[ "$#" -eq 4 ] || { echo "usage: history-record.sh HISTORY_DIR STAGE_DIR ENTRY KEEP" >&2; exit 2; }
history=$1 stage=$2 entry=$3 keep=$4
export LC_ALL=C
install -d -m 0700 "$history"
rm -rf "$history/.new"
cp -rp "$stage" "$history/.new"
chmod 0700 "$history/.new"
rm -rf "${history:?}/$entry"
mv "$history/.new" "$history/$entry"
set -- "$history"/*
excess=$(( $# - keep ))
for old in "$@"; do
  [ "$excess" -gt 0 ] || break
  rm -rf "$old"
  excess=$(( excess - 1 ))
done
