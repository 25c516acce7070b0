"""Training throughput of the multitask model on this CPU, measured in one run.

    .venv/bin/python benchmarks/train_throughput.py [--steps 5] [--batch 16] [--length 256] \
        [--backbones minilm models/backbones/all-mpnet-base-v2]

Prints, for each backbone (MiniLM by default; a larger encoder by its directory, e.g. the one
`scripts/get_mpnet.sh` unpacks), seconds per optimizer step, real (non-padding) tokens per second,
windows per second of the forward pass alone (what prediction costs), the model FLOP rate as a
fraction of the fp32 matmul peak measured in the same run, and each backbone's cost against the
first. Then the padding waste of random batches vs length-grouped batches (the Trainer's
`group_by_length` sampling) on the sample corpus windows.
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


def measure(path: str, texts: list[str], args: argparse.Namespace) -> dict:
    """Step time, forward windows per second and FLOP rate of one backbone on the sample windows."""
    from transformers import AutoTokenizer

    from eventcoder.features import WindowCollator, article_windows
    from eventcoder.model import EventCoderModel
    from eventcoder.numbers import count_candidates
    from eventcoder.taxonomy import load_taxonomy

    torch.manual_seed(0)
    tax = load_taxonomy("acled")
    tok = AutoTokenizer.from_pretrained(path)
    model = EventCoderModel.from_backbone(path, tax.event_labels, tax.mention_labels).train()
    spans = [[(m.start, m.end) for m in count_candidates(t)] for t in texts]
    wins = article_windows(tok, texts, spans, args.length, 64)
    feats = [{"input_ids": w["input_ids"], "event_labels": 0, "mention_token_start": [s for _, s, _ in w["mentions"]],
              "mention_token_end": [e for _, _, e in w["mentions"]],
              "mention_labels": [0] * len(w["mentions"])} for w in wins]
    collate = WindowCollator(tok.pad_token_id)
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
    model.eval()
    forward = []
    with torch.inference_mode():
        for _ in range(args.steps):
            t = time.perf_counter()
            model(**batch)
            forward.append(time.perf_counter() - t)
    step = sorted(times)[len(times) // 2]
    tokens = int(batch["attention_mask"].sum())
    params = sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)
    layers, hidden = model.encoder.config.num_hidden_layers, model.encoder.config.hidden_size
    flops = 6 * params * tokens + 12 * layers * hidden * args.length * tokens  # dense + attention, fwd+bwd
    return {"step": step, "tokens": tokens, "flops": flops, "params": params, "layers": layers, "hidden": hidden,
            "windows_per_s": args.batch / sorted(forward)[len(forward) // 2], "feats": feats}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--length", type=int, default=256)
    ap.add_argument("--backbones", nargs="+", default=["minilm"],
                    help="backbone names or model directories; the first is the one the others are compared with")
    args = ap.parse_args()
    from eventcoder.backbones import resolve_backbone
    from eventcoder.data.readers import load_sample

    texts = [a.text for a in load_sample("train")]
    peak = matmul_peak_gflops()
    print(f"threads: {torch.get_num_threads()}  batch {args.batch} × {args.length} tokens  steps: {args.steps}; "
          f"fp32 matmul peak measured now: {peak:.1f} GFLOP/s")
    results = {}
    for name in args.backbones:
        r = results[name] = measure(str(resolve_backbone(name)), texts, args)
        base = results[args.backbones[0]]
        print(f"{name}: {r['layers']} layers × {r['hidden']} hidden, {r['params'] / 1e6:.1f} M parameters "
              f"outside the embeddings")
        print(f"  seconds per step (median): {r['step']:.2f}; tokens per second: {r['tokens'] / r['step']:.0f}; "
              f"model GFLOP/s: {r['flops'] / r['step'] / 1e9:.1f} ({r['flops'] / r['step'] / 1e9 / peak:.2f} of peak)")
        print(f"  forward alone: {r['windows_per_s']:.1f} windows per second")
        print(f"  one epoch of the sample corpus at this step time: ~{r['step'] * len(r['feats']) / args.batch:.0f} s")
        if r is not base:
            print(f"  against {args.backbones[0]}: {r['step'] / base['step']:.1f}× the step time, "
                  f"{base['windows_per_s'] / r['windows_per_s']:.1f}× the prediction time")
    feats = results[args.backbones[0]]["feats"]
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
    print(f"sample-corpus windows ({args.backbones[0]}): {len(feats)}; padding waste random batches: "
          f"{padding_waste(random_batches):.1%}, length-grouped: {padding_waste(grouped):.1%}")


if __name__ == "__main__":
    main()
