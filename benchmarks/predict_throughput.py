"""Prediction throughput: the same model and articles, three ways, in one run.

    .venv/bin/python benchmarks/predict_throughput.py --model models/minilm-sample [--articles 35] [--lengths]

1. transformers `pipeline("text-classification")`, one article at a time, truncated to 512 tokens
   (event type only: the usual way people run an encoder classifier);
2. `Predictor` (torch): every window of every article, both heads, length-sorted batches;
3. `Predictor` (ONNX Runtime), and its int8 variant when `model.int8.onnx` exists.
Prints articles/s and the ratios to the pipeline. With --lengths it also prints seconds per
article at 1×, 2×, 4× and 8× an article's length (cost should grow linearly).
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def timed(fn, *a, **kw) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*a, **kw)
    return time.perf_counter() - t, out


def pipeline_from(model_dir: Path):
    """A text-classification pipeline with the same encoder weights and event labels."""
    from transformers import AutoTokenizer, BertForSequenceClassification, pipeline

    from eventcoder.model import EventCoderModel

    ours = EventCoderModel.from_pretrained(str(model_dir)).eval()
    cfg = ours.encoder.config
    cfg.num_labels = len(ours.config.event_labels)
    cfg.id2label = dict(enumerate(ours.config.event_labels))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    clf = BertForSequenceClassification(cfg).eval()
    clf.bert.load_state_dict(ours.encoder.state_dict(), strict=False)
    clf.classifier.load_state_dict(ours.event_head.state_dict())
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    return pipeline("text-classification", model=clf, tokenizer=tok, device=-1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/minilm-sample")
    ap.add_argument("--articles", type=int, default=35)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lengths", action="store_true")
    args = ap.parse_args()
    import torch

    from eventcoder.data.readers import load_sample
    from eventcoder.export import export_onnx
    from eventcoder.predictor import Predictor

    model_dir = Path(args.model)
    texts = [a.text for a in load_sample("test")][: args.articles]
    if not (model_dir / "model.onnx").is_file():
        export_onnx(model_dir, quantize=True)
    pipe = pipeline_from(model_dir)
    pipe(texts[0], truncation=True, max_length=512)  # warm-up
    t_pipe, _ = timed(lambda: [pipe(t, truncation=True, max_length=512) for t in texts])
    results = {"pipeline (1 at a time, 512 max, event only)": t_pipe}
    backends = ["torch", "onnx"] + (["onnx-int8"] if (model_dir / "model.int8.onnx").is_file() else [])
    outputs = {}
    for b in backends:
        p = Predictor.from_pretrained(model_dir, backend=b)
        p(texts[:2], batch_size=args.batch_size)
        t, outputs[b] = timed(p, texts, batch_size=args.batch_size)
        results[f"Predictor {b} (all windows, both heads)"] = t
    print(f"{len(texts)} articles, torch threads {torch.get_num_threads()}, model {model_dir}")
    for name, t in results.items():
        print(f"{name:48s} {len(texts) / t:7.2f} articles/s   ×{t_pipe / t:5.2f} vs pipeline")
    base = outputs["torch"]
    for b in backends[1:]:
        ev = sum(x["event_type"] == y["event_type"] for x, y in zip(base, outputs[b], strict=True)) / len(texts)
        tot = sum((x["killed"], x["injured"]) == (y["killed"], y["injured"])
                  for x, y in zip(base, outputs[b], strict=True)) / len(texts)
        print(f"agreement {b} vs torch: event type {ev:.1%}, totals {tot:.1%}")
    if args.lengths:
        p = Predictor.from_pretrained(model_dir, backend="onnx")
        one = max(texts, key=len)
        for k in (1, 2, 4, 8):
            t, _ = timed(p, ["\n".join([one] * k)])
            print(f"length ×{k}: {t:.2f} s per article ({t / k:.2f} s per 1× of text)")


if __name__ == "__main__":
    main()
