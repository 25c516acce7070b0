"""Scores of article predictions against gold: event type, calibration, casualty figures, mentions.

Pure functions over plain lists and dicts, so each is checked against hand-computed cases.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from eventcoder.data.labels import overlaps

LENGTH_BUCKETS = ((0, 200), (200, 400), (400, 600), (600, 10**9))


def event_metrics(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the labels present in gold or pred (sklearn's default), macro-F1 over
    the labels present in gold only, per-class P/R/F1, confusion matrix. The second is for a source
    that codes only some types (GTD has no protests): there one stray prediction of a type the source
    never codes adds a class at F1 0 to the first."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    gold_types = set(gold)
    present = [lab for lab in labels if lab in gold_types | set(pred)]
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(labels), zero_division=0)
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, pred)) if gold else 0.0,
        "macro_f1": float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)) if gold else 0.0,
        "macro_f1_gold_types": float(f1_score(gold, pred, labels=[lab for lab in labels if lab in gold_types],
                                              average="macro", zero_division=0)) if gold else 0.0,
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "confusion_matrix": confusion_matrix(gold, pred, labels=list(labels)).tolist() if gold else [],
        "labels": list(labels),
    }


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """`event_metrics`'s macro-F1: over the labels present in gold or pred."""
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, average="macro", zero_division=0)) if len(gold) else 0.0


