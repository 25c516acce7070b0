"""Prediction throughput: the same articles, every way, in one run.

    .venv/bin/python benchmarks/predict_throughput.py --model models/minilm-real-articles \
        [--fast-model models/minilm-real-fast models/minilm-real-fast1] [--articles 35] [--repeats 5] [--lengths] \
        [--batch-sizes 4 16]

1. transformers `pipeline("text-classification")` on --model, one article at a time, truncated to
   512 tokens (event type only: the usual way people run an encoder classifier);
2. `Predictor` on --model with each backend (torch, torch-int8, ONNX, ONNX int8): every window of
   every article, both heads, length-sorted batches of --batch-size windows (with --batch-sizes, torch
   at other sizes too);
3. with --fast-model (distilled students, experiment=real_fast / real_fast1): the same for each, plus
   the pipeline on the student too, so the gain from the smaller encoder and the gain from the
   Predictor show apart.
Each variant is timed --repeats times in interleaved rounds (every variant once per round, so a burst
of load on this shared machine hits all of them alike); the median is reported with the range, and
the ratios are of medians. Prints articles/s, ratios to the pipeline on --model, each backend's agreement with its own model's
fp32 torch (with --agreement-dataset also on every text of a built dataset, untimed) and each
student's agreement with its teacher. With --lengths: seconds per article at 1×,
2×, 4× and 8× an article's length with the last model's default backend (cost should grow linearly).
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from eventcoder.batch import DEFAULT_BATCH_SIZE

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def timed(fn, *a, **kw) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*a, **kw)
    return time.perf_counter() - t, out


def pipeline_from(model_dir: Path):
    """A text-classification pipeline with the same encoder weights and event labels (any encoder
    architecture: BERT's classifier is a linear layer over the pooled window and takes the event head;
    another architecture's own head is timed as it comes)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    from eventcoder.model import EventCoderModel

    ours = EventCoderModel.from_pretrained(str(model_dir)).eval()
    cfg = ours.encoder.config
    cfg.num_labels = len(ours.config.event_labels)
    cfg.id2label = dict(enumerate(ours.config.event_labels))
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    clf = AutoModelForSequenceClassification.from_config(cfg).eval()
    clf.base_model.load_state_dict(ours.encoder.state_dict(), strict=False)
    if isinstance(getattr(clf, "classifier", None), torch.nn.Linear):
        clf.classifier.load_state_dict(ours.event_head.state_dict())
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    return pipeline("text-classification", model=clf, tokenizer=tok, device=-1)


def tokens_read(predictor, texts: list[str]) -> tuple[list[int], int]:
    """The lengths of the windows the Predictor feeds the encoder (every window of every article, with
    their overlap, and each headline read alone when its calibration weighs that reading) and the
    tokens the pipeline reads (each article truncated to 512): why their speeds differ at the same
    cost per token."""
    from eventcoder.features import article_windows, headline_only_windows

    tok, cfg = predictor.tokenizer, predictor.config
    windows = article_windows(tok, texts, [[] for _ in texts], int(cfg.window_length), int(cfg.window_stride),
                              bool(cfg.headline_context))
    if predictor.headline_weight > 0:
        windows += headline_only_windows(tok, texts, int(cfg.window_length))
    cut = sum(len(ids) for ids in tok(texts, truncation=True, max_length=512)["input_ids"])
    return [len(w["input_ids"]) for w in windows], cut


def padded(lengths: list[int], batch_size: int) -> int:
    """Tokens fed with padding when windows sorted by length go in batches of `batch_size`."""
    ordered = sorted(lengths)
    return sum(max(ordered[b:b + batch_size]) * len(ordered[b:b + batch_size])
               for b in range(0, len(ordered), batch_size))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/minilm-sample")
    ap.add_argument("--fast-model", nargs="+", default=[], help="students of --model (one or more)")
    ap.add_argument("--articles", type=int, default=35)
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="windows per forward pass")
    ap.add_argument("--repeats", type=int, default=5, help="timed rounds; the median is reported")
    ap.add_argument("--batch-sizes", nargs="*", type=int, default=[],
                    help="also time Predictor torch at these batch sizes, in the same rounds")
    ap.add_argument("--lengths", action="store_true")
    ap.add_argument("--agreement-dataset", default=None,
                    help="a built dataset (e.g. data/processed/dev_articles/dataset): each backend's agreement "
                         "with torch on all its texts too, untimed")
    args = ap.parse_args()
    import torch

    from eventcoder.data.readers import load_sample
    from eventcoder.export import agreement, export_onnx
    from eventcoder.model_dir import BACKENDS
    from eventcoder.predictor import Predictor

    texts = [a.text for a in load_sample("test")][: args.articles]
    models = [Path(args.model)] + [Path(m) for m in args.fast_model]
    runs: dict[str, object] = {}  # name -> a callable that reads all the texts once
    outputs: dict[tuple[Path, str], list] = {}
    predictors: dict[tuple[Path, str], Predictor] = {}
    for model_dir in models:
        if not (model_dir / "model.int8.onnx").is_file():
            export_onnx(model_dir, quantize=True)
        pipe = pipeline_from(model_dir)
        pipe(texts[0], truncation=True, max_length=512)  # warm-up
        runs[f"{model_dir.name}: pipeline (1 at a time, 512 max, event only)"] = (
            lambda pipe=pipe: [pipe(t, truncation=True, max_length=512) for t in texts])
        for b in BACKENDS:
            p = predictors[model_dir, b] = Predictor.from_pretrained(model_dir, backend=b)
            p(texts[:2], batch_size=args.batch_size)  # warm-up
            outputs[model_dir, b] = p(texts, batch_size=args.batch_size)
            runs[f"{model_dir.name}: Predictor {b} (all windows, both heads)"] = (
                lambda p=p: p(texts, batch_size=args.batch_size))
        for size in (s for s in args.batch_sizes if s != args.batch_size):
            runs[f"{model_dir.name}: Predictor torch, batches of {size} windows"] = (
                lambda p=predictors[model_dir, "torch"], size=size: p(texts, batch_size=size))
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(max(1, args.repeats)):
        for name, run in runs.items():
            times[name].append(timed(run)[0])
    results = {name: statistics.median(ts) for name, ts in times.items()}
    t_pipe = next(iter(results.values()))
    print(f"{len(texts)} articles, torch threads {torch.get_num_threads()}, median of {max(1, args.repeats)} "
          f"interleaved rounds (range of articles/s in brackets)")
    for name, t in results.items():
        lo, hi = len(texts) / max(times[name]), len(texts) / min(times[name])
        print(f"{name:72s} {len(texts) / t:7.2f} articles/s ({lo:.1f}–{hi:.1f})   ×{t_pipe / t:5.2f} "
              f"vs pipeline on {models[0].name}")

    def agreement_line(a: list, b: list) -> str:
        same = agreement(a, b)
        return f"event type {same['same_event_type']:.1%}, totals {same['same_totals']:.1%}"

    for model_dir in models:
        lexical = predictors[model_dir, "torch"].lexical
        if lexical is not None:  # the lexical event-type reading, part of each Predictor time above
            t, _ = timed(lexical.log_probs, texts, predictors[model_dir, "torch"].event_labels)
            t_torch = results[f"{model_dir.name}: Predictor torch (all windows, both heads)"]
            print(f"lexical reading, {model_dir.name}: {t:.3f} s for {len(texts)} articles "
                  f"({t / t_torch:.1%} of Predictor torch)")
        lengths, cut = tokens_read(predictors[model_dir, "torch"], texts)
        read = sum(lengths)
        print(f"tokens read, {model_dir.name}: Predictor {read:,} in {len(lengths)} windows, pipeline {cut:,} "
              f"(first 512 of each article): ×{read / cut:.2f}; fed with padding, in batches of "
              + ", ".join(f"{size}: {padded(lengths, size):,}" for size in sorted({args.batch_size, *args.batch_sizes})))
    for model_dir in models:
        for b in BACKENDS[1:]:
            print(f"agreement {model_dir.name} {b} vs its torch: "
                  f"{agreement_line(outputs[model_dir, 'torch'], outputs[model_dir, b])}")
    if args.agreement_dataset:
        from datasets import concatenate_datasets, load_from_disk

        ds = load_from_disk(args.agreement_dataset)
        more = list((concatenate_datasets(list(ds.values())) if hasattr(ds, "values") else ds)["text"])
        for model_dir in models:
            runs = {b: predictors[model_dir, b](more, batch_size=args.batch_size) for b in BACKENDS}
            for b in BACKENDS[1:]:
                print(f"agreement on {len(more)} texts of {args.agreement_dataset}, {model_dir.name} {b} vs its torch: "
                      f"{agreement_line(runs['torch'], runs[b])}")
    for student in models[1:]:
        print(f"agreement {student.name} vs {models[0].name} (torch): "
              f"{agreement_line(outputs[models[0], 'torch'], outputs[student, 'torch'])}")
    if args.lengths:
        p = Predictor.from_pretrained(models[-1])
        one = max(texts, key=len)
        print(f"length scaling: {models[-1].name}, backend {p.backend}")
        for k in (1, 2, 4, 8):
            t, _ = timed(p, ["\n".join([one] * k)])
            print(f"length ×{k}: {t:.2f} s per article ({t / k:.2f} s per 1× of text)")


if __name__ == "__main__":
    main()
