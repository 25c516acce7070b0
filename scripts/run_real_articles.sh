#!/usr/bin/env bash
# The adopted real model in one command: build the real_quick mixes
# → stage 1 (experiment=real_quick data=real_quick_cues) → stage 2 on full-length articles
# (experiment=real_articles) → the learned toll step, fitted on held-out training-pool articles
# (eventcoder.fit_toll) → settings tuned on dev_articles by folds (crosstune, stored with the
# model) → evaluate with both baselines, dev_world first → reports/crosstune-real and reports/real
# → each hand rule and fitted setting measured on the set it was not fitted on → reports/ablation-real.
# Each step prints its wall time; EVENTCODER_DRY_RUN=1 prints the commands instead.
# Needs ../shared/data (or EVENTCODER_SHARED_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/steps.sh
MODEL=models/minilm-real-articles
for d in real_quick real_quick_cues real_quick_cues_heads_hard dev_world dev_articles case2021 sample; do
  step "build data=$d" $PY -m eventcoder.data.build data=$d progress=false
done
step "stage 1: experiment=real_quick data=real_quick_cues -> models/minilm-real-quick-cues" \
  $PY -m eventcoder.train experiment=real_quick data=real_quick_cues run_name=minilm-real-quick-cues
step "stage 2: experiment=real_articles -> $MODEL" $PY -m eventcoder.train experiment=real_articles
step "the learned toll step, fitted on the stage-2 pool's held-out rows (configs/toll.yaml) -> $MODEL/toll_step.json" \
  $PY -m eventcoder.fit_toll model=$MODEL
step "crosstune on dev_articles (stores the settings with the model) -> reports/crosstune-real" \
  $PY -m eventcoder.crosstune model=$MODEL tune_set=dev_articles baseline_train=real_quick \
  tune_store=true run_name=crosstune-real output_dir=reports/crosstune-real
step "evaluate -> reports/real" $PY -m eventcoder.evaluate model=$MODEL \
  "eval_sets=[dev_world,dev_articles,case2021,real_quick:gtd,real_quick:acled,real_quick:ucdp,real_quick:train_articles,sample]" \
  baseline_train=real_quick redact_text=true run_name=real output_dir=reports/real
step "rules and settings on the set they were not fitted on -> reports/ablation-real" \
  $PY scripts/rule_ablation.py --model $MODEL --sets dev_articles dev_world --out reports/ablation-real
echo "total $SECONDS s; reports: reports/real/report.md, reports/crosstune-real/report.md, reports/ablation-real/report.md"
