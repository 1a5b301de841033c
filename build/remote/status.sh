#!/bin/sh
# What runs on a VM, for `./build.sh --target=Status`: unit state and since when, the container's image
# and commit (its OCI revision label), start time, the deploy locks, the history, the service's own
# readiness (GET /health/ready) and a real POST /predict with the installed request, the last log lines.
# Exit 0: the unit is active, its container runs, is ready and answers /predict with 200. Exit 1: not.
# Usage: status.sh UNIT CONTAINER URL HISTORY_DIR REQUEST_FILE LOG_LINES LOCK_DIR...
set -u
export LC_ALL=C
[ "$#" -ge 7 ] || { echo "usage: status.sh UNIT CONTAINER URL HISTORY_DIR REQUEST_FILE LOG_LINES LOCK_DIR..." >&2; exit 2; }
unit=$1 container=$2 url=$3 history=$4 request=$5 lines=$6
shift 6
healthy=0
show() { systemctl show --property="$1" --value "$unit"; }
inspect() { docker inspect --format "$1" "$container" 2>/dev/null; }
state=$(show ActiveState)
[ "$state" = active ] || healthy=1
echo "unit:    $state ($(show SubState)) since $(show ActiveEnterTimestamp)"
image=$(inspect '{{.Config.Image}}') || { healthy=1; image='no container'; }
echo "image:   $image"
echo "commit:  $(inspect '{{index .Config.Labels "org.opencontainers.image.revision"}}' || echo unknown)"
echo "started: $(inspect '{{.State.StartedAt}}' || echo -)"
for lock in "$@"; do
  if [ -d "$lock" ]; then echo "lock:    ${lock##*/} held by $(cat "$lock/holder" 2>/dev/null || echo 'a deploy that is just starting')"; fi
done
entries=
for entry in "$history"/*; do
  if [ -e "$entry" ]; then entries="${entries:+$entries }${entry##*/}"; fi
done
echo "history: ${entries:-none} (newest last: the release verified last)"
ready=$(curl --silent --show-error --max-time 5 --write-out ' (%{http_code})' "$url/health/ready" 2>&1) || healthy=1
case $ready in *'(200)') ;; *) healthy=1 ;; esac
echo "ready:   GET /health/ready -> $ready"
predict=$(curl --silent --show-error --fail --max-time 10 --header 'Content-Type: application/json' --data-binary "@$request" "$url/predict" 2>&1) || healthy=1
echo "predict: $predict"
echo "last log lines:"
journalctl --unit "$unit" --lines "$lines" --no-pager --output short-iso
exit "$healthy"
