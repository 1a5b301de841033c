#!/usr/bin/python3
"""Writes the largest body the service accepts by default: the tutorial client's format (a JSON string holding
pandas' columns-oriented frame), MAX_ROWS (10,000) rows copied from models/demo/request.json, padded with an
extra column (which the service ignores) to just under MAX_BODY_BYTES (10 MiB). Every row is parsed and predicted.
Usage: bench/make-large-body.py REQUEST.json OUT.json"""
import json
import sys

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000

source, out = sys.argv[1], sys.argv[2]
columns = json.loads(json.load(open(source)))
samples = [{name: values[label] for name, values in columns.items()} for label in next(iter(columns.values()))]
frame = {name: {str(row): samples[row % len(samples)][name] for row in range(MAX_ROWS)} for name in columns}
unpadded = len(json.dumps(json.dumps(frame | {"note": {str(row): "" for row in range(MAX_ROWS)}})))
# json.dumps of the string escapes each quote once more: pad with plain letters, which are not escaped.
padding = (MAX_BODY_BYTES - 64 - unpadded) // MAX_ROWS
frame["note"] = {str(row): "x" * padding for row in range(MAX_ROWS)}
body = json.dumps(json.dumps(frame))
assert len(body) <= MAX_BODY_BYTES, len(body)
open(out, "w").write(body)
