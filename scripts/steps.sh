# Sourced by the one-command recipes (run_real_articles.sh): sets up .venv, then defines
# PY and `step NAME COMMAND...`, which runs COMMAND and prints its wall time. With
# EVENTCODER_DRY_RUN=1 nothing is set up or run: each step prints its command (tests/test_scripts.py
# composes every one).
PY=.venv/bin/python
if [ "${EVENTCODER_DRY_RUN:-0}" = 1 ]; then
  step() { shift; printf '%q ' "$@"; echo; }
else
  bash scripts/setup.sh
  export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
  step() { local t0=$SECONDS; echo "== $1"; shift; "$@"; echo "   $((SECONDS - t0)) s"; }
fi
