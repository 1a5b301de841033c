#!/bin/sh
# One readiness check of a release's container on its VM. With UNIT and BASELINE (the service's own
# container): the unit is active and has not restarted by itself since our restart (NRestarts above
# BASELINE: it crashed). Then: the container runs IMAGE, and every worker has loaded its model (the worker
# host's lifecycle log: one worker_ready per slot of master_started); with URL, GET /health/ready answers
# 200 and POST /predict with the request file answers, and that answer goes to stdout for the caller to
# judge. URL "-" skips HTTP (a container sharing its port with another: an answer could come from either).
# SHARED "shared": another container (the handover) serves the same port, so an HTTP answer proves nothing of
# this one: until its own log shows every worker ready (no log yet: its master has not even started), it is
# not ready. Without that, the service's container was taken for ready by the handover's answers, the
# handover drained, and the port had no listener until the new workers came up (connections refused).
# Usage: probe-release.sh CONTAINER IMAGE@DIGEST URL|- REQUEST_FILE [UNIT BASELINE [SHARED]]
# Exit 0: ready (the /predict answer, or "ready", on stdout). Exit 3: not ready yet. Exit 4: it crashed or
# exited: no use waiting. Why on stdout.
set -u
[ "$#" -eq 4 ] || [ "$#" -eq 6 ] || [ "$#" -eq 7 ] || { echo "usage: probe-release.sh CONTAINER IMAGE@DIGEST URL|- REQUEST_FILE [UNIT BASELINE [SHARED]]" >&2; exit 2; }
container=$1 image=$2 url=$3 request=$4 shared=${7:-alone}
if [ "$#" -ge 6 ]; then
  unit=$5 baseline=$6
  restarts=$(systemctl show --property=NRestarts --value "$unit")
  if [ "${restarts:-0}" -gt "$baseline" ]; then
    echo "$unit crashed and was restarted $((restarts - baseline)) times"
    exit 4
  fi
  state=$(systemctl show --property=ActiveState --value "$unit")
  if [ "$state" != active ]; then echo "$unit is $state"; exit 3; fi
fi
found=$(docker inspect --format '{{.State.Status}} {{.State.ExitCode}} {{.Config.Image}}' "$container" 2>/dev/null) || { echo 'no container yet'; exit 3; }
read -r status code running <<EOF
$found
EOF
case $status in
  running) ;;
  exited | dead) echo "container $container exited with code $code"; exit 4 ;;
  *) echo "container $container is $status"; exit 3 ;;
esac
if [ "$running" != "$image" ]; then echo "running $running"; exit 3; fi
logs=$(docker logs "$container" 2>&1)
workers=$(printf '%s\n' "$logs" | grep '"Event":"master_started"' | tail -n 1 | grep -o '"Workers":[0-9]*' | cut -d: -f2)
if [ -n "$workers" ]; then
  ready=$(printf '%s\n' "$logs" | grep '"Event":"worker_ready"' | grep -o '"Slot":[0-9]*' | sort -u | wc -l)
  if [ "$ready" -lt "$workers" ]; then echo "$ready of $workers workers have loaded the model"; exit 3; fi
elif [ "$url" = - ] || [ "$shared" = shared ]; then
  echo 'no worker host lifecycle log yet'; exit 3
fi
if [ "$url" = - ]; then echo ready; exit 0; fi
curl --silent --fail --max-time 5 "$url/health/ready" >/dev/null 2>&1 || { echo 'GET /health/ready is not 200 yet'; exit 3; }
curl --silent --show-error --fail --max-time 10 --header 'Content-Type: application/json' --data-binary "@$request" "$url/predict"
