"""The CPU fast paths of the Predictor and the measured choice between them.

`export_onnx(dir)` writes `model.onnx` beside the weights (and `model.int8.onnx`, dynamically
quantised per channel, with `quantize=True`). `OnnxModel` runs it with the same inputs and outputs
as the torch model, so `Predictor` does not care which one it holds. `quantize_encoder` makes the torch int8
variant: the encoder's linear layers in int8, the small heads left in fp32 (on this CPU neither
int8 variant keeps the 6-layer model's casualty totals on 99 % of articles; the 1-layer student's
ONNX int8 does: see README, Prediction throughput). `choose_backend` times every backend on the same articles,
measures its agreement with fp32 torch, and records in `backend.json` the fastest that agrees:
the Predictor's `auto`.
"""
from __future__ import annotations

import json
import os
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch

from eventcoder.batch import DEFAULT_BATCH_SIZE

INPUTS = ["input_ids", "attention_mask", "mention_spans"]
OUTPUTS = ["event_logits", "mention_logits"]
BACKENDS = ["torch", "torch-int8", "onnx", "onnx-int8"]
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}  # backend → file in the model dir
BACKEND_FILE = "backend.json"


class _Wrapped(torch.nn.Module):
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, mention_spans):
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, mention_spans=mention_spans)
        return out.event_logits, out.mention_logits


def export_onnx(model_dir: str | Path, quantize: bool = False, opset: int = 17) -> list[Path]:
    """Export the model of `model_dir` to ONNX (atomically); return the files written."""
    from eventcoder.model import EventCoderModel
    from eventcoder.predictor import ENSEMBLE_FILE, is_ensemble

    d = Path(model_dir)
    if is_ensemble(d):
        raise ValueError(f"{d} is an ensemble ({ENSEMBLE_FILE}): export each member instead; the ensemble "
                         "runs on the torch backend")
    model = EventCoderModel.from_pretrained(str(d)).eval()
    ids = torch.ones(2, 16, dtype=torch.long)
    mask = torch.ones(2, 16, dtype=torch.long)
    spans = torch.tensor([[[1, 2], [3, 5]], [[2, 3], [0, 0]]], dtype=torch.long)
    target = d / ONNX_FILES["onnx"]
    tmp = d / f".{target.name}.tmp"
    torch.onnx.export(_Wrapped(model), (ids, mask, spans), str(tmp), input_names=INPUTS, output_names=OUTPUTS,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "mention_spans": {0: "batch", 1: "mentions"},
                                    "event_logits": {0: "batch"}, "mention_logits": {0: "batch", 1: "mentions"}},
                      opset_version=opset, dynamo=False)
    os.replace(tmp, target)
    written = [target]
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        q = d / ONNX_FILES["onnx-int8"]
        tmp_q = d / f".{q.name}.tmp"
        quantize_dynamic(str(target), str(tmp_q), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp_q, q)
        written.append(q)
    return written


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


def agreement(reference: Sequence[dict[str, Any]], other: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Shares of articles on which two runs' predictions give the same event type and the same
    killed and injured totals (how a faster backend or a student is held to the reference)."""
    pairs = list(zip(reference, other, strict=True))
    n = max(1, len(pairs))
    return {"same_event_type": sum(a["event_type"] == b["event_type"] for a, b in pairs) / n,
            "same_totals": sum((a["killed"], a["injured"]) == (b["killed"], b["injured"]) for a, b in pairs) / n}


def choose_backend(model_dir: str | Path, texts: Sequence[str], min_agreement: float = 0.99,
                   batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, Any]:
    """Time each available backend on `texts` (after a warm-up) and compare its event types and
    totals with fp32 torch; write `backend.json` naming the fastest whose agreement on both is at
    least `min_agreement`, with every measurement, and return that record."""
    from eventcoder.io import atomic_open
    from eventcoder.predictor import Predictor

    d = Path(model_dir)
    texts = list(texts)
    measured: dict[str, dict[str, float]] = {}
    reference: list[dict[str, Any]] = []
    for name in BACKENDS:
        if name in ONNX_FILES and not (d / ONNX_FILES[name]).is_file():
            continue
        predictor = Predictor.from_pretrained(d, backend=name)
        predictor(texts[:2], batch_size=batch_size)
        start = time.perf_counter()
        out = predictor(texts, batch_size=batch_size)
        seconds = time.perf_counter() - start
        reference = reference or out
        measured[name] = {"articles_per_second": round(len(texts) / seconds, 3),
                          **{k: round(v, 4) for k, v in agreement(reference, out).items()}}
    keeps = [n for n, m in measured.items() if min(m["same_event_type"], m["same_totals"]) >= min_agreement]
    record = {"default": max(keeps, key=lambda n: measured[n]["articles_per_second"]),
              "min_agreement": min_agreement, "articles": len(texts), "measured": measured}
    with atomic_open(d / BACKEND_FILE) as f:
        f.write(json.dumps(record, indent=2) + "\n")
    return record
