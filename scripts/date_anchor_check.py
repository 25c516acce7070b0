"""Measures one date rule: the time expression in the sentence of the event's first (gold) casualty figure
wins over the lead's first one. Prints, per labelled date set, articles right without and with it and
the articles it changes. `python scripts/date_anchor_check.py`."""
import re

import eventcoder.incidents.when as W
from eventcoder.incidents import evaluate as E


def sentence_span(text, pos):
    starts = [0] + [m.end() for m in re.finditer(r"[.!?](?:\s|$)|\n", text[:pos])]
    s = starts[-1]
    m = re.compile(r"[.!?](?:\s|$)|\n").search(text, pos)
    return s, (m.end() if m else len(text))

def event_date_anchored(text, article_date=None, lead_chars=1500, anchor=None):
    base = W.event_date(text, article_date, lead_chars)
    if anchor is None:
        return base
    published = W.parse_date(article_date)
    s0, e0 = sentence_span(text, anchor)
    found = []
    for kind, pattern in W.PATTERNS:
        for m in pattern.finditer(text, s0, e0):
            s, e = m.span("wd") if kind == "weekday" else m.span()
            if W._of_a_statement(text, s, e):
                continue
            r = W._resolve(kind, m, published)
            if r is not None:
                found.append((s, e, *r))
                break
    if not found:
        return base
    s, e, when, prec = min(found, key=lambda f: (W.PRECISIONS.index(f[3]), abs(f[0]-anchor)))
    return {"date": when.isoformat(), "precision": prec, "text": text[s:e], "start": s, "end": e}

def first_anchor(a, mode):
    spans = [c["start"] for c in a.get("casualties") or [] if c.get("start") is not None]
    return min(spans) if spans else None

def score(articles, gold, mode):
    right = n = 0
    changed = []
    for a, g in zip(articles, gold, strict=False):
        if not g.get("event_date"):
            continue
        n += 1
        anchor = first_anchor(a, mode) if mode else None
        got = event_date_anchored(a["text"], a.get("date"), anchor=anchor)
        base = W.event_date(a["text"], a.get("date"))
        ok = (got or {}).get("date") == g["event_date"]
        right += ok
        if (got or {}).get("date") != (base or {}).get("date"):
            changed.append((a["id"], base["date"], got["date"], g["event_date"], got["text"]))
    return right, n, changed

sets = {}
for name, (path, _) in E.DATE_SETS.items():
    sets[name] = E.load_date_set(path)
sets["real clusters"] = E.load_shared()
sets["original"] = E.load_original()
for name, (arts, gold) in sets.items():
    r0, n, _ = score(arts, gold, None)
    r1, n, ch = score(arts, gold, "anchor")
    print(f"{name}: base {r0}/{n} anchored {r1}/{n}")
    for c in ch:
        print("   ", c)
