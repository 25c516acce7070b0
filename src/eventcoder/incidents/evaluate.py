"""Score incident grouping, event dates and locations on labelled clusters, beside a baseline.

`python -m eventcoder.incidents.evaluate [--out reports/incidents] [--no-shared]` reads the original
clusters of data/incidents/clusters.jsonl and, when ../shared is present, the real clusters named
in data/incidents/shared_clusters.yaml; codes each article's `when` and `where` from its text and
date; groups the articles with `group_incidents`; and writes report.md and metrics.json. Both sets
served to write the date and place rules. Two sets of single articles are scored apart, per article
(they are not clusters): the development dates of data/incidents/dev_dates.yaml (real articles of
../shared/data/train_articles, free to write rules against) and the held-out dates of
data/incidents/heldout_dates.yaml (real articles of ../shared/data/dev_world, labelled before the
rules they score were changed and never used to write one). Grouping
reads each article's gold event type and gold figures (grouping is what is scored, not the model),
and the predicted date and place. The baseline groups articles of the same event type, event date
and country.
"""
from __future__ import annotations

import argparse
import json
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from eventcoder.incidents.annotate import when_where
from eventcoder.incidents.config import IncidentConfig
from eventcoder.incidents.grouping import link_components
from eventcoder.io import atomic_write_text
from eventcoder.paths import REPO_ROOT, SHARED_DIR

CLUSTERS = REPO_ROOT / "data" / "incidents" / "clusters.jsonl"
SHARED_CLUSTERS = REPO_ROOT / "data" / "incidents" / "shared_clusters.yaml"
HELDOUT_DATES = REPO_ROOT / "data" / "incidents" / "heldout_dates.yaml"
DEV_DATES = REPO_ROOT / "data" / "incidents" / "dev_dates.yaml"
HELDOUT2_DATES = REPO_ROOT / "data" / "incidents" / "heldout2_dates.yaml"
# per-article date sets: name -> (labels, what the report says of them)
DATE_SETS = {
    "development (train_articles)": (DEV_DATES, "real articles of ../shared/data/train_articles (data/incidents/"
                                     "dev_dates.yaml), labelled before the rules' output on them was read; the "
                                     "date and place rules may be written against them."),
    "development (dev_world, first sample)": (
        HELDOUT_DATES, "real articles of ../shared/data/dev_world (data/incidents/heldout_dates.yaml), labelled "
        "before any date rule was measured on them; held out until the rules that pass over printed date "
        "lines and background dates were written on their misses."),
    "held out (dev_world, second sample)": (
        HELDOUT2_DATES, "the other real articles of ../shared/data/dev_world with a date and an event "
        "(data/incidents/heldout2_dates.yaml), labelled by reading each article; no rule has been written "
        "while looking at them."),
}
COMMAND = "python -m eventcoder.incidents.evaluate --out reports/incidents"


def bcubed(predicted: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering (a label per item) against the gold one."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted labels for {len(gold)} gold labels")
    by_pred: dict[Any, set[int]] = defaultdict(set)
    by_gold: dict[Any, set[int]] = defaultdict(set)
    for k, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_pred[p].add(k)
        by_gold[g].add(k)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        both = len(by_pred[p] & by_gold[g])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    n = len(gold) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def baseline(records: Sequence[dict[str, Any]]) -> list[str]:
    """Same event type, same event date, same country: one incident."""
    return ["|".join([r.get("event_type") or "", (r.get("when") or {}).get("date") or f"?{k}",
                      (r.get("where") or {}).get("country") or f"?{k}"]) for k, r in enumerate(records)]


def norm(name: Any) -> str | None:
    """A name compared without accents, case or a leading 'St.'/'Saint' spelling difference."""
    if not name:
        return None
    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold().strip()
    return plain.replace("saint ", "st ").replace("st. ", "st ")


def coded_record(article: dict[str, Any]) -> dict[str, Any]:
    """A coded record from a labelled article: its gold type and figures, its predicted when and where."""
    counts = article.get("counts") or {}
    return {"id": article["id"], "date": article.get("date"), "title": article.get("title"),
            "text": article["text"], "event_type": article["event_type"],
            "killed": article.get("killed_total") or 0, "injured": article.get("injured_total") or 0,
            "casualties": {o: dict(counts.get(o, {})) for o in ("killed", "injured")}, "evidence": [],
            **when_where(article["text"], article.get("date"))}


