"""Does a speed change keep the output? Fingerprints of what the Predictor computes before the
encoder, to compare across commits, and its records at several batch sizes, compared in one run.

    .venv/bin/python benchmarks/same_output.py --sets sample dev_articles real_quick case2021 --rows 3000 \
        --model models/minilm-real-fast1-articles --batch-sizes 8 16

For each built dataset (`data/processed/<set>/dataset`, all splits, the first --rows texts) it prints
a SHA-256 of every number mention (`numbers.find_mentions`, every field) and of every window
(`features.article_windows` at 256 tokens with a 32- and a 64-token overlap, with and without the
headline context, and `headline_only_windows`): run it at two commits and compare the lines.
With --model: a SHA-256 of the model's records for the texts of --record-sets (every field, as
written), to compare across commits (a restructuring must leave it unchanged); with --batch-sizes
too: the records at each batch size, how many are identical to the first size's, and where the
others differ.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

WINDOW_SETTINGS = [(256, 32, False), (256, 32, True), (256, 64, False), (256, 64, True)]


def texts_of(name: str, rows: int | None) -> list[str]:
    from datasets import concatenate_datasets, load_from_disk

    ds = load_from_disk(f"data/processed/{name}/dataset")
    ds = concatenate_datasets(list(ds.values())) if hasattr(ds, "values") else ds
    texts = list(ds["text"])
    return texts[:rows] if rows else texts


def fingerprints(tokenizer, texts: list[str]) -> tuple[str, str]:
    """SHA-256 (16 hex digits) of the texts' number mentions and of their windows."""
    from eventcoder.features import article_windows, headline_only_windows
    from eventcoder.numbers import find_mentions

    found = [find_mentions(t) for t in texts]
    mentions = hashlib.sha256(json.dumps([[m.to_dict() for m in ms] for ms in found]).encode())
    spans = [[(m.start, m.end) for m in ms if m.is_count] for ms in found]
    windows = hashlib.sha256()
    for length, stride, headline_context in WINDOW_SETTINGS:
        windows.update(json.dumps(article_windows(tokenizer, texts, spans, length, stride, headline_context)).encode())
    windows.update(json.dumps(headline_only_windows(tokenizer, texts, 256)).encode())
    return mentions.hexdigest()[:16], windows.hexdigest()[:16]


def differences(a: object, b: object, path: str = "") -> list[str]:
    """Each leaf where two records differ, as `path: a → b` (no sentences printed unless they differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for k, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{k}]")]
    return [] if a == b else [f"{path}: {a!r} → {b!r}"[:300]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", default=["sample", "dev_articles", "real_quick", "case2021"])
    ap.add_argument("--rows", type=int, default=3000, help="texts per set (0: all)")
    ap.add_argument("--tokenizer", default="models/minilm-real-articles")
    ap.add_argument("--model", default=None)
    ap.add_argument("--batch-sizes", nargs="*", type=int, default=[])
    ap.add_argument("--record-sets", nargs="+", default=["sample", "dev_articles"])
    args = ap.parse_args()
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args.model or args.tokenizer)
    total = 0
    for name in args.sets:
        texts = texts_of(name, args.rows)
        total += len(texts)
        mentions, windows = fingerprints(tokenizer, texts)
        print(f"{name}: {len(texts)} texts, mentions {mentions}, windows {windows}")
    print(f"{total} texts in all")
    if args.model:
        from eventcoder.predictor import Predictor

        predictor = Predictor.from_pretrained(args.model)
        texts = [t for name in args.record_sets for t in texts_of(name, None)]
        records = predictor(texts)
        digest = hashlib.sha256("\n".join(json.dumps(r, sort_keys=True) for r in records).encode()).hexdigest()[:16]
        print(f"{args.model}, {len(texts)} texts of {', '.join(args.record_sets)}: records {digest}")
    if args.model and len(args.batch_sizes) > 1:
        runs = {size: predictor(texts, batch_size=size) for size in args.batch_sizes}
        first, *others = args.batch_sizes
        for size in others:
            diffs = [differences(a, b) for a, b in zip(runs[first], runs[size], strict=True)]
            print(f"{args.model}, {len(texts)} texts of {', '.join(args.record_sets)}: batches of {size} give "
                  f"{sum(not d for d in diffs)} records identical to batches of {first}")
            for k, d in enumerate(diffs):
                if d:
                    print(f"  text {k}: " + "; ".join(d))


if __name__ == "__main__":
    main()
