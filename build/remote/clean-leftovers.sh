#!/bin/sh
# Removes what a deploy that was killed (kill -9, a lost runner) left on a VM: its staging directories
# and its extra containers. Run only while holding the VM's lock, so no live deploy owns them. Prints
# what it removed.
# Usage: clean-leftovers.sh STAGE_PREFIX CONTAINER...
set -u
[ "$#" -ge 2 ] || { echo "usage: clean-leftovers.sh STAGE_PREFIX CONTAINER..." >&2; exit 2; }
prefix=$1
shift
for stage in "$prefix"*; do
  if [ -d "$stage" ]; then rm -rf "$stage" && echo "removed $stage"; fi
done
for container in "$@"; do
  if docker inspect --format '{{.Id}}' "$container" >/dev/null 2>&1; then
    docker rm --force "$container" >/dev/null 2>&1 && echo "removed container $container"
  fi
done
exit 0
