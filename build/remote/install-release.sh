#!/bin/sh
# Puts a staged release's unit, env file and /predict request in place, first saving the current unit
# and env file in PREVIOUS_DIR for restore-release.sh. Each file is installed next to its target and
# renamed over it, so systemd and docker only ever read a whole old file or a whole new one. The env
# file is root:root 0600: it holds secrets.
# The stage holds purchase_predict_api.service, purchase_predict_api.env and request.json.
# Usage: install-release.sh STAGE_DIR UNIT_FILE ENV_FILE PREVIOUS_DIR REQUEST_FILE
set -eu
[ "$#" -eq 5 ] || { echo "usage: install-release.sh STAGE_DIR UNIT_FILE ENV_FILE PREVIOUS_DIR REQUEST_FILE" >&2; exit 2; }
stage=$1 unit=$2 env=$3 previous=$4 request=$5
rm -rf "$previous"
install -d -m 0700 "$previous"
if [ -f "$unit" ]; then cp -p "$unit" "$previous/unit"; fi
if [ -f "$env" ]; then cp -p "$env" "$previous/env"; fi
install -o root -g root -m 0644 "$stage/purchase_predict_api.service" "$unit.new"
mv -f "$unit.new" "$unit"
install -o root -g root -m 0600 "$stage/purchase_predict_api.env" "$env.new"
mv -f "$env.new" "$env"
install -o root -g root -m 0644 "$stage/request.json" "$request"
