#!/bin/sh
# Stages an earlier release for Rollback: a private copy of its history entry in a new temporary
# directory, whose path goes to stdout. Nothing is uploaded.
# Usage: stage-from-history.sh ENTRY_DIR
set -eu
[ "$#" -eq 1 ] || { echo "usage: stage-from-history.sh ENTRY_DIR" >&2; exit 2; }
stage=$(mktemp -d /tmp/purchase_predict_api.XXXXXXXX)
cp -p "$1"/* "$stage"/
echo "$stage"
