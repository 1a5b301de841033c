#!/usr/bin/env bash
# Renders a results file into Markdown: bench/results/<date>.md, and the figures section of
# docs/benchmarks.md (between the "figures:begin"/"figures:end" markers). Usage: bench/render.sh RESULTS.json
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results="${1:?usage: bench/render.sh bench/results/DATE.json}"
figures="$(jq -r -f "$root/bench/render.jq" "$results")" || die "cannot render $results"
printf '# Benchmark figures, %s\n\n%s' "$(jq -r .date "$results")" "$figures" >"${results%.json}.md"
docs="$root/docs/benchmarks.md"
{ grep -q '^<!-- figures:begin' "$docs" && grep -q '^<!-- figures:end' "$docs"; } \
  || die "$docs has no <!-- figures:begin --> / <!-- figures:end --> markers"
FIGURES="$figures" awk '
  /^<!-- figures:begin/ { print; print ""; print ENVIRON["FIGURES"]; print ""; skip = 1; next }
  /^<!-- figures:end/ { skip = 0 }
  !skip { print }' "$docs" >"$docs.tmp" && mv "$docs.tmp" "$docs"
log "wrote ${results%.json}.md and the figures of $docs"
