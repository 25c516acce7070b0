#!/usr/bin/env python3
"""Check a sample-corpus JSONL file written by hand (stdlib only, so writers can run it anywhere).

Usage: python scripts/check_sample.py data/sample/battles.jsonl [...]
Checks every record: fields, labels, quote resolution (quote found inside a unique context),
word counts, and that the stated totals follow the aggregation rule of the corpus.
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

EVENT_TYPES = {"battles", "explosions_remote_violence", "violence_against_civilians", "riots",
               "protests", "strategic_developments", "none"}
OUTCOMES = {"killed", "injured"}
GROUPS = {"civilians", "security_forces", "militants", "unknown"}
SPLITS = {"train", "validation", "test"}
REQUIRED = ["id", "split", "title", "text", "date", "source", "region", "event_type",
            "killed_total", "injured_total", "casualties"]


def rule_totals(casualties: list[dict]) -> dict[str, int]:
    """Per outcome: each group's figure is the highest count given for it (updated tolls);
    an `unknown` figure at least as large as the sum of the named groups contains them."""
    best: dict[tuple[str, str], int] = {}
    for c in casualties:
        if c.get("count") is None:
            continue
        key = (c["outcome"], c["group"])
        best[key] = max(best.get(key, 0), int(c["count"]))
    totals = {}
    for outcome in OUTCOMES:
        named = sum(v for (o, g), v in best.items() if o == outcome and g != "unknown")
        unknown = best.get((outcome, "unknown"), 0)
        totals[outcome] = unknown if unknown >= named else unknown + named
    return totals


def resolve(text: str, quote: str, context: str | None) -> tuple[int, int] | str:
    if context:
        n = text.count(context)
        if n != 1:
            return f"context {context!r} occurs {n} times in text (must be exactly once)"
        base = text.index(context)
        k = context.find(quote)
        if k < 0:
            return f"quote {quote!r} not inside context {context!r}"
        return base + k, base + k + len(quote)
    n = text.count(quote)
    if n != 1:
        return f"quote {quote!r} occurs {n} times in text: give a unique `context` containing it"
    s = text.index(quote)
    return s, s + len(quote)


def check(path: str) -> int:
    errors = 0
    long_articles = 0
    ids = set()
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        def err(msg: str) -> None:
            nonlocal errors
            errors += 1
            print(f"{path}:{lineno}: {msg}")
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"bad JSON: {e}")
            continue
        missing = [k for k in REQUIRED if k not in r]
        if missing:
            err(f"missing fields {missing}")
            continue
        if r["id"] in ids:
            err(f"duplicate id {r['id']}")
        ids.add(r["id"])
        if r["event_type"] not in EVENT_TYPES:
            err(f"event_type {r['event_type']!r} not in {sorted(EVENT_TYPES)}")
        if r["split"] not in SPLITS:
            err(f"split {r['split']!r}")
        text = r["text"]
        words = len(text.split())
        if not 60 <= words <= 900:
            err(f"{words} words (must be 60-900)")
        if words >= 470:
            long_articles += 1
        if not text.startswith(r["title"]):
            err("text must start with the title (headline line)")
        for i, c in enumerate(r["casualties"]):
            where = f"casualties[{i}]"
            if c.get("outcome") not in OUTCOMES:
                err(f"{where}.outcome {c.get('outcome')!r}")
            if c.get("group") not in GROUPS:
                err(f"{where}.group {c.get('group')!r}")
            if c.get("count") is None and not c.get("vague"):
                err(f"{where}: count null needs a `vague` word")
            if c.get("count") is not None and not isinstance(c["count"], int):
                err(f"{where}.count must be an integer or null")
            if "quote" not in c:
                err(f"{where}: no quote")
                continue
            res = resolve(text, c["quote"], c.get("context"))
            if isinstance(res, str):
                err(f"{where}: {res}")
        if r["event_type"] == "none" and (r["casualties"] or r["killed_total"] or r["injured_total"]):
            err("event_type none must have no casualties and totals 0")
        want = rule_totals(r["casualties"])
        if want["killed"] != r["killed_total"] or want["injured"] != r["injured_total"]:
            err(f"totals killed={r['killed_total']} injured={r['injured_total']} but the rule gives "
                f"killed={want['killed']} injured={want['injured']}")
    print(f"{path}: {len(ids)} records, {long_articles} with >=470 words, {errors} errors")
    return errors


if __name__ == "__main__":
    sys.exit(1 if sum(check(p) for p in sys.argv[1:]) else 0)
