"""Cross-fitted calibration scores: `python -m eventcoder.crossfit experiment=real_articles`.

The casualty decoding settings (threshold, the body rule) and the event weights are fitted on
validation articles, but a validation split holds only a tenth of the full-length training
articles: the body rule was decided by 16 of them, and one article changed it. Cross-fitting
scores every training article of `crossfit.sources` with a model that did not learn from it: the
rows are cut into `crossfit.folds` folds (by a hash of the row id, so the folds are stable); for each
fold the run's own config trains a model with that fold left out (`holdout_fold`) and scores it.
The out-of-fold scores go to `<crossfit.output_dir>/oof_scores.pt`, which `evaluate calibrate=true
calibration_oof=...` adds to the validation articles it fits on. The final model is the run's own
(trained on every fold); the settings it uses are fitted on how models of the same recipe score
articles they have not seen. Fold models continue from the same `init_from` as the run, so when that
earlier stage saw these articles the out-of-fold scores are more confident than unseen text:
`crossfit.json` (and the calibration record) compares each fold model on its held-out rows and on
the validation rows of the same sources, which no stage trained on.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from eventcoder.data.split import in_fold

log = logging.getLogger(__name__)

SCORES_FILE = "oof_scores.pt"


def cross_fit(cfg: DictConfig) -> Path:
    """Train one model per fold (skipping folds whose model exists, so an interrupted run resumes),
    score each fold's held-out rows with its model and save the out-of-fold scores; return the file."""
    import torch

    from eventcoder.eval_sets import eval_row
    from eventcoder.io import atomic_write_text
    from eventcoder.model_dir import WEIGHTS_FILE
    from eventcoder.paths import repo_path
    from eventcoder.predictor import Predictor
    from eventcoder.train import load_or_build_dataset, train_model

    folds, sources = int(cfg.crossfit.folds), list(cfg.crossfit.sources)
    if folds < 2:
        raise ValueError(f"crossfit.folds must be at least 2, got {folds}")
    out = repo_path(cfg.crossfit.output_dir)
    dsd, _ = load_or_build_dataset(cfg)
    wanted = set(sources)
    pool = [r for r in dsd["train"] if r["source"] in wanted]
    if not pool:
        raise ValueError(f"crossfit.sources {sources}: no train rows of these sources in {cfg.dataset_dir}")
    validation = [eval_row(r) for r in dsd["validation"] if r["source"] in wanted]
    rows: list[dict[str, Any]] = []
    raw: list[Any] = []
    per_fold = []
    labels: dict[str, list[str]] = {}
    for fold in range(folds):
        fold_dir = out / f"fold{fold}"
        fold_cfg = OmegaConf.merge(cfg, {"holdout_fold": {"folds": folds, "fold": fold, "sources": sources},
                                         "output_dir": str(fold_dir), "run_name": f"{cfg.run_name}-fold{fold}",
                                         "resume": True})
        if not (fold_dir / WEIGHTS_FILE).is_file():
            log.info("fold %d of %d: training %s", fold, folds, fold_dir)
            train_model(fold_cfg)
        predictor = Predictor.from_pretrained(fold_dir, backend="torch")
        labels = {"event_labels": predictor.event_labels, "mention_labels": predictor.mention_labels}
        held = [eval_row(r) for r in pool if in_fold(r, fold_cfg.holdout_fold)]
        held_raw = predictor.score([r["text"] for r in held], batch_size=16, headlines=True, lexical=True)
        rows += held
        raw += held_raw
        # the leak check: a fold model on its held-out rows against the validation rows no stage saw
        val_raw = predictor.score([r["text"] for r in validation], batch_size=16, headlines=True,
                                  lexical=True) if validation else []
        per_fold.append({"fold": fold, "held_out_rows": len(held), "model": fold_dir.name,
                         "held_out": fold_check(predictor, held, held_raw),
                         "validation": fold_check(predictor, validation, val_raw)})
    target = out / SCORES_FILE
    tmp = out / f".{SCORES_FILE}.tmp"
    summary = {"folds": folds, "sources": sources, "rows": len(rows), "run": str(cfg.run_name), "per_fold": per_fold}
    torch.save({"rows": rows, "raw": raw, **labels, "summary": summary}, tmp)
    os.replace(tmp, target)
    atomic_write_text(out / "crossfit.json", json.dumps(summary, indent=2) + "\n")
    return target


def fold_check(predictor: Any, rows: list[dict[str, Any]], raw: list[Any]) -> dict[str, float]:
    """Event accuracy and killed / injured exact match of stored scores under the predictor's
    uncalibrated settings: the same yardstick for held-out rows and for validation rows."""
    from eventcoder.metrics import count_metrics

    if not rows:
        return {}
    preds = [predictor.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)]
    pairs = list(zip(preds, rows, strict=True))
    out = {"articles": len(rows), "event_accuracy": sum(p["event_type"] == r["event_type"] for p, r in pairs) / len(rows)}
    for o in ("killed", "injured"):
        counted = [(p[o], r[f"{o}_total"]) for p, r in pairs if r[f"{o}_total"] >= 0]
        out[f"{o}_exact"] = count_metrics([g for _, g in counted], [q for q, _ in counted])["exact"]
    return {k: round(v, 4) for k, v in out.items()}


def load_oof_scores(path: str | Path, predictor: Any) -> tuple[list[dict[str, Any]], list[Any], dict[str, Any]]:
    """The out-of-fold rows, raw scores and summary (folds, leak check) saved by `cross_fit`; fails
    when its labels are not the predictor's (scores of another taxonomy would be decoded with the
    wrong names)."""
    import torch

    p = Path(path)
    p = p / SCORES_FILE if p.is_dir() else p
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no out-of-fold scores (write them with python -m eventcoder.crossfit)")
    data = torch.load(p, weights_only=False)
    if data["event_labels"] != predictor.event_labels or data["mention_labels"] != predictor.mention_labels:
        raise ValueError(f"{p}: its labels are not the model's")
    if any(isinstance(r["gold_casualties"], str) for r in data["rows"]):
        raise ValueError(f"{p}: written by an older eventcoder (gold spans unparsed); run python -m eventcoder.crossfit again")
    return data["rows"], data["raw"], data["summary"]


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="train")
    def _run(cfg: DictConfig) -> None:
        print(f"out-of-fold scores: {cross_fit(cfg)}")

    _run()


if __name__ == "__main__":
    main()
