#!/bin/sh
# Lists the releases kept on a VM, oldest first, one line each: "<entry> <commit> <image> <model sha256>",
# the last "-" for a release recorded without its model's identity (model.json).
# Entries are named <UTC time>-<commit>, so name order is time order. No history yet: no lines.
# Usage: history-list.sh HISTORY_DIR
set -eu
[ "$#" -eq 1 ] || { echo "usage: history-list.sh HISTORY_DIR" >&2; exit 2; }
history=$1
export LC_ALL=C
[ -d "$history" ] || exit 0
for entry in "$history"/*; do
  [ -d "$entry" ] || continue
  model=$(grep -o '"sha256":"[0-9a-f]*"' "$entry/model.json" 2>/dev/null | cut -d'"' -f4)
  printf '%s %s %s %s\n' "${entry##*/}" "$(cat "$entry/commit")" "$(cat "$entry/image")" "${model:--}"
done
