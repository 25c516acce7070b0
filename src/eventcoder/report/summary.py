"""The report's opening block: the headline eval set (the first one) on one screen, each figure
beside the best baseline of the run and the target, with how far it is from the target."""
from __future__ import annotations

from typing import Any

from eventcoder.targets import FIGURES, figure
from eventcoder.targets import label as figure_label

_TARGET_KEY = {name: key for key, name in FIGURES.items()}


def _best_baseline(sec: dict[str, Any], name: str) -> tuple[str, float | None]:
    """The run's best baseline on a target figure (as the set's intervals name it) and its value."""
    baseline = sec.get("intervals", {}).get(name, {}).get("baseline")
    if baseline is None:
        baseline = "rule_based" if name != "event macro-F1" else \
            max(("tfidf_logreg", "majority"), key=lambda b: sec["event"][b]["macro_f1"])
    return baseline, figure(sec, name, baseline)


def against_target(value: float, target: float | None, verdict: str | None) -> str:
    """'met by 0.122 (beyond chance)', 'missed by 0.208 (its interval reaches the target)', or 'no target'."""
    if target is None:
        return "no target"
    diff = value - target
    how = verdict.split(" ", 1)[1].lstrip("; ") if verdict and " " in verdict else ""
    return f"{'met' if diff >= 0 else 'missed'} by {abs(diff):.3f}" + (f" ({how})" if how else "")


def summary_rows(result: dict[str, Any]) -> list[list[Any]]:
    """Rows of the summary table for the first eval set: figure, model, its 95 % interval, best
    baseline, the baseline's figure, target, and how far the model is from the target."""
    spec = next(iter(result["sections"]), None)
    if spec is None:
        return []
    sec = result["sections"][spec]
    targets = (result.get("targets") or {}).get("targets") or {}
    judged = {r["figure"]: r for r in ((result.get("targets") or {}).get("judged") or {}).get(spec, [])}
    rows: list[list[Any]] = []
    names = ["event macro-F1", "killed exact", "killed exact, reported", "injured exact", "injured exact, reported"]
    for name in names:
        value = figure(sec, name)
        if value is None:
            continue
        label = name
        if name.endswith(", reported"):
            n = sec["casualties"][name.split()[0]]["reported"]["model"]["n"]
            if not n:
                continue
            label = f"{figure_label(name)} ({n} articles)"
        baseline, base_value = _best_baseline(sec, name)
        iv = sec.get("intervals", {}).get(name, {}).get("model")
        target = targets.get(_TARGET_KEY.get(name, ""))
        rows.append([label, value, "–" if not iv else f"{iv[0]:.3f} to {iv[1]:.3f}", baseline, base_value,
                     target, against_target(value, target, judged.get(name, {}).get("verdict"))])
    groups = sec.get("casualties", {}).get("by_group_exact")
    if groups:
        rows.append(["by-group exact", groups["model"], "–", "rule_based", groups["rule_based"], None, "no target"])
    return rows


HEADER = ["figure", "model", "95 % interval", "best baseline", "its figure", "target", "against the target"]


def summary_table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The summary's header and rows, without the columns a run did not fill (intervals and targets
    are absent from results written before they were measured)."""
    rows = summary_rows(result)
    empty = {None, "–", "no target"}
    keep = [i for i in range(len(HEADER)) if any(r[i] not in empty for r in rows)]
    return [HEADER[i] for i in keep], [[r[i] for i in keep] for r in rows]


def summary_lead(result: dict[str, Any]) -> str:
    """The sentence above the summary table: which set, how many, and the verdict over every set."""
    spec = next(iter(result["sections"]))
    n_sets = len(result["sections"])
    targets = result.get("targets") or {}
    ref = result.get("reference") or []
    return (f"Headline set `{spec}` ({result['sections'][spec]['n_articles']} articles"
            + (f"; the first of {n_sets} eval sets" if n_sets > 1 else "")
            + f") for `{result['model']}`: each figure beside the best baseline fitted in the same run"
            + (" and the target (config `targets`); a verdict is beyond chance when the figure's whole 95 % "
               "interval lies on one side of the target." if targets.get("targets") else
               " (this run judged no targets).")
            + (f" Over all sets: {targets['summary']}" if targets.get("summary") else "")
            + (f" Reference articles exactly right: {sum(r['exact'] for r in ref)} of {len(ref)}." if ref else ""))
