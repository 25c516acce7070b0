#!/usr/bin/env bash
# README command 1: set up .venv (idempotent) and run the main job on the project's sample corpus:
# build the dataset → train MiniLM → evaluate with baselines → predict the reference article.
# Everything it writes (.venv, data/processed, models, outputs) is untracked: git status stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
PY=.venv/bin/python
MODEL=models/minilm-sample
echo "== 1/4 build: data/sample -> data/processed/sample"
$PY -m eventcoder.data.build data=sample progress=false
echo "== 2/4 train: experiment=sample -> $MODEL"
if [ -f "$MODEL/model.safetensors" ] && [ "${RETRAIN:-0}" != "1" ]; then
  echo "   $MODEL exists: reused (RETRAIN=1 to train again)"
else
  $PY -m eventcoder.train experiment=sample
fi
echo "== 3/4 evaluate: test split of the sample corpus, baselines beside the model"
$PY -m eventcoder.evaluate model=$MODEL data=sample run_name=minilm-sample output_dir=outputs/reports/minilm-sample
echo "== 4/4 reference article"
EVENTCODER_MODEL=$MODEL $PY -m eventcoder.seeds
echo "report: outputs/reports/minilm-sample/report.md (HTML: report.html beside it; outputs/ is untracked)"
