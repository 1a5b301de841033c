#!/bin/sh
# Asks the running service to read its model source again: `systemctl reload UNIT` (the unit's ExecReload
# sends SIGHUP to the worker host's master inside the container). Prints the reload generation the master
# will log for it (one more than the last reload_requested it logged), for probe-reload.sh to wait for.
# A unit without ExecReload (deployed before Reload existed) fails here: redeploy it once.
# Usage: send-reload.sh UNIT CONTAINER
set -eu
[ "$#" -eq 2 ] || { echo "usage: send-reload.sh UNIT CONTAINER" >&2; exit 2; }
unit=$1 container=$2
last=$(docker logs "$container" 2>&1 | grep '"Event":"reload_requested"' | tail -n 1 | grep -o '"Generation":[0-9]*' | cut -d: -f2)
systemctl reload "$unit"
echo $(( ${last:-0} + 1 ))
