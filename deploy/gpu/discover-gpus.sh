#!/usr/bin/env bash
# Spark resource discovery script for GPUs (spark.executor.resource.gpu.discoveryScript,
# spark.worker.resource.gpu.discoveryScript): prints the GPUs nvidia-smi lists, as Spark expects,
#   {"name": "gpu", "addresses": ["0", "1"]}
# and {"name": "gpu", "addresses": []} where there are none, nvidia-smi is missing or it fails, so a
# CPU node reports no GPUs rather than failing the executor's start.
set -euo pipefail

if [[ $# -gt 0 ]]; then
  echo "usage: $(basename "$0")" >&2
  exit 2
fi

addresses=""
if command -v nvidia-smi > /dev/null 2>&1; then
  if indices="$(nvidia-smi --query-gpu=index --format=csv,noheader 2> /dev/null)"; then
    while IFS= read -r index; do
      index="${index//[[:space:]]/}"
      [[ "$index" =~ ^[0-9]+$ ]] || continue
      addresses+="${addresses:+, }\"$index\""
    done <<< "$indices"
  fi
fi
printf '{"name": "gpu", "addresses": [%s]}\n' "$addresses"
