#!/bin/sh
# Fetches the release's image (by digest) unless the VM already has it: the slow part of a deploy,
# done while the old version still serves.
# Usage: pull-image.sh IMAGE@DIGEST
set -eu
[ "$#" -eq 1 ] || { echo "usage: pull-image.sh IMAGE@DIGEST" >&2; exit 2; }
docker image inspect "$1" >/dev/null 2>&1 || docker pull --quiet "$1"
