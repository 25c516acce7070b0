"""Each article's gold and predicted casualty totals of an evaluation run that did not keep them,
rebuilt without running the model: gold from the eval sets, predictions from errors.jsonl (every
article with a wrong event type or total is listed there with its prediction; an article it does
not list had both totals right). The rebuilt totals must give back the count figures metrics.json
holds, set by set, or nothing is written: a changed eval set cannot pass for the one scored.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUTCOMES = ("killed", "injured")


def rebuild_totals(result: dict[str, Any], errors: list[dict[str, Any]],
                   load_rows: Callable[[str], list[dict[str, Any]]]) -> dict[str, dict[str, list[int]]]:
    """{set: {gold_killed, pred_killed, gold_injured, pred_injured}} in the set's article order,
    checked against the run's count metrics (`metrics.count_metrics`, all articles and gold > 0)."""
    from eventcoder.metrics import count_metrics

    wrong: dict[tuple[str, str], dict[str, Any]] = {(e["eval_set"], e["id"]): e["prediction"] for e in errors}
    out: dict[str, dict[str, list[int]]] = {}
    for spec, sec in result["sections"].items():
        rows = load_rows(spec)
        ids = [r["id"] for r in rows]
        if len(rows) != sec["n_articles"]:
            raise ValueError(f"eval set {spec}: {len(rows)} articles now, {sec['n_articles']} when scored")
        if len(set(ids)) != len(ids):
            raise ValueError(f"eval set {spec}: article ids repeat, so errors.jsonl cannot be matched to them")
        d: dict[str, list[int]] = {}
        for o in OUTCOMES:
            d[f"gold_{o}"] = [r[f"{o}_total"] for r in rows]
            d[f"pred_{o}"] = [wrong[(spec, r["id"])][o] if (spec, r["id"]) in wrong else r[f"{o}_total"]
                              for r in rows]
            scored = sec["casualties"].get(o)
            pairs = [(g, p) for g, p in zip(d[f"gold_{o}"], d[f"pred_{o}"], strict=True) if g >= 0]
            if scored is None:
                if pairs:
                    raise ValueError(f"eval set {spec}: {len(pairs)} gold {o} totals now, none when scored")
                continue
            checks = {"all articles": (pairs, scored["model"]),
                      "gold > 0": ([(g, p) for g, p in pairs if g > 0], scored.get("reported", {}).get("model"))}
            for scope, (keep, want) in checks.items():
                if want is None:
                    continue
                got = count_metrics([g for g, _ in keep], [p for _, p in keep])
                if got != want:
                    raise ValueError(f"eval set {spec}: rebuilt {o} totals ({scope}) give {got}, metrics.json "
                                     f"holds {want}: the set or errors.jsonl is not the one scored")
        out[spec] = d
    return out


def eval_set_loader(result: dict[str, Any], processed_dir: str | Path | None) -> Callable[[str], list[dict]]:
    """Rows of the run's eval sets (its split) from built datasets; a set not built is an error
    naming the command that builds it (nothing is built here)."""
    import datasets
    from hydra import compose, initialize_config_dir

    from eventcoder.eval_sets import load_eval_set
    from eventcoder.paths import CONFIG_DIR, repo_path

    datasets.disable_progress_bars()
    overrides = [f"paths.processed_dir={processed_dir}"] if processed_dir else []
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("evaluate", overrides=overrides)

    def load(spec: str) -> list[dict]:
        if not repo_path(spec).is_file():
            name = spec.partition(":")[0]
            built = repo_path(cfg.paths.processed_dir) / name / "dataset"
            if not built.is_dir():
                raise FileNotFoundError(f"{built}: eval set {spec} is not built "
                                        f"(python -m eventcoder.data.build data={name})")
        return load_eval_set(spec, cfg, str(result.get("split", "test")))[0]

    return load


def read_errors(path: Path) -> list[dict[str, Any]]:
    """errors.jsonl of a report dir, failing on a bad line with its number."""
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}, row {n}: not JSON ({e.msg})") from e
    return rows
