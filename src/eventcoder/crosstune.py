"""Decoding settings tuned on a labelled set, scored out of fold:
`python -m eventcoder.crosstune model=DIR tune_set=dev_articles tune_folds=2`.

`calibrate=true` fits the decoding settings (event weights, prior correction, thresholds, body
rule) on validation rows, of which only about twenty are full articles, so two models with the same
records can get different settings and different dev scores. `dev_articles` is the set meant for
tuning, but settings tuned on it flatter it. This tunes every setting (`fitting.fit_decode_settings`)
on all folds of the set but one, decodes the held-out fold with them, and scores the whole set from
those out-of-fold predictions, beside the score of settings tuned on all of it (in sample), so
models are compared by the same procedure on what users send. The model runs once. With
`tune_store=true` the settings tuned on the whole set become the model's decoding.json (with the
out-of-fold figures, the honest estimate of them, beside). Writes `<output_dir>/metrics.json`,
`report.md` and `report.html` atomically.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from eventcoder.paths import repo_path

SUMMARY = (("event macro-F1", ("event", "model", "macro_f1")),
           ("killed exact", ("casualties", "killed", "model", "exact")),
           ("injured exact", ("casualties", "injured", "model", "exact")),
           ("by-group exact", ("casualties", "by_group_exact", "model")),
           ("mention F1", ("casualties", "mentions", "model", "f1")))


def _get(d: dict, path: tuple[str, ...]) -> float | None:
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def cross_tune(cfg: DictConfig) -> Path:
    """Tune on k−1 folds, decode the k-th, for each fold; score out of fold and in sample; return the report dir."""
    from eventcoder.baselines import MajorityBaseline, TfidfLogReg
    from eventcoder.data.split import fold_index
    from eventcoder.eval_sets import load_eval_set
    from eventcoder.fitting import FITTED, fit_decode_settings, store_fit
    from eventcoder.io import atomic_dir
    from eventcoder.predictor import Predictor
    from eventcoder.scoring import baseline_predictions, baseline_training_texts, judge_targets, score_set

    if not cfg.get("tune_set"):
        raise ValueError("tune_set: name the labelled set to tune on, e.g. tune_set=dev_articles")
    folds = int(cfg.tune_folds)
    if folds < 2:
        raise ValueError(f"tune_folds={folds}: needs at least 2 folds")
    model_dir = repo_path(cfg.model_dir)
    predictor = Predictor.from_pretrained(model_dir)
    rows, _ = load_eval_set(str(cfg.tune_set), cfg, str(cfg.split))
    rows = [r for r in rows if r["event_type"]]
    fold_of = [fold_index(r["id"], folds) for r in rows]
    if len(set(fold_of)) < folds:
        raise ValueError(f"{cfg.tune_set}: {len(rows)} labelled articles do not fill {folds} folds")
    raw = predictor.score([r["text"] for r in rows], batch_size=int(cfg.batch_size), headlines=True, lexical=True)
    train_texts, train_labels = baseline_training_texts(cfg)
    base = baseline_predictions([r["text"] for r in rows], MajorityBaseline().fit(train_labels),
                                TfidfLogReg().fit(train_texts, train_labels))
    settings_of = list(FITTED)
    fixed = OmegaConf.to_container(cfg.tune_fixed, resolve=True) if cfg.get("tune_fixed") else None
    out_of_fold: list[Any] = [None] * len(rows)
    per_fold = []
    for fold in range(folds):
        fit = [i for i, f in enumerate(fold_of) if f != fold]
        fit_decode_settings(predictor, [rows[i] for i in fit], [raw[i] for i in fit], fixed,
                            objective=str(cfg.event_objective))
        held = [i for i, f in enumerate(fold_of) if f == fold]
        for i in held:
            out_of_fold[i] = predictor.decode(rows[i]["text"], raw[i])
        per_fold.append({"fold": fold, "tuned_on": len(fit), "held_out": len(held),
                         "settings": {n: getattr(predictor, n) for n in settings_of}})
    tuned = fit_decode_settings(predictor, rows, raw, fixed, objective=str(cfg.event_objective))
    in_sample = [predictor.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)]
    labels = predictor.event_labels
    result = {"model": str(cfg.model_dir), "tune_set": str(cfg.tune_set), "folds": folds,
              "event_objective": str(cfg.event_objective),
              "command": " ".join(["python -m eventcoder.crosstune", *sys.argv[1:]]), "fixed": fixed or {},
              "out_of_fold": score_set(rows, out_of_fold, labels, base),
              "in_sample": score_set(rows, in_sample, labels, base),
              "per_fold": per_fold, "tuned_on_all": {n: getattr(predictor, n) for n in settings_of}}
    result["targets"] = judge_targets({f"{cfg.tune_set} {key.replace('_', ' ')}": result[key]
                                       for key in ("out_of_fold", "in_sample")}, cfg)
    out_dir = repo_path(cfg.output_dir)
    with atomic_dir(out_dir) as tmp:
        (tmp / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")
        render(result).write(tmp, f"crosstune {result['tune_set']}")
    if cfg.get("tune_store"):
        store_fit(predictor, model_dir, {
            "fitted_on": f"{cfg.tune_set} {cfg.split} (all {len(rows)} articles; python -m eventcoder.crosstune)",
            "fitted_now": True, **tuned,
            "crosstune": {"report": str(cfg.output_dir), "folds": folds,
                          "out_of_fold": {name: _get(result["out_of_fold"], path) for name, path in SUMMARY}}})
    return out_dir


def render(result: dict[str, Any]) -> Any:
    """The report: out-of-fold against in-sample figures, then each fold's settings."""
    from eventcoder.report.render import Doc, intervals_table, targets_section

    doc = Doc()
    doc.heading(f"Decoding settings tuned on `{result['tune_set']}`: `{result['model']}`", 1)
    doc.para(f"Produced by: {result['command']}. {result['folds']} folds by a stable hash of the article id; "
             "each fold is decoded with settings tuned on the others (out of fold); in sample: settings "
             f"tuned on the whole set. Event settings maximise {result.get('event_objective', 'macro_f1')}."
             + (f" Held fixed, not tuned: {result['fixed']}." if result.get("fixed") else ""))
    doc.table(["", *(name for name, _ in SUMMARY)],
              [[key.replace("_", " "), *(_get(result[key], path) for _, path in SUMMARY)]
               for key in ("out_of_fold", "in_sample")])
    targets_section(doc, result.get("targets") or {})
    for key in ("out_of_fold", "in_sample"):
        if result[key].get("intervals"):
            doc.heading(key.replace("_", " "), 3)
            intervals_table(doc, result[key])
    doc.table(["fold", "tuned on", "held out", "settings"],
              [[f["fold"], f["tuned_on"], f["held_out"],
                ", ".join(f"{k} {round(v, 3) if isinstance(v, float) else v}" for k, v in f["settings"].items())]
               for f in result["per_fold"]])
    return doc


def main() -> None:
    import hydra

    from eventcoder.eval_sets import rewrite_argv
    from eventcoder.paths import CONFIG_DIR

    sys.argv = [sys.argv[0], *rewrite_argv(sys.argv[1:])]

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="evaluate")
    def _run(cfg: DictConfig) -> None:
        out = cross_tune(cfg)
        print((out / "report.md").read_text())

    _run()


if __name__ == "__main__":
    main()
