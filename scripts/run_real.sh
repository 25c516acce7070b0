#!/usr/bin/env bash
# The full real recipe in one command: build data=real → stage 1 (experiment=real) →
# stage 2 on full-length articles (experiment=real_articles_full) → evaluate on dev_articles,
# CASE 2021, every real source's test split and the sample test split → reports/real-full.
# Each step prints its wall time; EVENTCODER_DRY_RUN=1 prints the commands instead.
# Needs ../shared/data (or EVENTCODER_SHARED_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/steps.sh
step "build data=real" $PY -m eventcoder.data.build data=real progress=false
step "stage 1: experiment=real -> models/minilm-real" $PY -m eventcoder.train experiment=real
step "stage 2: experiment=real_articles_full -> models/minilm-real-articles-full" \
  $PY -m eventcoder.train experiment=real_articles_full
step "evaluate -> reports/real-full" $PY -m eventcoder.evaluate model=models/minilm-real-articles-full \
  "eval_sets=[dev_articles,case2021,real:gtd,real:acled,real:ucdp,real:train_articles,sample]" \
  baseline_train=real calibrate=true calibration_set=real:train_articles+gtd+acled+ucdp \
  redact_text=true run_name=real-full output_dir=reports/real-full
echo "total $SECONDS s; report: reports/real-full/report.md"
