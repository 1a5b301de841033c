#!/bin/sh
# What a VM runs, for `./build.sh --target=Verify`: one line "<running> <image ID> <reference>" for the
# service's container: whether it runs (true/false), the ID docker gives its image (the digest of the
# image's config, the same on every machine) and the reference it was started from (image@digest);
# "none" when there is no such container.
# Usage: running-image.sh CONTAINER
set -u
[ "$#" -eq 1 ] || { echo "usage: running-image.sh CONTAINER" >&2; exit 2; }
docker inspect --format '{{.State.Running}} {{.Image}} {{.Config.Image}}' "$1" 2>/dev/null || echo none
