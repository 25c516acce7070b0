"""Two checks of the learned toll step that need no retraining (docs/experiments.md):

    .venv/bin/python scripts/toll_step_checks.py models/minilm-real-articles

1. its learner, on its own fit sets (configs/toll.yaml), by 5-fold cross-validation grouped by
   article: logistic regression over a range of C, gradient boosting, a random forest;
2. its decision threshold (0.5: the fitted probability's own) moved on both dev sets, decoding only.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from hydra import compose, initialize_config_dir
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).parent))
from rule_ablation import decode  # noqa: E402

from eventcoder import toll  # noqa: E402
from eventcoder.eval_sets import load_set, scoring_context  # noqa: E402
from eventcoder.fit_toll import toll_examples  # noqa: E402
from eventcoder.paths import CONFIG_DIR  # noqa: E402
from eventcoder.predictor import Predictor  # noqa: E402


def learners(model: str) -> None:
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("toll", overrides=[f"model_dir={model}"])
    predictor = Predictor.from_pretrained(model, backend="torch")
    x, y, g = [], [], []
    for spec in cfg.fit_sets:
        rows = [r for r in load_set(spec, cfg) if r.get("gold_casualties") is not None]
        raw = predictor.score([r["text"] for r in rows], headlines=False, lexical=False)
        for i, (r, sc) in enumerate(zip(rows, raw, strict=True)):
            f, labels = toll_examples(predictor, [r], [sc])
            x += f
            y += labels
            g += [f"{spec}:{i}"] * len(labels)
    x, y, g = np.asarray(x, float), np.asarray(y, bool), np.asarray(g)
    print(f"{len(y)} candidates ({int(y.sum())} the event's) of {len(set(g))} articles")
    makers = {f"logistic C={c}": (lambda c=c: make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)))
              for c in (0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0)}
    makers["gradient boosting"] = lambda: HistGradientBoostingClassifier(learning_rate=0.1, max_iter=50,
                                                                         min_samples_leaf=20, max_depth=3)
    makers["random forest"] = lambda: RandomForestClassifier(300, min_samples_leaf=5, random_state=0)
    for name, make in makers.items():
        loss = right = 0.0
        for tr, te in GroupKFold(5).split(x, y, g):
            p = np.clip(make().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1], 1e-4, 1 - 1e-4)
            loss += log_loss(y[te], p, labels=[False, True]) * len(te)
            right += ((p > 0.5) == y[te]).sum()
        print(f"{name}: log-loss {loss / len(y):.4f}, accuracy {right / len(y):.4f}")


def thresholds(model: str, specs: tuple[str, ...] = ("dev_articles", "dev_world")) -> None:
    predictor, cfg = scoring_context(model)
    rows = {s: [r for r in load_set(s, cfg) if r["event_type"]] for s in specs}
    raw = {s: predictor.score([r["text"] for r in rows[s]], headlines=True, lexical=True) for s in specs}
    for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        def decide(self: toll.TollStep, cands: list, t: float = t) -> list:
            p = self.probability([c.features for c in cands]) if cands else []
            return [(c, float(pc)) for c, pc in zip(cands, p, strict=True) if pc > t]
        toll.TollStep.decide = decide
        counts = {s: decode(predictor, rows[s], raw[s]) for s in specs}
        print(f"threshold {t}: " + "; ".join(
            f"{s} killed {c['killed exact']} (reported {c['killed exact, reported']}), injured {c['injured exact']}, "
            f"by-group {c['by-group exact']}" for s, c in counts.items()))


if __name__ == "__main__":
    learners(sys.argv[1])
    thresholds(sys.argv[1])
