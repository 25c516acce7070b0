"""Evaluate a model on held-out sets with baselines beside it: `python -m eventcoder.evaluate model=DIR data=NAME`.

`data=` names a data config (the test split of its built dataset, built if missing), `NAME:SOURCE`
(only that source's rows of a mixed dataset, e.g. `real_quick:acled`), or a JSONL/CSV file of
articles with gold labels (gold totals alone are enough); `eval_sets=[a,b]` scores several sets in
one run, one section each. Writes `output_dir` (default `outputs/reports/<run>/`) atomically: metrics.json, report.md,
report.html (self-contained), a confusion matrix and a reliability diagram per set (confusion-<set>.png,
calibration-<set>.png), casualties.png, errors.jsonl, and casualty_totals.json (each article's gold and
predicted totals: what the casualty plot needs to be drawn again by `python -m eventcoder.report`).

This module runs the steps; each has its own: the sets (`eval_sets`), fitting the decoding settings
when `calibrate=true` (`fitting`, with out-of-fold scores from `crossfit`), scoring (`scoring`) and
the report (`report`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from eventcoder.eval_sets import load_eval_set, rewrite_argv
from eventcoder.fitting import apply_decode_settings, fit_decode_settings, store_fit
from eventcoder.metrics import gold_groups
from eventcoder.model_card import headline, update_card
from eventcoder.paths import repo_path
from eventcoder.scoring import (
    baseline_predictions,
    baseline_training_texts,
    judge_targets,
    reference_results,
    score_set,
)


def evaluate_model(cfg: DictConfig) -> Path:
    """Score the model and the baselines on every eval set; write the report; return its dir."""
    from eventcoder.baselines import MajorityBaseline, TfidfLogReg
    from eventcoder.io import atomic_dir, atomic_write_jsonl
    from eventcoder.predictor import Predictor
    from eventcoder.report import TOTALS_FILE, render_report

    model_dir = repo_path(cfg.model_dir)
    predictor = Predictor.from_pretrained(model_dir)
    from eventcoder.taxonomy import load_taxonomy

    wanted = load_taxonomy(cfg.taxonomy)
    if predictor.event_labels != wanted.event_labels or predictor.mention_labels != wanted.mention_labels:
        raise ValueError(f"{model_dir / 'config.json'}: the model's labels are of taxonomy "
                         f"{(predictor.config.taxonomy or {}).get('name')!r}, not {wanted.name!r}")
    labels = predictor.event_labels
    train_texts, train_labels = baseline_training_texts(cfg)
    calibration = None
    if cfg.get("calibrate"):
        calibration = calibrate(predictor, cfg, model_dir)
    settings = apply_decode_settings(predictor, cfg.get("decode_settings") or {})
    majority = MajorityBaseline().fit(train_labels)
    tfidf = TfidfLogReg().fit(train_texts, train_labels)
    sets = list(cfg.eval_sets) if cfg.get("eval_sets") else [str(cfg.data.name if "name" in cfg.data else cfg.data)]
    sections: dict[str, Any] = {}
    error_rows: list[dict] = []
    bad_rows: dict[str, list] = {}
    plots_data: dict[str, Any] = {}
    for spec in sets:
        rows, bad = load_eval_set(spec, cfg, str(cfg.split))
        bad_rows[spec] = bad
        texts = [r["text"] for r in rows]
        preds = predictor(texts, batch_size=int(cfg.batch_size)) if rows else []
        sections[spec] = score_set(rows, preds, labels, baseline_predictions(texts, majority, tfidf))
        sections[spec]["bad_rows"] = len(bad)
        plots_data[spec] = {"gold_killed": [r["killed_total"] for r in rows],
                            "pred_killed": [p["killed"] for p in preds],
                            "gold_injured": [r["injured_total"] for r in rows],
                            "pred_injured": [p["injured"] for p in preds]}
        for r, p in zip(rows, preds, strict=True):
            wrong_event = r["event_type"] and p["event_type"] != r["event_type"]
            wrong_k = r["killed_total"] >= 0 and p["killed"] != r["killed_total"]
            wrong_i = r["injured_total"] >= 0 and p["injured"] != r["injured_total"]
            if wrong_event or wrong_k or wrong_i:
                if cfg.get("redact_text"):  # third-party articles: keep offsets, drop their sentences
                    p = {**p, "evidence": [{k: v for k, v in e.items() if k != "sentence"} for e in p["evidence"]],
                         "vague": [{k: v for k, v in e.items() if k != "sentence"} for e in p["vague"]]}
                error_rows.append({"eval_set": spec, "id": r["id"],
                                   "gold": {"event_type": r["event_type"], "killed": r["killed_total"],
                                            "injured": r["injured_total"],
                                            "casualties": gold_groups(r["gold_casualties"])},
                                   "prediction": p, "wrong": [w for w, x in (("event_type", wrong_event),
                                                                             ("killed", wrong_k),
                                                                             ("injured", wrong_i)) if x]})
    run = str(cfg.run_name)
    out_dir = repo_path(cfg.output_dir)
    command = " ".join(["python -m eventcoder.evaluate", *sys.argv[1:]]) if cfg.get("command") is None \
        else str(cfg.command)
    result = {"run": run, "model": str(cfg.model_dir), "command": command, "eval_sets": sets, "split": str(cfg.split),
              "decode_settings": settings, "reference": reference_results(predictor) if cfg.get("reference", True) else [],
              "calibration": calibration or {**predictor.settings.flat(), "fitted_now": False,
                                             "fitted_on": predictor.settings.fitted_on},
              "baseline_train": str(cfg.baseline_train), "sections": sections,
              "targets": judge_targets(sections, cfg),
              "vague_table": predictor.numbers.vague, "count_vague_in_totals": predictor.count_vague,
              "toll_step": predictor.toll_step_in_use.fitted_on if predictor.toll_step_in_use else None}
    with atomic_dir(out_dir) as tmp:
        (tmp / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")
        atomic_write_jsonl(tmp / "errors.jsonl", error_rows)
        atomic_write_jsonl(tmp / "bad_rows.jsonl", [{"eval_set": k, **e} for k, v in bad_rows.items() for e in v])
        (tmp / TOTALS_FILE).write_text(json.dumps(plots_data) + "\n")
        render_report(result, plots_data, tmp)
    update_card(model_dir, result)
    return out_dir


def calibrate(predictor: Any, cfg: DictConfig, model_dir: Path) -> dict[str, Any]:
    """Fit the decoding settings (`fit_decode_settings`) on the validation split of `calibration_set`
    (default: `baseline_train`), plus the out-of-fold training articles of `calibration_oof` when given
    (`eventcoder.crossfit`); store them in the model dir. The model runs once; each setting is tried
    on its stored scores."""
    spec = str(cfg.get("calibration_set") or cfg.baseline_train)
    rows, _ = load_eval_set(spec, cfg, "validation")
    rows = [r for r in rows if r["event_type"]]
    if not rows:
        raise ValueError(f"calibrate=true needs a validation split with event labels; {spec} has none")
    raw = predictor.score([r["text"] for r in rows], batch_size=int(cfg.batch_size), headlines=True, lexical=True)
    info: dict[str, Any] = {"fitted_on": f"{spec} validation ({len(rows)} articles)", "fitted_now": True}
    if cfg.get("calibration_oof"):  # out-of-fold scores of the training articles (eventcoder.crossfit)
        from eventcoder.crossfit import load_oof_scores

        oof_rows, oof_raw, info["crossfit"] = load_oof_scores(repo_path(cfg.calibration_oof), predictor)
        kept = [(r, sc) for r, sc in zip(oof_rows, oof_raw, strict=True) if r["event_type"]]
        rows, raw = rows + [r for r, _ in kept], raw + [sc for _, sc in kept]
        info["fitted_on"] += f" + {len(oof_rows)} out-of-fold training articles ({cfg.calibration_oof})"
    info.update(fit_decode_settings(predictor, rows, raw, objective=str(cfg.event_objective)))
    store_fit(predictor, model_dir, info)
    return info


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    sys.argv = [sys.argv[0], *rewrite_argv(sys.argv[1:])]

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="evaluate")
    def _run(cfg: DictConfig) -> None:
        out = evaluate_model(cfg)
        result = json.loads((out / "metrics.json").read_text())
        for line in headline(result):
            print(line)
        print(f"report: {out / 'report.md'} and {out / 'report.html'}")

    _run()


if __name__ == "__main__":
    main()
