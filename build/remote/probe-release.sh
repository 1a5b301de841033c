#!/bin/sh
# One health check of a release on its VM: the unit is active, runs the expected image, has not
# restarted by itself since our restart (NRestarts above BASELINE: it crashed), GET / answers, and
# POST /predict with the request file answers; that answer goes to stdout for the caller to judge.
# Usage: probe-release.sh UNIT CONTAINER IMAGE@DIGEST BASELINE URL REQUEST_FILE
# Exit 0: answered. Exit 3: not ready yet (why on stdout). Exit 4: crashed (why on stdout).
set -u
[ "$#" -eq 6 ] || { echo "usage: probe-release.sh UNIT CONTAINER IMAGE@DIGEST BASELINE URL REQUEST_FILE" >&2; exit 2; }
unit=$1 container=$2 image=$3 baseline=$4 url=$5 request=$6
restarts=$(systemctl show --property=NRestarts --value "$unit")
if [ "${restarts:-0}" -gt "$baseline" ]; then
  echo "$unit crashed and was restarted $((restarts - baseline)) times"
  exit 4
fi
state=$(systemctl show --property=ActiveState --value "$unit")
if [ "$state" != active ]; then echo "$unit is $state"; exit 3; fi
running=$(docker inspect --format '{{.Config.Image}}' "$container" 2>/dev/null) || { echo 'no container yet'; exit 3; }
if [ "$running" != "$image" ]; then echo "running $running"; exit 3; fi
curl --silent --show-error --fail --max-time 5 "$url/" >/dev/null 2>&1 || { echo 'GET / does not answer yet'; exit 3; }
curl --silent --show-error --fail --max-time 10 --header 'Content-Type: application/json' --data-binary "@$request" "$url/predict"
