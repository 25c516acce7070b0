"""The adopted model's event scores blended with a frozen-encoder probe (scripts/encoder_probe.py):
log p_model + w · log p_probe, the weight fitted on one dev set and scored on the other.

    .venv/bin/python scripts/probe_blend.py models/backbones/all-mpnet-base-v2
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from encoder_probe import _articles, embed  # noqa: E402

from eventcoder.predictor import Predictor  # noqa: E402

WEIGHTS = [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3]


def main() -> None:
    backbone = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else "models/minilm-real-articles"
    torch.set_num_threads(2)
    train_x, train_y = _articles("data/processed/real_quick_cues_heads/dataset", "train", "train_articles")
    sets = {n: _articles(f"data/processed/{n}/dataset", "test", None) for n in ("dev_world", "dev_articles")}
    probe = LogisticRegression(max_iter=4000, class_weight="balanced").fit(embed(backbone, train_x, 256, 1), train_y)
    predictor = Predictor.from_pretrained(model)
    labels = predictor.event_labels
    parts = {}
    for name, (texts, gold) in sets.items():
        model_lp = np.log(np.array([[p["scores"][lab] for lab in labels] for p in predictor(texts, batch_size=8)]) + 1e-6)
        probe_lp = probe.predict_log_proba(embed(backbone, texts, 256, 1))[:, [list(probe.classes_).index(lab)
                                                                             for lab in labels]]
        parts[name] = (model_lp, probe_lp, gold)

    def score(name: str, w: float) -> tuple[float, int]:
        model_lp, probe_lp, gold = parts[name]
        pred = [labels[i] for i in (model_lp + w * probe_lp).argmax(1)]
        return round(f1_score(gold, pred, average="macro"), 3), sum(a == b for a, b in zip(pred, gold, strict=True))

    for name in sets:
        print(name, "macro-F1, right by weight:", [(w, *score(name, w)) for w in WEIGHTS])
    for fit, other in (("dev_articles", "dev_world"), ("dev_world", "dev_articles")):
        best = max(WEIGHTS, key=lambda w: (score(fit, w)[0], -w))
        print(f"fitted on {fit}: weight {best}; {other}: {score(other, 0)} -> {score(other, best)}")


if __name__ == "__main__":
    main()
