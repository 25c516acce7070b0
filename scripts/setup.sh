#!/usr/bin/env bash
# Create .venv (idempotent) with the CPU torch wheel first, then eventcoder and its extras.
# Usage: bash scripts/setup.sh [extras]   (default: $EVENTCODER_EXTRAS or train,dev,serve,onnx; CI adds ray,slurm)
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-${EVENTCODER_EXTRAS:-train,dev,serve,onnx}}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
VPY=.venv/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK=1
# torch first, pinned: pyproject asks for a range (any CUDA or CPU build), which with no torch installed
# would pull a multi-GB CUDA build; 2.13.0 meets that range, so the package install adds no torch.
if ! "$VPY" -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.13.0') else 1)" 2>/dev/null; then
  "$VPY" -m pip install --quiet "torch==2.13.0"
fi
# Reinstall the package only when pyproject.toml changed since the last install.
STAMP=.venv/.eventcoder-installed
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1) $EXTRAS"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  "$VPY" -m pip install --quiet -e ".[$EXTRAS]"
  echo "$WANT" > "$STAMP"
fi
echo "environment ready: $(pwd)/.venv ($("$VPY" -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)'))"
