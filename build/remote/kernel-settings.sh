#!/bin/sh
# The kernel settings the service's switch-over needs, kept in a sysctl.d file (systemd-sysctl applies it
# at every boot, before the unit starts) and applied now. The file is replaced whole (rename), only when it
# changes. A malformed setting fails before anything is written; one the kernel refuses (a read-only
# /proc/sys, an unknown name) fails with sysctl's message naming it.
# Usage: kernel-settings.sh FILE NAME=VALUE...   (e.g. net.ipv4.tcp_migrate_req=1)
set -eu
[ "$#" -ge 2 ] || { echo "usage: kernel-settings.sh FILE NAME=VALUE..." >&2; exit 2; }
file=$1
shift
for setting in "$@"; do
  name=${setting%%=*} value=${setting#*=}
  if ! printf '%s\n' "$name" | grep -Eq '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$' || ! printf '%s\n' "$value" | grep -Eq '^[0-9]+$'; then
    echo "kernel-settings.sh: '$setting' is not NAME=NUMBER" >&2
    exit 2
  fi
done
content=$(
  echo "# Written by Deploy (build/remote/kernel-settings.sh): what the service's switch-over needs."
  for setting in "$@"; do echo "${setting%%=*} = ${setting#*=}"; done
)
if [ "$(cat "$file" 2>/dev/null)" != "$content" ]; then
  printf '%s\n' "$content" >"$file.new"
  chmod 0644 "$file.new"
  mv -f "$file.new" "$file"
fi
sysctl -q -p "$file"
