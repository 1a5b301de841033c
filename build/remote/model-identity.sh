#!/bin/sh
# Prints the identity of the model a service serves (its GET /model answer, one line of JSON); with
# DIR, also writes it to DIR/model.json (aside, then renamed: never half a file), which keeps it with a
# release of the VM's history.
# Usage: model-identity.sh URL [DIR]
set -eu
[ "$#" -eq 1 ] || [ "$#" -eq 2 ] || { echo "usage: model-identity.sh URL [DIR]" >&2; exit 2; }
identity=$(curl --silent --show-error --fail --max-time 5 "$1/model")
if [ "$#" -eq 2 ]; then
  printf '%s\n' "$identity" > "$2/model.json.new"
  mv -f "$2/model.json.new" "$2/model.json"
fi
printf '%s\n' "$identity"
