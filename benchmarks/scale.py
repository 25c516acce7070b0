"""The Ray Data path against the single-process batch CLI on the same articles, in one run.

    .venv/bin/python benchmarks/scale.py --model models/minilm-real-quick [--articles 2000] [--workers 2]

Writes N articles (the sample corpus repeated, ids made unique, 3 bad rows among them) as 4 JSONL
shards, then codes them (1) with `eventcoder predict` in one process (torch using every core) and
(2) with `eventcoder predict --engine ray` on a local Ray started here (`--workers` actors with one
Predictor each, the cores split between them). Both run as subprocesses, as users run them, so
each figure includes start-up (imports, model load; for Ray, the cluster and its actors). Prints
articles/s, the Ray/CLI ratio, the start-up cost measured on a 20-article run, and whether the
counts and the predicted totals agree.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_shards(root: Path, n: int, shards: int = 4) -> list[Path]:
    from eventcoder.data.readers import load_sample

    texts = [a.text for a in load_sample("train")]
    rows = [json.dumps({"id": f"a{i}", "text": texts[i % len(texts)]}) for i in range(n)]
    for k in (n // 3, n // 2, n - 2):  # three bad rows: error records, not crashes
        rows[k] = "{not json" if k == n // 3 else json.dumps({"id": f"a{k}", "text": "  "})
    root.mkdir(parents=True)
    per = -(-n // shards)
    paths = []
    for s in range(shards):
        p = root / f"part-{s}.jsonl"
        p.write_text("\n".join(rows[s * per:(s + 1) * per]) + "\n")
        paths.append(p)
    return paths


def run(cmd: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t


def cli(shards: list[Path], out: Path, model: str) -> tuple[float, dict[str, dict]]:
    """The single-process CLI over each shard in turn (it takes one input file)."""
    wall, preds = 0.0, {}
    for s in shards:
        target = out / f"{s.stem}.jsonl"
        wall += run([sys.executable, "-m", "eventcoder.cli", "predict", "--input", str(s), "--output", str(target),
                     "--model", model, "--no-progress"])
        for line in target.read_text().splitlines():
            rec = json.loads(line)
            preds[f"{s.resolve()}:{rec['row']}"] = rec
    return wall, preds


def ray(shards: list[Path], out: Path, model: str, workers: int) -> tuple[float, dict[str, dict]]:
    from eventcoder.ray_batch import read_records

    wall = run([sys.executable, "-m", "eventcoder.cli", "predict", "--engine", "ray", "--workers", str(workers),
                "--input", *map(str, shards), "--output", str(out), "--model", model])
    preds, _ = read_records(out)
    return wall, {f"{p['file']}:{p['row']}": p for p in preds}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/minilm-real-quick")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        small = write_shards(root / "small", 20, shards=1)
        big = write_shards(root / "big", args.articles)
        (root / "cli-small").mkdir()
        (root / "cli-big").mkdir()
        start_cli, _ = cli(small, root / "cli-small", args.model)
        start_ray, _ = ray(small, root / "ray-small", args.model, args.workers)
        t_cli, p_cli = cli(big, root / "cli-big", args.model)
        t_ray, p_ray = ray(big, root / "ray-big", args.model, args.workers)
    n = args.articles
    same = sum((p_cli[k]["event_type"], p_cli[k]["killed"], p_cli[k]["injured"]) ==
               (p_ray[k]["event_type"], p_ray[k]["killed"], p_ray[k]["injured"]) for k in p_cli if k in p_ray)
    print(f"{n} articles in 4 shards (3 bad rows), model {args.model}, {os.cpu_count()} CPUs")
    print(f"single-process CLI:            {t_cli:7.1f} s  {n / t_cli:6.2f} articles/s  (start-up ≈ {start_cli:.1f} s "
          f"per process, 4 processes)")
    print(f"Ray Data, {args.workers} actors:            {t_ray:7.1f} s  {n / t_ray:6.2f} articles/s  (start-up ≈ "
          f"{start_ray:.1f} s once)")
    print(f"Ray / CLI throughput ratio: ×{t_cli / t_ray:.2f}; Ray overhead on this machine: "
          f"{(t_ray - t_cli) / t_cli:+.1%} of the CLI's wall time")
    print(f"predictions: CLI {len(p_cli)}, Ray {len(p_ray)}; same event type and totals on {same}/{len(p_cli)}")


if __name__ == "__main__":
    main()
