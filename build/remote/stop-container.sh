#!/bin/sh
# Stops a container gracefully (its workers drain within SECONDS) and removes it; nothing there is fine.
# Usage: stop-container.sh NAME SECONDS
set -u
[ "$#" -eq 2 ] || { echo "usage: stop-container.sh NAME SECONDS" >&2; exit 2; }
docker stop --time "$2" "$1" >/dev/null 2>&1
docker rm --force "$1" >/dev/null 2>&1
exit 0
