"""Which coded articles report the same incident.

Reports are blocked by country and event date (sorted dates, a window of `window_days`), so only
pairs inside a block are compared and the cost grows about linearly with the archive. A pair of
compatible event types links when its similarity (TF-IDF cosine of the texts, the same or a near
place, close dates) reaches the threshold; incidents are the connected components of the links.
A rising toll is no reason to split: figures play no part in linking, and reconciliation reads a
later, higher figure as an update.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from eventcoder.incidents.config import IncidentConfig
from eventcoder.incidents.when import parse_date

PAIR_CHUNK = 200_000  # pairs whose cosine is computed at once (bounds memory)


def content(record: dict[str, Any]) -> str:
    """What a record says, for text similarity: its title and text when it carries them, else the
    sentences of its evidence and the mentions of its date and place."""
    parts = [record.get("title") or "", record.get("text") or ""]
    if not any(parts):
        parts = [e.get("sentence") or "" for e in record.get("evidence") or []]
        parts += [(record.get(k) or {}).get("text") or "" for k in ("when", "where")]
    return " ".join(p for p in parts if p)


def event_day(record: dict[str, Any]) -> int | None:
    """The record's event date as a day number: its `when`, else its article date."""
    when = record.get("when") or {}
    d = parse_date(when.get("date")) or parse_date(when.get("article_date")) or parse_date(record.get("date"))
    return d.toordinal() if d else None


def _place(record: dict[str, Any]) -> tuple[str | None, str | None, float, float]:
    where = record.get("where") or {}
    exact = where.get("precision") == "place" and where.get("latitude") is not None
    return (where.get("country_code"), where.get("place") if exact else None,
            float(where["latitude"]) if exact else math.nan, float(where["longitude"]) if exact else math.nan)


def candidate_pairs(blocks: Sequence[int], days: np.ndarray, window: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(i, j) index pairs of records in the same block whose days differ by at most `window`,
    block by block (sorted by day, each record paired with the later ones inside the window)."""
    order = np.lexsort((days, np.asarray(blocks)))
    b_sorted, d_sorted = np.asarray(blocks)[order], days[order]
    starts = np.flatnonzero(np.r_[True, b_sorted[1:] != b_sorted[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for s, e in zip(starts, ends, strict=True):
        d = d_sorted[s:e]
        right = np.searchsorted(d, d + window, side="right")
        counts = right - np.arange(len(d)) - 1
        if counts.sum() == 0:
            continue
        i = np.repeat(np.arange(len(d)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        j = i + 1 + offsets
        yield order[s + i], order[s + j]


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances in km (NaN where a coordinate is missing)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def pair_scores(i: np.ndarray, j: np.ndarray, tfidf: Any, days: np.ndarray, places: np.ndarray, lat: np.ndarray,
                lon: np.ndarray, config: IncidentConfig) -> np.ndarray:
    """The similarity of each pair (text, place and date, weighted); -1 where two exact places are
    farther apart than `far_km`. `places` holds a place id per record (-1: no exact place)."""
    text = np.asarray(tfidf[i].multiply(tfidf[j]).sum(axis=1)).ravel()
    dist = haversine_km(lat[i], lon[i], lat[j], lon[j])
    same = (places[i] == places[j]) & (places[i] >= 0)
    place = np.where(same | (dist <= config.near_km), 1.0, np.where(np.isnan(dist), 0.5, 0.0))
    closeness = 1.0 - np.abs(days[i] - days[j]) / (config.window_days + 1)
    w = config.weights
    score = w["text"] * text + w["place"] * place + w["date"] * closeness
    return np.where(dist > config.far_km, -1.0, score)


def link_components(records: Sequence[dict[str, Any]], config: IncidentConfig) -> np.ndarray:
    """A component label per record: records that report one incident share a label. Records coded
    `none` or without a date stay alone."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(records)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    days_or_none = [event_day(r) for r in records]
    types = [r.get("event_type") or "none" for r in records]
    usable = np.array([d is not None and t != "none" for d, t in zip(days_or_none, types, strict=True)])
    places = [_place(r) for r in records]
    countries = [p[0] or "?" for p in places]
    blocks = [f"{c}" if ok else f"#{k}" for k, (c, ok) in enumerate(zip(countries, usable, strict=True))]
    _, block_ids = np.unique(blocks, return_inverse=True)
    days = np.array([d if d is not None else 0 for d in days_or_none], dtype=np.int64)
    lat = np.array([p[2] for p in places])
    lon = np.array([p[3] for p in places])
    place_ids = {name: k for k, name in enumerate(sorted({p[1] for p in places if p[1]}))}
    names = np.array([place_ids.get(p[1], -1) if p[1] else -1 for p in places])
    groups = {t: g for g, members in enumerate(config.type_groups) for t in members}
    for t in sorted(set(types) - set(groups)):  # a type in no group links only with itself
        groups[t] = len(config.type_groups) + len(groups)
    groups["none"] = -1
    type_group = np.array([groups[t] for t in types])
    texts = [content(r) for r in records]
    try:
        tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32).fit_transform(texts)
    except ValueError:  # no word to weigh (empty texts, stop words only): nothing links
        tfidf = None
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for i_all, j_all in candidate_pairs(block_ids, days, config.window_days):
        for c in range(0, len(i_all), PAIR_CHUNK):
            i, j = i_all[c:c + PAIR_CHUNK], j_all[c:c + PAIR_CHUNK]
            ok = (type_group[i] == type_group[j]) & (type_group[i] >= 0)
            i, j = i[ok], j[ok]
            if not len(i) or tfidf is None:
                continue
            keep = pair_scores(i, j, tfidf, days, names, lat, lon, config) >= config.link_threshold
            rows.append(i[keep])
            cols.append(j[keep])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def group_incidents(records: Sequence[dict[str, Any]], config: IncidentConfig | None = None) -> list[dict[str, Any]]:
    """One incident record per group of coded articles that report one incident (the Python API of
    `eventcoder incidents`): figures reconciled to low, best and high with their sources. Records
    coded `none` report no incident and are left out."""
    from eventcoder.incidents.reconcile import reconcile

    config = config or IncidentConfig.load()
    labels = link_components(records, config)
    members: dict[int, list[int]] = {}
    for k, lab in enumerate(labels):
        if (records[k].get("event_type") or "none") != "none":
            members.setdefault(int(lab), []).append(k)
    groups = sorted(members.values(), key=lambda ks: (min(event_day(records[k]) or 0 for k in ks), ks[0]))
    return [reconcile([records[k] for k in ks], config, incident_id=f"inc-{n:06d}") for n, ks in enumerate(groups, 1)]
