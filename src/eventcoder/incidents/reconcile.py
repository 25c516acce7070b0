"""One incident's record from its reports: figures reconciled to low, best and high.

Per outcome and group, `low` and `high` are the lowest and highest figure any report gives and
`best` follows the configured rule: `latest` (the latest report's figure: tolls rise as bodies are
found), `conservative` (the lowest, as ACLED codes) or `median` (the median report's, the lower of
the two middle ones, so it is a figure some report gave). Each figure names the report it came from
and that report's evidence. Reports are read in date order: a report that raises a figure an
earlier one gave is an update of that report, not a second event.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from eventcoder.incidents.config import IncidentConfig

PRECISION_RANK = {"day": 0, "week": 1, "month": 2}
OUTCOMES = ("killed", "injured")


def _published(record: dict[str, Any]) -> str:
    when = record.get("when") or {}
    return str(record.get("date") or when.get("article_date") or when.get("date") or "")


def pick(values: list[tuple[int, int]], rule: str) -> tuple[int, int]:
    """The best (figure, report index) of figures in report order by a rule."""
    if rule == "latest":
        return values[-1]
    ordered = sorted(values)
    if rule == "conservative":
        return ordered[0]
    if rule == "median":
        return ordered[(len(ordered) - 1) // 2]
    raise ValueError(f"best rule {rule!r}: one of latest, conservative, median")


def _evidence(record: dict[str, Any], outcome: str, group: str, count: int) -> list[dict[str, Any]]:
    items = [e for e in record.get("evidence") or [] if e.get("outcome") == outcome and e.get("group") == group]
    exact = [e for e in items if e.get("count") == count]
    return [{k: e.get(k) for k in ("count", "text", "start", "end", "sentence")} for e in (exact[:1] or items)]


def figure_table(reports: list[dict[str, Any]], rule: str) -> dict[str, dict[str, dict[str, Any]]]:
    """{outcome: {group: {low, best, high, source, evidence, reports}}} over reports in date order."""
    table: dict[str, dict[str, dict[str, Any]]] = {}
    keys = sorted({(o, g) for r in reports for o, groups in (r.get("casualties") or {}).items()
                   for g, v in groups.items() if isinstance(v, int)})
    for outcome, group in keys:
        values = [(r["casualties"][outcome][group], k) for k, r in enumerate(reports)
                  if isinstance((r.get("casualties") or {}).get(outcome, {}).get(group), int)]
        best, source = pick(values, rule)
        table.setdefault(outcome, {})[group] = {
            "low": min(v for v, _ in values), "best": best, "high": max(v for v, _ in values),
            "source": reports[source].get("id"), "evidence": _evidence(reports[source], outcome, group, best),
            "reports": [{"id": reports[k].get("id"), "count": v} for v, k in values]}
    return table


def totals(reports: list[dict[str, Any]], rule: str) -> dict[str, dict[str, Any]]:
    """Per outcome, low, best and high of the reports' totals, and the report the best comes from."""
    out: dict[str, dict[str, Any]] = {}
    for outcome in OUTCOMES:
        values = [(r[outcome], k) for k, r in enumerate(reports) if isinstance(r.get(outcome), int)]
        if values:
            best, source = pick(values, rule)
            out[outcome] = {"low": min(values)[0], "best": best, "high": max(values)[0],
                            "source": reports[source].get("id")}
    return out


def roles(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each report's role in date order: `first`, `update` (raises a figure an earlier report gave;
    `updates` names the report it supersedes), `repeat` (the same figures) or `report`."""
    seen: dict[tuple[str, str], tuple[int, Any]] = {}  # highest figure so far and its report
    out = []
    for k, r in enumerate(reports):
        figures = {(o, g): v for o, groups in (r.get("casualties") or {}).items() for g, v in groups.items()
                   if isinstance(v, int)}
        raised = [(key, seen[key]) for key, v in figures.items() if key in seen and v > seen[key][0]]
        if k == 0:
            role, updates = "first", None
        elif raised:
            role, updates = "update", raised[0][1][1]
        elif figures and all(key in seen and v == seen[key][0] for key, v in figures.items()):
            role, updates = "repeat", None
        else:
            role, updates = "report", None
        out.append({"id": r.get("id"), "date": _published(r) or None, "role": role, "updates": updates,
                    "raised": [{"outcome": o, "group": g, "from": old, "to": figures[(o, g)]}
                               for (o, g), (old, _) in raised]})
        for key, v in figures.items():
            if key not in seen or v > seen[key][0]:
                seen[key] = (v, r.get("id"))
    return out


def consensus_when(reports: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The finest-dated reports' most common date (the earliest on a tie), with its source."""
    dated = [(r["when"], r.get("id")) for r in reports if (r.get("when") or {}).get("date")]
    if not dated:
        return None
    finest = min(PRECISION_RANK.get(w.get("precision"), 3) for w, _ in dated)
    votes = Counter(w["date"] for w, _ in dated if PRECISION_RANK.get(w.get("precision"), 3) == finest)
    best = min(votes, key=lambda d: (-votes[d], d))
    w, source = next((w, s) for w, s in dated if w["date"] == best)
    return {**w, "source": source}


def consensus_where(reports: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The finest-located reports' most common place, with its source."""
    located = [(r["where"], r.get("id")) for r in reports if (r.get("where") or {}).get("country")]
    if not located:
        return None
    finest = min(w.get("precision_code", 9) for w, _ in located)
    keys = [(w.get("country"), w.get("admin1"), w.get("place")) for w, _ in located if w.get("precision_code", 9) == finest]
    votes = Counter(keys)
    top = max(votes, key=lambda k: (votes[k], -keys.index(k)))
    w, source = next((w, s) for w, s in located if (w.get("country"), w.get("admin1"), w.get("place")) == top)
    return {**w, "source": source}


def reconcile(records: list[dict[str, Any]], config: IncidentConfig, incident_id: str) -> dict[str, Any]:
    """The incident record of the reports of one incident."""
    reports = sorted(records, key=lambda r: (_published(r), str(r.get("id"))))
    types = Counter(r.get("event_type") for r in reports)
    event_type = max(types, key=lambda t: (types[t], sum(r.get("score") or 0 for r in reports if r.get("event_type") == t)))
    when = consensus_when(reports)
    return {"incident_id": incident_id, "event_type": event_type,
            "event_date": when and {k: when.get(k) for k in ("date", "precision", "text", "start", "end", "source")},
            "where": consensus_where(reports), "best_rule": config.best,
            "members": [r.get("id") for r in reports], "reports": roles(reports),
            "totals": totals(reports, config.best), "figures": figure_table(reports, config.best)}
