#!/usr/bin/env bash
# Wall time of each Cake task of `./build.sh --target=Deploy` (which runs Push's tasks first) on the sandbox:
# in a fresh `git clone` of this repository (committed state; --force, so Test, Publish and Image run even if
# an image of the commit already exists on this machine), then again in the same clone with nothing changed.
# Parses Cake's task summary table. Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
target="${BENCH_PIPELINE_TARGET:-Deploy}" clone="$work/pipeline-clone"

# Cake's summary: rows between the two heavy rules under the "Task Duration Status [Skip Reason]" header,
# cut at the header's column positions; a wrapped skip reason continues on lines with an empty task column.
parse_summary() {
  awk '
    function trim(s) { gsub(/^ +| +$/, "", s); return s }
    function seconds(d, t) { if (d !~ /^[0-9]+:[0-9][0-9]:[0-9][0-9]/) return "null"; split(d, t, ":"); return t[1] * 3600 + t[2] * 60 + t[3] }
    function flush() { gsub(/["\\]/, "\\\\&", reason); if (name != "") printf "{\"task\":\"%s\",\"seconds\":%s,\"status\":\"%s\",\"reason\":\"%s\"}\n", name, seconds(duration), status, trim(reason); name = "" }
    /^ *Task +Duration +Status/ { header = 1; c_duration = index($0, "Duration"); c_status = index($0, "Status"); c_reason = index($0, "Skip Reason"); next }
    header && /━━━━/ { rule++; if (rule == 2) flush(); next }
    header && rule == 1 {
      task = trim(substr($0, 1, c_duration - 1))
      if (task == "") { if (c_reason) reason = reason " " trim(substr($0, c_reason)); next }
      flush(); name = task
      duration = trim(substr($0, c_duration, c_status - c_duration))
      status = trim(c_reason ? substr($0, c_status, c_reason - c_status) : substr($0, c_status))
      reason = c_reason ? trim(substr($0, c_reason)) : ""
    }
    header && rule == 2 && $1 == "Total:" { printf "{\"task\":\"Total\",\"seconds\":%s,\"status\":\"\",\"reason\":\"\"}\n", seconds($2) }
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

wait_for_idle_sandbox
rm -rf "$clone"
git clone --quiet "$root" "$clone"
commit="$(git -C "$clone" rev-parse HEAD)"
clean="$(run_build clean "--target=$target" --force=true)"
rerun="$(run_build rerun "--target=$target")"
jq -n --arg commit "$commit" --arg target "$target" --argjson clean "$clean" --argjson rerun "$rerun" \
  '{ target: $target, commit: $commit, runs: [$clean, $rerun] }'
