#!/usr/bin/env bash
# Wall time of each Cake task of `./build.sh --target=Deploy` (which runs Push's tasks first) on the sandbox:
# in a fresh `git clone` of this repository (committed state; --force, so Test, Publish and Image run even if
# an image of the commit already exists on this machine), then again in the same clone with nothing changed.
# Parses Cake's task summary table. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
target="${BENCH_PIPELINE_TARGET:-Deploy}" clone="$work/pipeline-clone"

# Cake's summary: rows between the two heavy rules after the "Task Duration Status" header.
parse_summary() {
  awk '
    /^ *Task +Duration +Status/ { header = 1; next }
    header && /━━━━/ { rule++; next }
    header && rule == 1 && NF >= 2 {
      name = $1; seconds = "null"; status = ""
      for (i = 2; i <= NF; i++) {
        if ($i ~ /^[0-9]+:[0-9][0-9]:[0-9][0-9](\.[0-9]+)?$/) { split($i, t, ":"); seconds = t[1] * 3600 + t[2] * 60 + t[3] }
        else status = status (status == "" ? "" : " ") $i
      }
      printf "{\"task\":\"%s\",\"seconds\":%s,\"status\":\"%s\"}\n", name, seconds, status
    }
    header && rule == 2 && $1 == "Total:" { split($2, t, ":"); printf "{\"task\":\"Total\",\"seconds\":%s,\"status\":\"\"}\n", t[1] * 3600 + t[2] * 60 + t[3] }
  ' | jq -s .
}

run_build() {
  local label="$1"; shift
  local start status=0 output="$work/pipeline-$label.log"
  log "pipeline $label: ./build.sh $* (in $clone), log $output"
  start=$(now_ms)
  (cd "$clone" && NO_COLOR=1 ./build.sh "$@") >"$output" 2>&1 || status=$?
  jq -n --arg name "$label" --arg command "./build.sh $*" --argjson exit "$status" \
    --argjson wall "$(( $(now_ms) - start ))" --argjson tasks "$(parse_summary <"$output")" \
    --arg tail "$( ((status == 0)) || tail -15 "$output")" --argjson load "$(load_json)" \
    '{ run: $name, command: $command, exit_code: $exit, wall_seconds: ($wall / 1000), tasks: $tasks, load_after: $load }
     + (if $exit != 0 then { error_tail: $tail } else {} end)'
}

rm -rf "$clone"
git clone --quiet "$root" "$clone"
commit="$(git -C "$clone" rev-parse HEAD)"
clean="$(run_build clean "--target=$target" --force=true)"
rerun="$(run_build rerun "--target=$target")"
jq -n --arg commit "$commit" --arg target "$target" --argjson clean "$clean" --argjson rerun "$rerun" \
  '{ target: $target, commit: $commit, runs: [$clean, $rerun] }'
