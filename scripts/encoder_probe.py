"""Frozen-encoder probe: how much event type a backbone's text embeddings hold before fine-tuning.

A logistic regression on mean-pooled, frozen embeddings of the training articles, scored on both
dev sets. It compares encoders at forward cost only, as evidence for or against fine-tuning a
larger one (which costs hours on 2 CPU cores).

    .venv/bin/python scripts/encoder_probe.py --backbones minilm models/backbones/all-mpnet-base-v2
"""

from __future__ import annotations

import argparse
import time

import datasets
import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModel, AutoTokenizer

from eventcoder.backbones import resolve_backbone


def _articles(path: str, split: str, source: str | None) -> tuple[list[str], list[str]]:
    rows = datasets.load_from_disk(path)[split]
    seen: set[str] = set()
    texts, labels = [], []
    for row in rows:
        if source and row["source"] != source or row["id"] in seen:
            continue
        seen.add(row["id"])
        texts.append(row["text"])
        labels.append(row["event_type"])
    return texts, labels


@torch.inference_mode()
def embed(backbone: str, texts: list[str], max_length: int, windows: int) -> np.ndarray:
    """Mean-pooled embeddings of each text's first `windows` windows of `max_length` tokens, averaged."""
    path = resolve_backbone(backbone)
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    out = []
    for text in texts:
        enc = tok(text, truncation=True, max_length=max_length, stride=32,
                  return_overflowing_tokens=True, padding=True, return_tensors="pt")
        enc.pop("overflow_to_sample_mapping", None)
        enc = {k: v[:windows] for k, v in enc.items()}
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        vecs = (hidden * mask).sum(1) / mask.sum(1)
        vecs = torch.nn.functional.normalize(vecs, dim=-1).mean(0)
        out.append(vecs.numpy())
    return np.stack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbones", nargs="+", default=["minilm"])
    parser.add_argument("--train", default="data/processed/real_quick_cues_heads/dataset")
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--windows", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    torch.set_num_threads(2)
    train_x, train_y = _articles(args.train, "train", "train_articles")
    evals = {name: _articles(f"data/processed/{name}/dataset", "test", None)
             for name in ("dev_world", "dev_articles")}
    print(f"train: {len(train_x)} articles; " + ", ".join(f"{k}: {len(v[0])}" for k, v in evals.items()))

    def score(fit_x, eval_xs: dict[str, np.ndarray]) -> str:
        clf = LogisticRegression(max_iter=4000, class_weight="balanced", C=1.0).fit(fit_x, train_y)
        cells = []
        for name, (_, gold) in evals.items():
            pred = clf.predict(eval_xs[name])
            cells.append(f"{f1_score(gold, pred, average='macro'):.3f} / {accuracy_score(gold, pred):.3f}")
        return " | ".join(cells)

    print("| features | dev_world macro-F1 / accuracy | dev_articles macro-F1 / accuracy | seconds |")
    print("|---|---|---|---|")
    # the same classifier as the embedding rows, so only the features differ (the reports' baseline,
    # baselines.TfidfLogReg, tunes its own C for TF-IDF and answers another question)
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(train_x)
    print(f"| TF-IDF words+bigrams | {score(tfidf.transform(train_x), {k: tfidf.transform(v[0]) for k, v in evals.items()})} | – |")
    for backbone in args.backbones:
        for windows in args.windows:
            start = time.perf_counter()
            fit_x = embed(backbone, train_x, args.max_length, windows)
            eval_xs = {k: embed(backbone, v[0], args.max_length, windows) for k, v in evals.items()}
            took = time.perf_counter() - start
            print(f"| {backbone.split('/')[-1]}, first {windows} window(s) | {score(fit_x, eval_xs)} | {took:.0f} |", flush=True)


if __name__ == "__main__":
    main()
