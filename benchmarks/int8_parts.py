"""Which parts of the encoder can run in int8 and keep the fp32 Predictor's output? One run, the same
articles: the Predictor in fp32 torch, then with each group of the encoder's linear layers
dynamically quantised to int8 (per channel: `runtimes.quantize_encoder` with a layer filter).
Prints each variant's speed as a ratio to fp32 in the same run and its agreement with fp32 on event
types and killed/injured totals, per set (the issue's bar: 99 % on the sample test split).

    .venv/bin/python benchmarks/int8_parts.py --model models/minilm-real-articles --sets sample dev_articles
"""
from __future__ import annotations

import argparse
import copy
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# variant → which of the encoder's linear layers (by module name) run in int8
VARIANTS = {
    "all linear layers": lambda name: True,
    "feed-forward only": lambda name: "intermediate.dense" in name or (name.endswith("output.dense")
                                                                       and "attention" not in name),
    "feed-forward input only": lambda name: name.endswith("intermediate.dense"),
    "attention q/k/v only": lambda name: name.endswith(("query", "key", "value")),
    "layers 0-2 only": lambda name: any(f"layer.{i}." in name for i in (0, 1, 2)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="models/minilm-real-articles")
    parser.add_argument("--sets", nargs="+", default=["sample", "dev_articles"])
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    from eventcoder.eval_sets import load_set, scoring_context
    from eventcoder.export import agreement
    from eventcoder.runtimes import quantize_encoder

    predictor, cfg = scoring_context(args.model)
    texts = {spec: [r["text"] for r in load_set(spec, cfg)] for spec in args.sets}
    every = [t for spec in args.sets for t in texts[spec]]
    fp32 = predictor.model
    predictor(every[:2], batch_size=args.batch_size)  # warm-up

    def run() -> tuple[float, dict[str, list]]:
        start = time.perf_counter()
        out = predictor(every, batch_size=args.batch_size)
        seconds = time.perf_counter() - start
        split, k = {}, 0
        for spec in args.sets:
            split[spec] = out[k:k + len(texts[spec])]
            k += len(texts[spec])
        return seconds, split

    base_seconds, reference = run()
    print(f"{len(every)} articles ({', '.join(f'{s}: {len(texts[s])}' for s in args.sets)}); "
          f"fp32 torch {len(every) / base_seconds:.2f} articles/s\n")
    print("| int8 part | speed vs fp32 | " + " | ".join(f"{s}: same event type / same totals" for s in args.sets)
          + " |\n|---|---|" + "---|" * len(args.sets))
    for name, chosen in VARIANTS.items():
        predictor.model = quantize_encoder(copy.deepcopy(fp32), chosen).eval()
        seconds, out = run()
        cells = []
        for spec in args.sets:
            a = agreement(reference[spec], out[spec])
            cells.append(f"{a['same_event_type']:.1%} / {a['same_totals']:.1%}")
        print(f"| {name} | ×{base_seconds / seconds:.2f} | " + " | ".join(cells) + " |", flush=True)
    predictor.model = fp32


if __name__ == "__main__":
    main()
