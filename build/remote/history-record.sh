#!/bin/sh
# Records a release that passed its checks in the VM's history (root-only: env files hold secrets), then
# keeps only the newest KEEP entries. A release is its image, unit and env file: an entry of the same
# release is replaced, so the history holds KEEP distinct releases however often one is redeployed, and
# the newest entry is the release verified last. The copy is made aside and renamed into place, so the
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
for old in "$history"/*; do
  [ -d "$old" ] || continue
  if cmp -s "$old/image" "$stage/image" \
    && cmp -s "$old/purchase_predict_api.service" "$stage/purchase_predict_api.service" \
    && cmp -s "$old/purchase_predict_api.env" "$stage/purchase_predict_api.env"; then
    rm -rf "$old"
  fi
done
rm -rf "${history:?}/$entry"
mv "$history/.new" "$history/$entry"
set -- "$history"/*
excess=$(( $# - keep ))
for old in "$@"; do
  [ "$excess" -gt 0 ] || break
  rm -rf "$old"
  excess=$(( excess - 1 ))
done
