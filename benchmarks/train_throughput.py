"""Training throughput of the MiniLM multitask model on this CPU, measured in one run.

    .venv/bin/python benchmarks/train_throughput.py [--steps 5] [--batch 16] [--length 256]

Prints seconds per optimizer step, real (non-padding) tokens per second, the model FLOP rate as a
fraction of the fp32 matmul peak measured in the same run, and the padding waste of random batches
vs length-grouped batches (the Trainer's `group_by_length` sampling) on the sample corpus windows.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from _common import matmul_peak_gflops  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--length", type=int, default=256)
    args = ap.parse_args()
    from transformers import AutoTokenizer

    from eventcoder.backbones import resolve_backbone
    from eventcoder.data.readers import load_sample
    from eventcoder.features import WindowCollator, article_windows
    from eventcoder.model import EventCoderModel
    from eventcoder.numbers import count_candidates
    from eventcoder.taxonomy import load_taxonomy

    torch.manual_seed(0)
    tax = load_taxonomy("acled")
    path = str(resolve_backbone("minilm"))
    tok = AutoTokenizer.from_pretrained(path)
    model = EventCoderModel.from_backbone(path, tax.event_labels, tax.mention_labels).train()
    arts = load_sample("train")
    texts = [a.text for a in arts]
    spans = [[(m.start, m.end) for m in count_candidates(t)] for t in texts]
    wins = article_windows(tok, texts, spans, args.length, 64)
    feats = [{"input_ids": w["input_ids"], "event_labels": 0, "mention_token_start": [s for _, s, _ in w["mentions"]],
              "mention_token_end": [e for _, _, e in w["mentions"]],
              "mention_labels": [0] * len(w["mentions"])} for w in wins]
    collate = WindowCollator(tok.pad_token_id)
    rng = random.Random(0)

    def padding_waste(batches):
        real = sum(len(f["input_ids"]) for b in batches for f in b)
        padded = sum(max(len(f["input_ids"]) for f in b) * len(b) for b in batches)
        return 1 - real / padded

    shuffled = feats[:]
    rng.shuffle(shuffled)
    random_batches = [shuffled[i:i + args.batch] for i in range(0, len(shuffled), args.batch)]
    by_len = sorted(feats, key=lambda f: len(f["input_ids"]))
    grouped = [by_len[i:i + args.batch] for i in range(0, len(by_len), args.batch)]
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
    full = [f for f in feats if len(f["input_ids"]) == args.length] or feats
    batch = collate((full * args.batch)[:args.batch])
    model(**batch).loss.backward()  # warm-up
    opt.step()
    opt.zero_grad()
    times = []
    for _ in range(args.steps):
        t = time.perf_counter()
        model(**batch).loss.backward()
        opt.step()
        opt.zero_grad()
        times.append(time.perf_counter() - t)
    step = sorted(times)[len(times) // 2]
    tokens = int(batch["attention_mask"].sum())
    params = sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)
    layers, hidden = model.encoder.config.num_hidden_layers, model.encoder.config.hidden_size
    flops = 6 * params * tokens + 12 * layers * hidden * args.length * tokens  # dense + attention, fwd+bwd
    peak = matmul_peak_gflops()
    print(f"threads: {torch.get_num_threads()}  batch {args.batch} × {args.length} tokens  steps: {args.steps}")
    print(f"seconds per step (median): {step:.2f}")
    print(f"tokens per second: {tokens / step:.0f}")
    print(f"model GFLOP/s: {flops / step / 1e9:.1f}; fp32 matmul peak measured now: {peak:.1f} GFLOP/s; "
          f"fraction of peak: {flops / step / 1e9 / peak:.2f}")
    print(f"sample-corpus windows: {len(feats)}; padding waste random batches: {padding_waste(random_batches):.1%}, "
          f"length-grouped: {padding_waste(grouped):.1%}")
    est = step * len(feats) / args.batch
    print(f"one epoch of the sample corpus at this step time: ~{est:.0f} s")


if __name__ == "__main__":
    main()
