#!/usr/bin/env bash
# README command 1: set up .venv (idempotent) and run the main job on the project's sample corpus.
# Stages that exist today run in order; each prints what it did.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
PY=.venv/bin/python
echo "== 1/4 build: sample corpus -> data/processed/sample"
$PY -m eventcoder.data.build data=sample
if $PY -c "import eventcoder.train" 2>/dev/null; then
  echo "== 2/4 train"; $PY -m eventcoder.train experiment=sample
else
  echo "== 2/4 train: not built yet (issue 6) - skipped"
fi
if $PY -c "import eventcoder.evaluate" 2>/dev/null; then
  echo "== 3/4 evaluate"; $PY -m eventcoder.evaluate model=models/minilm-sample data=sample
else
  echo "== 3/4 evaluate: not built yet (issue 8) - skipped"
fi
echo "== 4/4 reference article"
$PY -m eventcoder.seeds
