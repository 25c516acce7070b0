"""eventcoder: news articles about political violence → event type and casualty figures with evidence."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Predictor", "predict", "__version__"]

if TYPE_CHECKING:
    from eventcoder.predictor import Predictor, predict


def __getattr__(name: str) -> Any:
    # lazy: importing eventcoder must not import torch
    if name in ("Predictor", "predict"):
        import importlib

        return getattr(importlib.import_module("eventcoder.predictor"), name)
    raise AttributeError(name)
