#!/bin/sh
# One check of a reload on a VM (send-reload.sh sent it as GENERATION): the master logged reload_requested
# for it, and after that every slot's new worker took over (worker_reloaded) and none failed to load the
# model (replacement_failed: that slot keeps its old worker and model); then GET /model answers SHA256 on
# twice as many new connections as there are workers (the kernel spreads them over the workers), and POST
# /predict with the request file answers, that answer on stdout for the caller to judge.
# Without a master (WORKERS=1) the service reloads in place: only GET /model tells.
# Usage: probe-reload.sh CONTAINER GENERATION URL SHA256 REQUEST_FILE
# Exit 0: every worker serves the model; 3: not yet; 4: a new worker failed to load it. Why on stdout.
set -u
[ "$#" -eq 5 ] || { echo "usage: probe-reload.sh CONTAINER GENERATION URL SHA256 REQUEST_FILE" >&2; exit 2; }
container=$1 generation=$2 url=$3 sha=$4 request=$5
logs=$(docker logs "$container" 2>&1) || { echo "no container $container"; exit 4; }
workers=$(printf '%s\n' "$logs" | grep '"Event":"master_started"' | tail -n 1 | grep -o '"Workers":[0-9]*' | cut -d: -f2)
if [ -n "$workers" ]; then
  mark="\"Generation\":${generation}[,}]"
  if ! printf '%s\n' "$logs" | grep '"Event":"reload_requested"' | grep -q "$mark"; then
    echo "the master has not logged reload $generation yet"; exit 3
  fi
  after=$(printf '%s\n' "$logs" | awk -v mark="$mark" 'seen { print } /"Event":"reload_requested"/ && $0 ~ mark { seen = 1 }')
  switched=$(printf '%s\n' "$after" | grep '"Event":"worker_reloaded"' | grep -o '"Slot":[0-9]*' | sort -u | wc -l)
  if printf '%s\n' "$after" | grep -q '"Event":"replacement_failed"'; then
    failed=$(printf '%s\n' "$after" | grep '"Event":"replacement_failed"' | head -n 1 | grep -o '"Error":"[^"]*' | cut -d'"' -f4)
    echo "a new worker failed to load the model, its slot kept the old worker ($switched of $workers workers switched): ${failed:-no reason logged}"
    exit 4
  fi
  [ "$switched" -ge "$workers" ] || { echo "$switched of $workers workers switched"; exit 3; }
else
  workers=1
fi
i=0
while [ "$i" -lt $(( workers * 2 )) ]; do
  served=$(curl --silent --fail --max-time 5 "$url/model" | grep -o '"sha256":"[0-9a-f]*"' | cut -d'"' -f4)
  [ "$served" = "$sha" ] || { echo "GET /model answered sha256 ${served:-nothing}, not $sha"; exit 3; }
  i=$(( i + 1 ))
done
curl --silent --show-error --fail --max-time 10 --header 'Content-Type: application/json' --data-binary "@$request" "$url/predict"
