#!/bin/sh
# Starts a release beside the running service, as a container of its own on a port from FIRST_PORT to
# LAST_PORT that no socket of the VM listens on, so the release proves itself (its workers load the model,
# /predict answers) before anything that serves is stopped. Host network: PORT is set to that port (the
# env file's PORT is the service's). Publish: the container's port is published on 127.0.0.1 only.
# The search starts at a random port of the range, so two VMs sharing a network rarely try the same one.
# DOCKER_ARGUMENTS are what the unit's container gets too (a key file's mount, the memory limit).
# Prints the port.
# Usage: start-candidate.sh NAME ENV_FILE IMAGE@DIGEST host|publish CONTAINER_PORT FIRST_PORT LAST_PORT [DOCKER_ARGUMENTS...]
set -eu
[ "$#" -ge 7 ] || { echo "usage: start-candidate.sh NAME ENV_FILE IMAGE@DIGEST host|publish CONTAINER_PORT FIRST_PORT LAST_PORT [DOCKER_ARGUMENTS...]" >&2; exit 2; }
name=$1 env=$2 image=$3 network=$4 inner=$5 first=$6 last=$7
shift 7
case $network in
  host | publish) ;;
  *) echo "start-candidate.sh: expected host or publish, not '$network'" >&2; exit 2 ;;
esac
export LC_ALL=C
listening=$(awk 'FNR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 | sort -u)
count=$(( last - first + 1 ))
port=$(( first + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % count ))
tries=1
while printf '%s\n' "$listening" | grep -qx "$(printf '%04X' "$port")"; do
  [ "$tries" -lt "$count" ] || { echo "start-candidate.sh: no free port from $first to $last" >&2; exit 1; }
  tries=$(( tries + 1 ))
  port=$(( (port - first + 1) % count + first ))
done
docker rm --force "$name" >/dev/null 2>&1 || true
if [ "$network" = host ]; then
  docker run --detach --name "$name" --env-file "$env" --env "PORT=$port" --network host "$@" "$image" >/dev/null
else
  docker run --detach --name "$name" --env-file "$env" --publish "127.0.0.1:$port:$inner" "$@" "$image" >/dev/null
fi
echo "$port"
