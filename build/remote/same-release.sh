#!/bin/sh
# Whether a VM already runs the staged release, so that Deploy can leave it alone: the installed unit and
# env file are the staged ones, the unit is active, its container runs the staged image and answers
# GET /health/ready, and the newest entry of the history (the release verified last) is this release too.
# Prints "same", or "differs: <what>".
# Usage: same-release.sh STAGE_DIR UNIT_FILE ENV_FILE UNIT CONTAINER HISTORY_DIR URL
set -u
[ "$#" -eq 7 ] || { echo "usage: same-release.sh STAGE_DIR UNIT_FILE ENV_FILE UNIT CONTAINER HISTORY_DIR URL" >&2; exit 2; }
stage=$1 unit_file=$2 env_file=$3 unit=$4 container=$5 history=$6 url=$7
export LC_ALL=C
differs() { echo "differs: $1"; exit 0; }
cmp -s "$stage/purchase_predict_api.service" "$unit_file" || differs 'the unit file'
cmp -s "$stage/purchase_predict_api.env" "$env_file" || differs 'the env file'
[ "$(systemctl is-active "$unit")" = active ] || differs "$unit is not active"
image=$(cat "$stage/image")
[ "$(docker inspect --format '{{.State.Running}} {{.Config.Image}}' "$container" 2>/dev/null)" = "true $image" ] || differs 'the running image'
newest=
for entry in "$history"/*; do
  if [ -d "$entry" ]; then newest=$entry; fi
done
[ -n "$newest" ] || differs 'no verified release in the history'
for file in image purchase_predict_api.service purchase_predict_api.env; do
  cmp -s "$stage/$file" "$newest/$file" || differs 'the release verified last'
done
curl --silent --fail --max-time 5 "$url/health/ready" >/dev/null 2>&1 || differs 'GET /health/ready is not 200'
echo same
