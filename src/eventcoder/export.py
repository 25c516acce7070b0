"""Writing the Predictor's CPU fast paths (ONNX files) and the measured choice between its backends.

`export_onnx(dir)` writes `model.onnx` beside the weights (and `model.int8.onnx`, dynamically
quantised per channel, with `quantize=True`). `runtimes.OnnxModel` runs it with the same inputs and outputs
as the torch model, so `Predictor` does not care which one it holds. `runtimes.quantize_encoder` makes the torch int8
variant: the encoder's linear layers in int8, the small heads left in fp32 (on this CPU neither
int8 variant keeps the 6-layer model's casualty totals on 99 % of articles; the 1-layer student's
ONNX int8 does: see README, Prediction throughput). `choose_backend` times every backend on the same articles,
measures its agreement with fp32 torch, and records in `backend.json` the fastest that agrees:
the Predictor's `auto`.
"""
from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from eventcoder.batch import DEFAULT_BATCH_SIZE
from eventcoder.model_dir import BACKENDS, ENSEMBLE_FILE, ONNX_FILES, is_ensemble, write_backend_choice
from eventcoder.runtimes import INPUTS, OUTPUTS


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
    write_backend_choice(d, record)
    return record
