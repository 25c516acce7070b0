"""What a model directory's network runs on: fp32 torch, torch with its encoder in dynamic int8
(`quantize_encoder`), or ONNX Runtime (`OnnxModel`, the file `eventcoder.export` writes), and an
ensemble's members read together. `load_network(dir, backend)` gives the one the backend names;
each is called like `EventCoderModel`, so the Predictor does not care which it holds.
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch

from eventcoder.model_dir import BACKENDS, ONNX_FILES, WEIGHTS_FILE, is_ensemble, onnx_file

INPUTS = ["input_ids", "attention_mask", "mention_spans"]  # the ONNX graph's inputs and outputs
OUTPUTS = ["event_logits", "mention_logits"]


def load_network(path: Path, backend: str) -> Any:
    """The network of a checked model directory on `backend` (one of `BACKENDS`); an ensemble runs
    on torch only. Fails naming the file that is missing or does not load."""
    from eventcoder.model import EventCoderConfig, EventCoderModel

    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (auto, {', '.join(BACKENDS)})")
    if is_ensemble(path):
        from eventcoder.ensemble import load_ensemble

        if backend != "torch":
            raise ValueError(f"{path} is an ensemble: only the torch backend reads it, not {backend!r}")
        return load_ensemble(path)
    if backend in ONNX_FILES:
        return OnnxModel(onnx_file(path, backend), EventCoderConfig.from_pretrained(str(path)))
    try:
        model = EventCoderModel.from_pretrained(str(path))
    except (OSError, ValueError, RuntimeError) as e:
        raise ValueError(f"{path / WEIGHTS_FILE} could not be loaded: {e}") from None
    return quantize_encoder(model.eval()) if backend == "torch-int8" else model


class OnnxModel:
    """Callable like EventCoderModel (inputs as keyword tensors), backed by ONNX Runtime."""

    def __init__(self, path: str | Path, config: Any, threads: int | None = None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or max(1, len(os.sched_getaffinity(0)))
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.config = config
        self.path = Path(path)

    def eval(self) -> OnnxModel:
        return self

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, mention_spans: torch.Tensor,
                 **_: Any) -> SimpleNamespace:
        ev, men = self.session.run(OUTPUTS, {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy(),
                                             "mention_spans": mention_spans.numpy()})
        return SimpleNamespace(event_logits=torch.from_numpy(ev), mention_logits=torch.from_numpy(men))


def quantize_encoder(model: torch.nn.Module, layers: Callable[[str], bool] | None = None) -> torch.nn.Module:
    """Dynamic int8 for the encoder's linear layers (weights int8 with one scale per output channel,
    activations quantised per batch); embeddings, layer norms and both heads stay fp32. Per-channel
    scales move the scores less than one scale per matrix (README, Prediction throughput). With
    `layers`, only the linear layers whose module name it accepts (benchmarks/int8_parts.py)."""
    from torch.ao.quantization import per_channel_dynamic_qconfig

    spec: dict = ({torch.nn.Linear: per_channel_dynamic_qconfig} if layers is None else
                  {n: per_channel_dynamic_qconfig for n, m in model.encoder.named_modules()
                   if isinstance(m, torch.nn.Linear) and layers(n)})
    with warnings.catch_warnings():  # torch.ao's eager quantisation warns that it will move to torchao
        warnings.simplefilter("ignore")
        model.encoder = torch.ao.quantization.quantize_dynamic(model.encoder, spec)
    return model
