#!/bin/sh
# Whether a process of the container owns a listening TCP socket on PORT: the one test that tells two
# listeners on a shared port apart (an HTTP answer could come from either). Matches the listening
# sockets of /proc/net/tcp{,6} with the socket fds of the processes in the container's cgroup.
# Usage: container-listening.sh CONTAINER PORT
# Exit 0: it listens. Exit 1: not (yet). Exit 2: the container is gone or has exited.
set -u
[ "$#" -eq 2 ] || { echo "usage: container-listening.sh CONTAINER PORT" >&2; exit 2; }
container=$1
[ "$(docker inspect --format '{{.State.Running}}' "$container" 2>/dev/null)" = true ] || exit 2
id=$(docker inspect --format '{{.Id}}' "$container") || exit 2
port=$(printf ':%04X' "$2")
inodes=$(awk -v p="$port" '$2 ~ p"$" && $4 == "0A" {print $10}' /proc/net/tcp /proc/net/tcp6)
[ -n "$inodes" ] || exit 1
pids=$(grep -l "$id" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3)
# One find per process and socket (not a readlink per descriptor): quick on a busy VM too.
for pid in $pids; do
  for inode in $inodes; do
    if find "/proc/$pid/fd" -lname "socket:\[$inode\]" 2>/dev/null | grep -q .; then exit 0; fi
  done
done
exit 1
