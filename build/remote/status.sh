#!/bin/sh
# What runs on a VM, for `./build.sh --target=Status`: unit state and since when, the container's image
# and commit (its OCI revision label), start time, the history, the answer of GET /, the last log lines.
# Usage: status.sh UNIT CONTAINER URL HISTORY_DIR LOG_LINES
set -u
export LC_ALL=C
[ "$#" -eq 5 ] || { echo "usage: status.sh UNIT CONTAINER URL HISTORY_DIR LOG_LINES" >&2; exit 2; }
unit=$1 container=$2 url=$3 history=$4 lines=$5
show() { systemctl show --property="$1" --value "$unit"; }
inspect() { docker inspect --format "$1" "$container" 2>/dev/null; }
echo "unit:    $(show ActiveState) ($(show SubState)) since $(show ActiveEnterTimestamp)"
echo "image:   $(inspect '{{.Config.Image}}' || echo 'no container')"
echo "commit:  $(inspect '{{index .Config.Labels "org.opencontainers.image.revision"}}' || echo unknown)"
echo "started: $(inspect '{{.State.StartedAt}}' || echo -)"
entries=
for entry in "$history"/*; do
  if [ -e "$entry" ]; then entries="$entries${entry##*/} "; fi
done
echo "history: $entries"
echo "health:  GET / -> $(curl --silent --show-error --max-time 5 "$url/" 2>&1)"
echo "last log lines:"
journalctl --unit "$unit" --lines "$lines" --no-pager --output short-iso
