"""Evaluation sets: the labelled articles an eval-set spec names, as the plain rows scoring and
fitting read.

A spec is a data config's name (its built dataset, built if missing; a split chosen by the caller),
`NAME:SOURCE` (only that source's rows of a mixed dataset, e.g. `real_quick:acled`; `a+b`: both), or
a JSONL/CSV file of articles with gold labels (gold totals alone are enough); `load_set` also reads
`NAME@split`. Bad rows come back beside the rows, naming file, row and field. `scoring_context` and
`scoring_cli` give a script that decodes eval sets its predictor and config; `rewrite_argv` reads
`model=DIR data=FILE` on a command line.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from eventcoder.paths import repo_path


def load_eval_set(spec: str, cfg: DictConfig, split: str = "test") -> tuple[list[dict[str, Any]], list[dict]]:
    """Articles with gold labels as plain dicts, and the bad rows (file, row, field, reason)."""
    path = repo_path(spec)
    if path.suffix in (".jsonl", ".json", ".csv") or path.is_file():
        from eventcoder.data.readers import read_records, split_items
        from eventcoder.taxonomy import load_taxonomy

        articles, errors = split_items(read_records(path, load_taxonomy(cfg.taxonomy)))
        rows = [{"id": a.id, "text": a.text, "event_type": a.event_type or "",
                 "killed_total": -1 if a.killed_total is None else a.killed_total,
                 "injured_total": -1 if a.injured_total is None else a.injured_total,
                 "gold_casualties": [c.model_dump(exclude_none=True) for c in a.casualties]
                 if a.casualties is not None else None, "labelled_from": a.labelled_from} for a in articles]
        return rows, [e.to_dict() for e in errors]
    import datasets

    from eventcoder.data.build import build_dataset
    from eventcoder.paths import CONFIG_DIR

    spec, _, only_source = spec.partition(":")  # "real_quick:acled" = that dataset's ACLED rows; "a+b": both
    ddir = repo_path(cfg.paths.processed_dir) / spec
    if not (ddir / "dataset").is_dir():
        from hydra import compose, initialize_config_dir
        from hydra.core.global_hydra import GlobalHydra

        overrides = [f"data={spec}", "progress=false"]
        if GlobalHydra.instance().is_initialized():  # under `python -m eventcoder.evaluate`: Hydra's own configs
            build_cfg = compose("build_data", overrides=overrides)
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                build_cfg = compose("build_data", overrides=overrides)
        build_dataset(build_cfg, output_dir=ddir.parent)
    ds = datasets.load_from_disk(str(ddir / "dataset"))[split]
    if only_source:
        keep = set(only_source.split("+"))
        ds = ds.filter(lambda r: r["source"] in keep)
    rows = [eval_row(r) for r in ds]
    errors = [json.loads(x) for x in (ddir / "errors.jsonl").read_text().splitlines() if x.strip()]
    return rows, errors


def eval_row(r: dict[str, Any]) -> dict[str, Any]:
    """A dataset row as scoring and calibration read it: the gold spans parsed, None where the
    row's casualties are not span-annotated gold (export rows: totals only)."""
    gold = json.loads(r["gold_casualties"]) if r["casualty_status"].startswith("gold") else None
    return {"id": r["id"], "source": r["source"], "text": r["text"], "event_type": r["event_type"],
            "killed_total": r["killed_total"], "injured_total": r["injured_total"],
            "gold_casualties": gold, "labelled_from": r.get("labelled_from", 0)}


def load_set(spec: str, cfg: DictConfig) -> list[dict[str, Any]]:
    """The rows of an eval-set spec with an optional @split ("real_quick:gtd@validation"; default test)."""
    name, _, split = spec.partition("@")
    return load_eval_set(name, cfg, split or "test")[0]


def scoring_context(model_dir: str | Path) -> tuple[Any, DictConfig]:
    """A model's Predictor (its stored settings) and the evaluate config composed for it: what a
    script that decodes eval sets needs, with `load_set` for the sets it names."""
    from hydra import compose, initialize_config_dir

    from eventcoder.paths import CONFIG_DIR
    from eventcoder.predictor import Predictor

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("evaluate", overrides=[f"model_dir={model_dir}"])
    return Predictor.from_pretrained(model_dir), cfg


def scoring_cli(description: str, argv: Sequence[str] | None = None) -> tuple[Any, DictConfig, list[str]]:
    """`--model DIR --sets SPEC…` of a script that decodes eval sets: its predictor, config and set specs."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--model", required=True)
    ap.add_argument("--sets", nargs="+", required=True)
    args = ap.parse_args(argv)
    return (*scoring_context(args.model), args.sets)


def rewrite_argv(argv: list[str]) -> list[str]:
    """A command line's `model=DIR` and `data=FILE` (not config-group names) become `model_dir=DIR` and
    `eval_sets=[FILE]` (evaluate, crosstune and indicators read them so)."""
    out = []
    for a in argv:
        if a.startswith("model="):
            a = "model_dir=" + a[len("model="):]
        elif a.startswith("data=") and ("/" in a or a.endswith((".jsonl", ".csv"))):
            a = "eval_sets=[" + a[len("data="):] + "]"
        out.append(a)
    return out
