"""Fit a model directory's learned toll step (`eventcoder.toll`): `eventcoder toll model=DIR`.

The step reads the mention head's probabilities, so each model has its own, fitted on labelled
articles with span-annotated gold that the network did not train on: their probabilities are what
users' articles get, where the training articles' are surer than that. `configs/toll.yaml` names
the sets (by default the validation and test rows of the stage-2 pool: full-length articles and
sample articles neither stage trained on); the step is stored in the directory (`toll_step.json`)
and used by every Predictor that loads it while the `learned_toll` setting is on.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from eventcoder.paths import repo_path

log = logging.getLogger(__name__)


def toll_examples(predictor: Any, rows: Sequence[dict[str, Any]], raw: Sequence[Any]) -> tuple[list, list]:
    """Candidates' features and gold labels of scored articles with span-annotated gold (others are
    left out: export rows carry totals, not which number is which)."""
    from eventcoder.toll import candidates, gold_label

    feats, labels = [], []
    for r, sc in zip(rows, raw, strict=True):
        if r.get("gold_casualties") is None:
            continue
        for c in candidates(r["text"], sc.mentions, sc.mention_probs.numpy(), sc.mention_windows.numpy(),
                            predictor.mention_labels, predictor.outcomes):
            label = gold_label(c, sc.mentions, r["gold_casualties"], r.get("labelled_from", 0))
            if label is not None:
                feats.append(c.features)
                labels.append(label)
    return feats, labels


def fit_toll_step(cfg: DictConfig) -> Path:
    """Score `cfg.fit_sets` with the model of `cfg.model_dir`, fit its toll step on them (with
    `cfg.regularisation`) and store it in the directory."""
    from eventcoder.eval_sets import load_set
    from eventcoder.predictor import Predictor
    from eventcoder.toll import fit

    model_dir, fit_sets = repo_path(cfg.model_dir), list(cfg.fit_sets)
    predictor = Predictor.from_pretrained(model_dir, backend="torch")
    feats, labels, articles = [], [], 0
    for spec in fit_sets:
        rows = [r for r in load_set(spec, cfg) if r.get("gold_casualties") is not None]
        if not rows:
            raise ValueError(f"toll.fit_sets: {spec} has no articles with span-annotated gold")
        raw = predictor.score([r["text"] for r in rows], headlines=False, lexical=False)
        f, y = toll_examples(predictor, rows, raw)
        feats += f
        labels += y
        articles += len(rows)
        log.info("%s: %d articles, %d candidates, %d of them the event's", spec, len(rows), len(y), sum(y))
    step = fit(feats, labels, fitted_on=f"{', '.join(fit_sets)} ({articles} articles)", c=float(cfg.regularisation))
    return step.save(model_dir)


def main() -> None:
    import hydra

    from eventcoder.eval_sets import rewrite_argv
    from eventcoder.paths import CONFIG_DIR

    sys.argv = [sys.argv[0], *rewrite_argv(sys.argv[1:])]

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="toll")
    def _run(cfg: DictConfig) -> None:
        out = fit_toll_step(cfg)
        print(f"toll step written to {out}")

    _run()


if __name__ == "__main__":
    main()
