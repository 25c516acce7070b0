"""Which articles should the learned toll step be fitted on? One step per pool of labelled sets; each
scored set decoded without a step and with each step fitted on a pool that does not hold it.

    .venv/bin/python scripts/toll_pools.py --model models/minilm-real-articles \
        --score dev_world dev_articles --out reports/toll-pools

Pools: the held-out rows of the stage-2 pool that `configs/toll.yaml` names ("held-out"; `--held`
sets others), each scored
set alone, and the held-out rows with each scored set; `--oof DIR` adds the out-of-fold scores of
`eventcoder crossfit` (one row per article) beside the held-out rows. The network runs once per
set; the decoding settings are the model's stored ones. Counts of articles: killed and injured
totals exact (where gold reports any) and by-group exact. Writes `<out>/report.md` and `metrics.json`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

KEYS = ("killed exact", "killed exact, reported", "injured exact", "injured exact, reported", "by-group exact")


def run(model: str, scored: list[str], held: list[str] | None = None, oof: str | None = None) -> dict[str, Any]:
    from omegaconf import OmegaConf

    from eventcoder.eval_sets import load_set, scoring_context
    from eventcoder.fit_toll import toll_examples
    from eventcoder.paths import CONFIG_DIR
    from eventcoder.scoring import article_counts
    from eventcoder.toll import fit

    predictor, cfg = scoring_context(model)
    held = held or list(OmegaConf.load(CONFIG_DIR / "toll.yaml").fit_sets)
    sets: dict[str, tuple[list, list]] = {}
    for spec in [*held, *scored]:
        rows = [r for r in load_set(spec, cfg) if r["event_type"]]
        sets[spec] = (rows, predictor.score([r["text"] for r in rows], headlines=True, lexical=True))
    pools: dict[str, list[str]] = {"held-out": held, **{s: [s] for s in scored},
                                   **{f"held-out + {s}": [*held, s] for s in scored}}
    if oof:
        from eventcoder.crossfit import load_oof_scores

        rows, raw, _ = load_oof_scores(oof, predictor)
        first = {}
        for r, sc in zip(rows, raw, strict=True):
            first.setdefault(r["id"], (r, sc))  # a weighted source repeats its rows: one per article
        sets["out of fold"] = ([r for r, _ in first.values()], [sc for _, sc in first.values()])
        pools["held-out + out of fold"] = [*held, "out of fold"]
    examples = {s: toll_examples(predictor, *sets[s]) for s in sets}
    result: dict[str, Any] = {"model": model, "pools": pools, "scored": {}}
    for target in scored:
        rows, raw = sets[target]
        predictor.toll_step = None
        by_pool = {"no step": article_counts(rows, [predictor.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)])}
        for name, members in pools.items():
            if target in members:
                continue  # in sample: not a measurement of what the step does on unseen articles
            feats = [f for s in members for f in examples[s][0]]
            labels = [y for s in members for y in examples[s][1]]
            predictor.toll_step = fit(feats, labels, fitted_on=name)
            by_pool[f"{name} ({sum(len(sets[s][0]) for s in members)} articles)"] = article_counts(
                rows, [predictor.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)])
        result["scored"][target] = by_pool
    return result


def render(result: dict[str, Any], command: str) -> str:
    lines = [f"# Which articles to fit the learned toll step on: `{result['model']}`", "",
             f"Produced by: `{command}`.", "",
             "Each scored set decoded without a step, and with the step fitted on each pool that does not "
             "hold it. Counts of articles (where reported: of the articles whose gold total is above 0).", "",
             "| scored on | fitted on | " + " | ".join(KEYS) + " |", "|---|---|" + "---|" * len(KEYS)]
    for target, by_pool in result["scored"].items():
        for name, f in by_pool.items():
            cells = [f"{f[k]}/{f[k.split(',')[0].split()[0] + ' reported']}" if k.endswith("reported") else str(f[k])
                     for k in KEYS]
            lines.append(f"| {target} ({f['articles']}) | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    from eventcoder.io import atomic_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--score", nargs="+", required=True, help="the labelled sets to score")
    ap.add_argument("--held", nargs="+", help="the held-out pool (default: fit_sets of configs/toll.yaml)")
    ap.add_argument("--oof", help="out-of-fold scores of eventcoder crossfit (a directory or its oof_scores.pt)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    result = run(args.model, args.score, args.held, args.oof)
    command = "python scripts/toll_pools.py " + " ".join(sys.argv[1:])
    text = render(result, command)
    with atomic_dir(Path(args.out)) as tmp:
        (tmp / "metrics.json").write_text(json.dumps({"command": command, **result}, indent=2) + "\n")
        (tmp / "report.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
