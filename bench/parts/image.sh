#!/usr/bin/env bash
# The image the pipeline pushed last (artifacts/image.json, from ./build.sh --target=Push): its size, the size
# of its own layers (above the base image), their compressed size in the registry, and the time from
# `docker run` to the first successful /predict with the 300-tree model (BENCH_STARTS starts, median). Prints one JSON object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
starts="${BENCH_STARTS:-5}" port="${BENCH_PORT:-18873}" workers="${BENCH_IMAGE_WORKERS:-4}"
# The newest push: this checkout's, or that of the pipeline part's clone (bench/parts/pipeline.sh).
# shellcheck disable=SC2012 # two fixed paths, newest first: ls -t is the tool
pushed="$(ls -t "$root/artifacts/image.json" "$work/pipeline-clone/artifacts/image.json" 2>/dev/null | head -1)" || true
pushed="${BENCH_IMAGE_JSON:-${pushed:-$root/artifacts/image.json}}"

if [ ! -f "$pushed" ]; then
  jq -n --arg reason "no $pushed: run ./build.sh --target=Push first" '{ available: false, reason: $reason }'
  exit 0
fi
ref="$(jq -r .reference "$pushed")" repository="$(jq -r .repository "$pushed")" digest="$(jq -r .digest "$pushed")"
docker image inspect "$ref" >/dev/null 2>&1 || docker pull -q "$ref" >&2 \
  || { jq -n --arg reason "$ref is neither local nor pullable" '{ available: false, reason: $reason }'; exit 0; }
base="$(jq -r .baseImage "$root/ops/environments/sandbox.json")"
docker image inspect "$base" >/dev/null || die "base image $base is missing (./build.sh --target=Sandbox makes it)"

size=$(docker image inspect "$ref" --format '{{.Size}}')
base_size=$(docker image inspect "$base" --format '{{.Size}}')
base_layers=$(docker image inspect "$base" --format '{{json .RootFS.Layers}}')
image_layers=$(docker image inspect "$ref" --format '{{json .RootFS.Layers}}')
jq -e -n --argjson b "$base_layers" --argjson i "$image_layers" '$i[:($b | length)] == $b' >/dev/null \
  || die "$ref is not built on $base (its first layers differ)"
# The image's own history entries are the ones above the base's.
own_steps=$(( $(docker history -q "$ref" | wc -l) - $(docker history -q "$base" | wc -l) ))
own_layers=$(docker history --human=false --no-trunc --format '{{json .}}' "$ref" | head -n "$own_steps" \
  | jq -s 'map(select(.Size != "0") | { size: (.Size | tonumber), created_by: (.CreatedBy | .[0:120]) })')
# What a VM pulls: the compressed layers of the manifest in the registry.
registry="${repository%%/*}" name="${repository#*/}"
compressed=$(curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$registry/v2/$name/manifests/$digest" \
  | jq --argjson n "$(jq length <<<"$base_layers")" '{ total: (.layers | map(.size) | add), own: (.layers[$n:] | map(.size) | add) }' \
  || echo null)

# The 300-tree model of the Flask comparison, mounted read-only as a volume.
model="$(bench_model categorical)"
times=()
for run in $(seq "$starts"); do
  start=$(now_ms)
  id=$(docker run -d --rm --network host -e PORT="$port" -e WORKERS="$workers" -e MODEL_URI="/models/$(basename "$model")" \
    -v "$(dirname "$model"):/models:ro" "$ref")
  if ms=$(wait_for_predict "$port" "$demo_body" "$start"); then times+=("$ms"); else log "start $run: no /predict within 60 s"; docker logs "$id" 2>&1 | tail -3 >&2; fi
  docker rm -f "$id" >/dev/null
  log "image start $run: ${ms:-failed} ms"
done

# For scale: what docker itself takes to create, start and remove a container that does nothing.
overhead=()
for run in $(seq "$starts"); do
  start=$(now_ms); docker run --rm --network host --entrypoint /bin/true "$base" >/dev/null; overhead+=($(( $(now_ms) - start )))
done

jq -n --arg pushed "${pushed#"$root/"}" --arg ref "$ref" --arg base "$base" --argjson size "$size" --argjson base_size "$base_size" \
  --argjson own_layers "$own_layers" --argjson compressed "$compressed" --argjson workers "$workers" --arg model "$(basename "$model")" \
  --argjson times "$(printf '%s\n' "${times[@]}" | jq -s .)" --argjson overhead "$(printf '%s\n' "${overhead[@]}" | jq -s .)" --argjson starts "$starts" \
  --arg revision "$(docker image inspect "$ref" --format '{{index .Config.Labels "org.opencontainers.image.revision"}}')" \
  --argjson load "$(load_json)" "$jq_median"'
  { available: true, image_json: $pushed, reference: $ref, revision: $revision, base: $base, size_bytes: $size, base_size_bytes: $base_size,
    own_bytes: ($size - $base_size), own_layers: $own_layers, registry_compressed_bytes: $compressed,
    first_predict_ms: { model: $model, workers: $workers, starts: $starts, failed: ($starts - ($times | length)), median: ($times | med), runs: $times },
    docker_run_true_ms: { median: ($overhead | med), runs: $overhead },
    load: $load }'