def load_original(path: Path = CLUSTERS) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(articles, gold labels) of the original clusters."""
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [{k: a.get(k) for k in ("incident_id", "event_date", "country", "admin1", "place")} for a in articles]
    return articles, gold


def load_shared(spec_path: Path = SHARED_CLUSTERS, shared: Path = SHARED_DIR) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(articles, gold labels) of the real pool: event-coded articles, clustered as the spec says."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    labels = {m: {k: c.get(k) for k in ("incident_id", "event_date", "country", "admin1", "place")}
              for c in spec["clusters"] for m in c["members"]}
    articles, gold = [], []
    for rel in spec["pool"]:
        for line in (shared / rel).read_text(encoding="utf-8").splitlines():
            a = json.loads(line)
            if (a.get("event_type") or "none") == "none":
                continue
            articles.append(a)
            gold.append(labels.get(a["id"], {"incident_id": f"own:{a['id']}"}))
    missing = set(labels) - {a["id"] for a in articles}
    if missing:
        raise ValueError(f"{spec_path}: ids not in the pool (or coded none): {sorted(missing)}")
    return articles, gold


def load_date_set(spec_path: Path, shared: Path = SHARED_DIR) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(articles, gold labels) of a per-article date set (`DATE_SETS`): each labelled id of the pool,
    in label order."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    labels = {a["id"]: a for a in spec["articles"]}
    pool = {}
    for line in (shared / spec["pool"]).read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        if a["id"] in labels:
            pool[a["id"]] = a
    missing = sorted(set(labels) - set(pool))
    if missing:
        raise ValueError(f"{spec_path}: ids not in {spec['pool']}: {missing}")
    articles = [pool[i] for i in labels]
    return articles, [{k: labels[a["id"]].get(k) for k in ("event_date", "date_precision", "country", "place")}
                      for a in articles]


def score_date_set(articles: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Event date exact, country and place per article, and event date exact on the day-labelled ones."""
    records = [{"id": a["id"], **when_where(a["text"], a.get("date"))} for a in articles]
    scores = location_scores(records, gold)
    days = [(r, g) for r, g in zip(records, gold, strict=True) if g["date_precision"] == "day"]
    day_scores = location_scores([r for r, _ in days], [g for _, g in days])
    return {"articles": len(records), "event date exact": scores["event date exact"],
            "event date exact (day labels)": day_scores["event date exact"],
            "country": scores["country"], "place": scores["place"],
            "errors": [{"id": r["id"], "gold": g, "when": (r["when"] or {}).get("date"),
                        "evidence": (r["when"] or {}).get("text"),
                        "where": {k: (r["where"] or {}).get(k) for k in ("country", "place")}}
                       for r, g in zip(records, gold, strict=True)
                       if (r["when"] or {}).get("date") != g["event_date"]
                       or norm((r["where"] or {}).get("country")) != norm(g["country"])
                       or (g.get("place") and not place_right(r["where"], g["place"]))]}


def place_right(where: dict[str, Any] | None, gold_place: str) -> bool:
    """A place is right by its gazetteer name or by the words the text names it with."""
    where = where or {}
    return norm(gold_place) in (norm(where.get("place")), norm(where.get("text")))


