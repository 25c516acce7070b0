"""ONNX export and the ONNX Runtime backend of the Predictor (a fused graph: the CPU fast path).

`export_onnx(dir)` writes `model.onnx` beside the weights (and `model.int8.onnx`, dynamically
quantised, with `quantize=True`). `OnnxModel` runs it with the same inputs and outputs as the torch
model, so `Predictor` does not care which one it holds.
"""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch

INPUTS = ["input_ids", "attention_mask", "mention_spans"]
OUTPUTS = ["event_logits", "mention_logits"]


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
    model = EventCoderModel.from_pretrained(str(d)).eval()
    ids = torch.ones(2, 16, dtype=torch.long)
    mask = torch.ones(2, 16, dtype=torch.long)
    spans = torch.tensor([[[1, 2], [3, 5]], [[2, 3], [0, 0]]], dtype=torch.long)
    target = d / "model.onnx"
    tmp = d / ".model.onnx.tmp"
    torch.onnx.export(_Wrapped(model), (ids, mask, spans), str(tmp), input_names=INPUTS, output_names=OUTPUTS,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "mention_spans": {0: "batch", 1: "mentions"},
                                    "event_logits": {0: "batch"}, "mention_logits": {0: "batch", 1: "mentions"}},
                      opset_version=opset, dynamo=False)
    os.replace(tmp, target)
    written = [target]
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        q = d / "model.int8.onnx"
        tmp_q = d / ".model.int8.onnx.tmp"
        quantize_dynamic(str(target), str(tmp_q), weight_type=QuantType.QInt8)
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