def exact_share(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Share of articles whose predicted total equals the gold one (`count_metrics`'s exact match)."""
    return float(np.mean(np.asarray(gold) == np.asarray(pred))) if len(gold) else 0.0


BOOTSTRAP_RESAMPLES = 1000


def bootstrap_interval(statistic: Any, *samples: Sequence, confidence: float = 0.95,
                       n_resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> list[float] | None:
    """Percentile bootstrap interval of `statistic(*samples)` with articles resampled with replacement
    (the samples paired: gold, a prediction and a baseline's of one article stay together). On 74
    articles one article moves an exact-match share by 0.014, so a figure and its neighbour can be
    one article apart: the interval says how far the set's size lets a figure be trusted. None for
    fewer than 2 articles. Seeded: a report re-run gives the same interval."""
    from scipy.stats import bootstrap

    if len(samples[0]) < 2:
        return None
    arrays = tuple(np.asarray(list(s), dtype=object) for s in samples)
    res = bootstrap(arrays, lambda *xs: statistic(*(list(x) for x in xs)), paired=True, vectorized=False,
                    n_resamples=n_resamples, confidence_level=confidence, method="percentile",
                    random_state=np.random.default_rng(seed))
    return [round(float(res.confidence_interval.low), 4), round(float(res.confidence_interval.high), 4)]


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict[str, Any]:
    """ECE with equal-width confidence bins, and the per-bin data of a reliability diagram."""
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    table = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if not sel.any():
            continue
        acc, avg = float(ok[sel].mean()), float(conf[sel].mean())
        ece += sel.mean() * abs(acc - avg)
        table.append({"low": float(lo), "high": float(hi), "n": int(sel.sum()), "accuracy": acc, "confidence": avg})
    return {"ece": float(ece), "bins": table}


def count_metrics(gold: Sequence[int], pred: Sequence[int]) -> dict[str, float]:
    """Exact match, within ±1, within ±20 % of gold, and mean absolute error."""
    g = np.asarray(gold, dtype=float)
    p = np.asarray(pred, dtype=float)
    if len(g) == 0:
        return {"n": 0, "exact": 0.0, "within_1": 0.0, "within_20pct": 0.0, "mae": 0.0}
    return {"n": int(len(g)), "exact": exact_share(g, p), "within_1": float(np.mean(np.abs(g - p) <= 1)),
            "within_20pct": float(np.mean(np.abs(g - p) <= 0.2 * g)), "mae": float(np.mean(np.abs(g - p)))}


def total_statement(text: str, total: int) -> str:
    """Whether the text can give a gold total by reading alone: "stated" where a count of people in
    it (`numbers.count_candidates`) has the total's value, "zero" where the total is 0, else "not
    stated" (a sum of parts, or a count the coder took from elsewhere: UCDP splits a headline's daily
    toll over its events). Exact match on each stratum says how much of a set's error is reading."""
    from eventcoder.numbers import count_candidates

    if total == 0:
        return "zero"
    return "stated" if any(c.value == total for c in count_candidates(text)) else "not stated"


def by_group_exact(gold: Sequence[dict], pred: Sequence[dict]) -> float:
    """Share of articles whose figures per outcome and group (numbers and vague words) all match."""
    if not gold:
        return 0.0
    return float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))


def mention_prf(gold: Sequence[Sequence[dict]], pred: Sequence[Sequence[dict]]) -> dict[str, float]:
    """Mention-level precision/recall/F1: a predicted mention is right when its span overlaps a gold
    mention of the same outcome and group."""
    tp = fp = fn = 0
    for gs, ps in zip(gold, pred, strict=True):
        matched = set()
        for p in ps:
            hit = next((i for i, g in enumerate(gs) if i not in matched and g["outcome"] == p["outcome"]
                        and g["group"] == p["group"] and overlaps(g["start"], g["end"], p["start"], p["end"])), None)
            if hit is None:
                fp += 1
            else:
                matched.add(hit)
                tp += 1
        fn += len(gs) - len(matched)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def length_bucket(words: int) -> str:
    for lo, hi in LENGTH_BUCKETS:
        if lo <= words < hi:
            return f"{lo}-{hi - 1}" if hi < 10**9 else f"{lo}+"
    return "?"


def fit_temperature(scores: Sequence[Sequence[float]], gold: Sequence[int]) -> float:
    """Temperature T minimising the negative log-likelihood of softmax(log(scores) / T) (grid search)."""
    logp = np.log(np.clip(np.asarray(scores, dtype=float), 1e-6, 1.0))
    y = np.asarray(gold)
    best_t, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 121)):
        z = logp / t
        z = z - z.max(axis=1, keepdims=True)
        nll = float(-(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))).mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def casualty_error_kinds(gold: list[dict] | None, evidence: list[dict], gold_totals: dict[str, int],
                         pred_totals: dict[str, int], text: str) -> list[str]:
    """Why an article's casualty figures are wrong, one label per problem found.

    - number not read: a gold mention that no candidate of `eventcoder.numbers` covers
    - missed mention: a gold mention the model left as O
    - group confusion / outcome confusion: the right span with the wrong group / outcome
    - spurious or background figure: a predicted mention that is not a gold mention
    - aggregation: every mention right, yet the totals differ (the article-level rule)
    - total wrong (no gold spans): only totals are known for this article
    """
    from eventcoder.numbers import count_candidates

    wrong = any(gold_totals.get(o, -1) >= 0 and gold_totals[o] != pred_totals.get(o) for o in gold_totals)
    if gold is None:
        return ["total wrong (no gold spans)"] if wrong else []
    kinds: list[str] = []
    cands = count_candidates(text)
    for g in gold:
        if not any(overlaps(c.start, c.end, g["start"], g["end"]) for c in cands):
            kinds.append("number not read")
            continue
        same = [p for p in evidence if overlaps(p["start"], p["end"], g["start"], g["end"])]
        if not same:
            kinds.append("missed mention")
        elif not any(p["outcome"] == g["outcome"] for p in same):
            kinds.append("outcome confusion")
        elif not any(p["outcome"] == g["outcome"] and p["group"] == g["group"] for p in same):
            kinds.append("group confusion")
    for p in evidence:
        if not any(overlaps(g["start"], g["end"], p["start"], p["end"]) for g in gold):
            kinds.append("spurious or background figure")
    if wrong and not kinds:
        kinds.append("aggregation")
    return kinds


def gold_groups(gold: list[dict] | None) -> dict | None:
    from eventcoder.casualties import aggregate

    return None if gold is None else aggregate(gold)["by_group"]


def annotated_figures(row: dict, pred: dict) -> list[dict]:
    """The predicted figures (numbers and vague words) in the part of the text the gold annotates:
    one in a headline the annotator never labelled is neither right nor wrong."""
    start = row.get("labelled_from", 0)
    return [e for e in pred["evidence"] + pred.get("vague", []) if e["start"] >= start]