def location_scores(records: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Event date exact match and country, region and place accuracy over the labelled articles."""
    out: dict[str, Any] = {}
    fields = {"event date exact": ("when", "date", "event_date"), "country": ("where", "country", "country"),
              "admin1": ("where", "admin1", "admin1"), "place": ("where", "place", "place")}
    for name, (field, key, label) in fields.items():
        pairs = [(r.get(field) or {}, g[label]) for r, g in zip(records, gold, strict=True) if g.get(label)]
        if name == "event date exact":
            right = sum(got.get(key) == g for got, g in pairs)
        elif name == "place":
            right = sum(place_right(got, g) for got, g in pairs)
        else:
            right = sum(norm(got.get(key)) == norm(g) for got, g in pairs)
        out[name] = {"accuracy": round(right / len(pairs), 4) if pairs else None, "n": len(pairs)}
    return out


def incident_view(records: list[dict[str, Any]], labels: Sequence[int]) -> list[dict[str, Any]]:
    """Each record with the `when` and `where` of the incident it was grouped into (the reports'
    consensus, as `reconcile` gives it)."""
    from eventcoder.incidents.reconcile import consensus_when, consensus_where

    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r, lab in zip(records, labels, strict=True):
        groups[int(lab)].append(r)
    agreed = {lab: {"when": consensus_when(rs), "where": consensus_where(rs)} for lab, rs in groups.items()}
    return [{**r, **agreed[int(lab)]} for r, lab in zip(records, labels, strict=True)]


def score_set(articles: list[dict[str, Any]], gold: list[dict[str, Any]], config: IncidentConfig) -> dict[str, Any]:
    records = [coded_record(a) for a in articles]
    labels = link_components(records, config)
    gold_ids = [g["incident_id"] for g in gold]
    by_incident = location_scores(incident_view(records, labels), gold)
    return {"articles": len(records), "gold incidents": len(set(gold_ids)),
            "predicted incidents": len(set(labels.tolist())),
            "grouping": bcubed(labels.tolist(), gold_ids), "baseline": bcubed(baseline(records), gold_ids),
            **location_scores(records, gold), "incident": by_incident,
            "errors": [{"id": r["id"], "gold": g, "when": (r["when"] or {}).get("date"),
                        "where": {k: (r["where"] or {}).get(k) for k in ("country", "admin1", "place")}}
                       for r, g in zip(records, gold, strict=True) if g.get("event_date") and (
                           (r["when"] or {}).get("date") != g["event_date"]
                           or (g.get("place") and not place_right(r["where"], g["place"])))]}


def render_date_sets(sets: dict[str, dict[str, Any]]) -> list[str]:
    """The section of the per-article date sets: one table, then each set's wrong articles."""
    lines = ["", "## Single articles: event dates and places", "",
             "Scored per article (they are not clusters); the day labels leave out the articles that name no "
             "day for their event (labelled with the article's date at week precision).", ""]
    lines += [f"- **{name}**: {held['articles']} {DATE_SETS[name][1]}" for name, held in sets.items()]
    lines += ["", "| set | event date exact | of day labels | country | place |", "|---|---|---|---|---|"]
    for name, held in sets.items():
        cells = [f"{held[k]['accuracy']:.3f} (n={held[k]['n']})" for k in
                 ("event date exact", "event date exact (day labels)", "country", "place")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for name, held in sets.items():
        lines += ["", f"Articles of {name} whose date, country or place is wrong:", ""]
        for e in held["errors"]:
            lines.append(f"- `{e['id']}`: date {e['when']} from {e['evidence']!r} (gold {e['gold']['event_date']}, "
                         f"{e['gold']['date_precision']}), place {e['where']['place']}, {e['where']['country']} "
                         f"(gold {e['gold'].get('place')}, {e['gold'].get('country')})")
    return lines


def render(results: dict[str, dict[str, Any]], config: IncidentConfig,
           date_sets: dict[str, dict[str, Any]] | None = None) -> str:
    lines = ["# Incidents: grouping, event dates and locations", "",
             f"Written by `{COMMAND}` (settings: configs/incidents.yaml, window {config.window_days} days, "
             f"link threshold {config.link_threshold}). Grouping reads each article's gold event type and "
             "figures and its predicted event date and place; the baseline groups articles of the same type, "
             "predicted event date and predicted country.", "",
             "| set | articles | incidents (gold / predicted) | B-cubed P | R | F1 | baseline P | R | F1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        g, b = r["grouping"], r["baseline"]
        lines.append(f"| {name} | {r['articles']} | {r['gold incidents']} / {r['predicted incidents']} | "
                     f"{g['precision']:.3f} | {g['recall']:.3f} | {g['f1']:.3f} | {b['precision']:.3f} | "
                     f"{b['recall']:.3f} | {b['f1']:.3f} |")
    lines += ["", "| set | event date exact | country | admin1 | place |", "|---|---|---|---|---|"]
    for name, r in results.items():
        cells = [f"{r[k]['accuracy']:.3f} (n={r[k]['n']})" if r[k]["accuracy"] is not None else "–"
                 for k in ("event date exact", "country", "admin1", "place")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Read per article (above), and per predicted incident: each article scored with the date and place "
              "its incident's reports agree on (the finest-dated reports' most common date, the earliest on a tie; "
              "the finest-located reports' most common place):", "",
              "| set | incident event date exact | country | admin1 | place |", "|---|---|---|---|---|"]
    for name, r in results.items():
        cells = [f"{r['incident'][k]['accuracy']:.3f} (n={r['incident'][k]['n']})"
                 if r["incident"][k]["accuracy"] is not None else "–"
                 for k in ("event date exact", "country", "admin1", "place")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Labelled articles whose date or place is wrong", ""]
    for name, r in results.items():
        for e in r["errors"]:
            lines.append(f"- {name} `{e['id']}`: date {e['when']} (gold {e['gold']['event_date']}), "
                         f"place {e['where']['place']}, {e['where']['country']} (gold {e['gold'].get('place')}, "
                         f"{e['gold'].get('country')})")
    if date_sets:
        lines += render_date_sets(date_sets)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="reports/incidents", help="report folder")
    parser.add_argument("--config", default=None, help="settings (default: configs/incidents.yaml)")
    parser.add_argument("--no-shared", action="store_true", help="only the original clusters")
    args = parser.parse_args(argv)
    config = IncidentConfig.load(args.config)
    results = {"original": score_set(*load_original(), config)}
    if not args.no_shared and SHARED_DIR.is_dir():
        results["real (shared)"] = score_set(*load_shared(), config)
        date_sets = {name: score_date_set(*load_date_set(path)) for name, (path, _) in DATE_SETS.items()}
    else:
        date_sets = {}
    articles = sum(r["articles"] for r in results.values())
    out = Path(args.out)
    metrics = {**results, **date_sets}
    atomic_write_text(out / "metrics.json", json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(out / "report.md", render(results, config, date_sets))
    for name, r in results.items():
        print(f"{name}: {r['articles']} articles, B-cubed F1 {r['grouping']['f1']:.3f} (baseline "
              f"{r['baseline']['f1']:.3f}), date exact {r['event date exact']['accuracy']}, country "
              f"{r['country']['accuracy']}, place {r['place']['accuracy']}; by incident: date exact "
              f"{r['incident']['event date exact']['accuracy']}, place {r['incident']['place']['accuracy']}")
    for name, held in date_sets.items():
        print(f"{name}: {held['articles']} articles, date exact {held['event date exact']['accuracy']} "
              f"(day labels {held['event date exact (day labels)']['accuracy']}), country "
              f"{held['country']['accuracy']}, place {held['place']['accuracy']}")
    print(f"{articles} articles -> {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
