#!/bin/sh
# Takes the service off a VM that had no verified release before a failed first deploy: the unit is
# stopped and disabled, its unit and env file removed, systemd reloaded.
# Usage: remove-release.sh UNIT_FILE ENV_FILE
set -eu
[ "$#" -eq 2 ] || { echo "usage: remove-release.sh UNIT_FILE ENV_FILE" >&2; exit 2; }
unit=$1 env=$2
systemctl disable --now "${unit##*/}" 2>/dev/null || true
rm -f "$unit" "$env"
systemctl daemon-reload
