"""Scored eval sets judged against the targets: met or not, how sure, and what limits a miss.

A point figure on 17 or 74 articles can sit one article from its target, so each verdict also
reads the figure's 95 % interval (`scoring.target_intervals`): a target is met beyond chance when
the whole interval reaches it, missed beyond chance when the whole interval lies below it. A miss
comes with what the set itself measures about it: totals the text does not state (no reader can
get those), the largest confusions, classes too small to score, and the set's size.
"""
from __future__ import annotations

from typing import Any

# the figures targets can be set on: config key → name in a scored set's intervals
FIGURES = {"event_macro_f1": "event macro-F1", "killed_exact": "killed exact", "injured_exact": "injured exact",
           # over the articles whose gold total is above 0, where always reading 0 scores 0
           "killed_exact_reported": "killed exact, reported", "injured_exact_reported": "injured exact, reported"}
SMALL_CLASS = 4  # classes with this many articles or fewer move macro-F1 by a large step each


def label(name: str) -> str:
    """A figure's name as reports print it: 'killed exact, reported' → 'killed exact where gold > 0'."""
    return name.replace(", reported", " where gold > 0")


def figure(sec: dict[str, Any], name: str, system: str = "model") -> float | None:
    """A target figure of one system in a scored set (`scoring.score_set`), or None if the set has none."""
    if name == "event macro-F1":
        return sec["event"][system]["macro_f1"] if "event" in sec else None
    outcome = name.split()[0]
    cas = sec.get("casualties", {})
    if outcome not in cas:
        return None
    if name.endswith(", reported"):  # over the articles whose gold total is above 0
        return cas[outcome].get("reported", {}).get(system, {}).get("exact")
    return cas[outcome][system]["exact"]


def verdict(value: float, interval: list[float] | None, target: float) -> str:
    """Met or missed, and whether the set's size leaves it to chance."""
    if interval is None:
        return "met" if value >= target else "missed"
    low, high = interval
    if value >= target:
        return "met beyond chance" if low >= target else "met; its interval reaches below"
    return "missed beyond chance" if high < target else "missed; its interval reaches the target"


def _count_limits(sec: dict[str, Any], outcome: str, target: float, reported: bool = False) -> list[str]:
    """Totals the text does not state (no reader gets those) with the model's figure on the rest, and the
    largest casualty errors; with `reported`, over the articles whose gold total is above 0 only."""
    cas = sec["casualties"][outcome]
    strata = cas.get("by_statement", {})
    n = (cas["reported"] if reported else cas)["model"]["n"]
    out = []
    unstated = strata.get("not stated", {}).get("model", {}).get("n", 0)
    if unstated:
        readable = [s["model"] for k, s in strata.items() if k == "stated" or (k == "zero" and not reported)]
        n_read = sum(m["n"] for m in readable)
        exact_read = sum(m["exact"] * m["n"] for m in readable) / n_read if n_read else 0.0
        out.append(f"{unstated} of {n} gold totals{' above 0' if reported else ''} are not stated in the text (a "
                   f"sum of parts or a count from elsewhere); on the {n_read} stated{'' if reported else ' or zero'} "
                   f"the model is exact on {exact_read:.3f}"
                   + (" (past the target: the unstated totals are the limit)" if exact_read >= target else ""))
    kinds = [(k, v) for k, v in sec.get("error_kinds", {}).items() if not k.startswith("event type")][:2]
    if kinds:
        out.append("largest casualty errors: " + ", ".join(f"{k} {v}" for k, v in kinds))
    return out


def _event_limits(sec: dict[str, Any]) -> list[str]:
    out = []
    confusions = [(k[len("event type: "):], v) for k, v in sec.get("error_kinds", {}).items()
                  if k.startswith("event type: ")][:3]
    if confusions:
        out.append("largest confusions (gold → read): " + ", ".join(f"{k} {v}" for k, v in confusions))
    model = sec["event"]["model"]
    per_class = model.get("per_class", {})
    small = [c for c, m in per_class.items() if 0 < m.get("support", 0) <= SMALL_CLASS]
    if small:
        out.append(f"{len(small)} of {sum(1 for m in per_class.values() if m.get('support', 0))} gold types have "
                   f"≤ {SMALL_CLASS} articles each: {', '.join(small)}")
    read = [sum(col) for col in zip(*model.get("confusion_matrix") or [], strict=True)]
    stray = [lab for lab, n in zip(model.get("labels", []), read, strict=False)
             if n and not per_class.get(lab, {}).get("support")]
    if stray:
        out.append(f"read but not in the gold, each a class at F1 0: {', '.join(stray)} (over the gold's types "
                   f"only: {model.get('macro_f1_gold_types', 0.0):.3f})")
    return out


def judge(sec: dict[str, Any], targets: dict[str, float]) -> list[dict[str, Any]]:
    """One row per target figure the set has: value, interval, verdict, the lead over the best
    baseline of this run with its interval, and, for a miss, what the set measures about it."""
    rows = []
    for key, target in targets.items():
        name = FIGURES[key]
        value = figure(sec, name)
        if value is None:
            continue
        iv = sec["intervals"][name]  # `scoring.target_intervals`: every figure a set has, with its best baseline
        baseline = iv["baseline"]
        lead = round(value - figure(sec, name, baseline), 4)
        lead_iv = iv["lead"]
        limits: list[str] = []
        if value < target:
            outcome, reported = name.split()[0], name.endswith(", reported")
            limits = (_event_limits(sec) if name == "event macro-F1" else
                      _count_limits(sec, outcome, target, reported=reported))
            if iv["model"] and iv["model"][1] >= target:
                # the articles the figure is taken over
                n = sec["casualties"][outcome]["reported"]["model"]["n"] if reported else sec["n_articles"]
                limits.append(f"{n} articles: one article moves an exact-match share by {1 / n:.3f}")
        rows.append({"figure": name, "label": label(name), "value": value, "interval": iv["model"], "target": float(target),
                     "verdict": verdict(value, iv["model"], float(target)), "baseline": baseline,
                     "lead": lead, "lead_interval": lead_iv,
                     "ahead": ("ahead beyond chance" if lead_iv and lead_iv[0] > 0 else
                               "ahead" if lead > 0 else "not ahead"),
                     "limits": limits})
    return rows


def summary(judged: dict[str, list[dict[str, Any]]]) -> str:
    """One sentence over every set: targets met, and leads over the baselines, with how many beyond chance."""
    rows = [r for rs in judged.values() for r in rs]
    met = [r for r in rows if r["value"] >= r["target"]]
    sure = [r for r in met if r["verdict"] == "met beyond chance"]
    ahead = [r for r in rows if r["lead"] > 0]
    ahead_sure = [r for r in rows if r["ahead"] == "ahead beyond chance"]
    return (f"{len(met)} of {len(rows)} target figures met ({len(sure)} beyond chance); the model ahead of the "
            f"best baseline on {len(ahead)} of {len(rows)} ({len(ahead_sure)} beyond chance).")
