#!/bin/sh
# Undoes install-release.sh: the saved unit and env file go back. With none saved (a first deploy), the
# service is removed altogether and "none" is printed. Otherwise systemd reloads, the service restarts
# when "restart" says the new release had replaced it (else the old one still runs untouched), and
# "restored <NRestarts>" is printed: the counter the next health check compares with.
# Usage: restore-release.sh UNIT_FILE ENV_FILE PREVIOUS_DIR restart|keep
set -eu
[ "$#" -eq 4 ] || { echo "usage: restore-release.sh UNIT_FILE ENV_FILE PREVIOUS_DIR restart|keep" >&2; exit 2; }
unit=$1 env=$2 previous=$3 mode=$4
name=${unit##*/}
if [ ! -f "$previous/unit" ]; then
  systemctl disable --now "$name" 2>/dev/null || true
  rm -f "$unit" "$env"
  systemctl daemon-reload
  echo none
  exit 0
fi
cp -p "$previous/unit" "$unit.new"
mv -f "$unit.new" "$unit"
if [ -f "$previous/env" ]; then
  cp -p "$previous/env" "$env.new"
  mv -f "$env.new" "$env"
fi
systemctl daemon-reload
if [ "$mode" = restart ]; then systemctl restart "$name"; fi
echo "restored $(systemctl show --property=NRestarts --value "$name")"
