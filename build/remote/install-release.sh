#!/bin/sh
# Puts a staged release's unit, env file and /predict request in place. Each file is installed next to
# its target and renamed over it, so systemd and docker only ever read a whole old file or a whole new
# one. The env file is root:root 0600: it holds secrets. Nothing is saved: what Deploy goes back to on a
# failure is the last verified release of the VM's history, never the files found here.
# The stage holds purchase_predict_api.service, purchase_predict_api.env and request.json.
# Usage: install-release.sh STAGE_DIR UNIT_FILE ENV_FILE REQUEST_FILE
set -eu
[ "$#" -eq 4 ] || { echo "usage: install-release.sh STAGE_DIR UNIT_FILE ENV_FILE REQUEST_FILE" >&2; exit 2; }
stage=$1 unit=$2 env=$3 request=$4
for file in purchase_predict_api.service purchase_predict_api.env request.json; do
  [ -f "$stage/$file" ] || { echo "install-release.sh: $stage/$file is missing" >&2; exit 1; }
done
install -o root -g root -m 0644 "$stage/purchase_predict_api.service" "$unit.new"
install -o root -g root -m 0600 "$stage/purchase_predict_api.env" "$env.new"
install -o root -g root -m 0644 "$stage/request.json" "$request.new"
mv -f "$unit.new" "$unit"
mv -f "$env.new" "$env"
mv -f "$request.new" "$request"
