"""Each rule that passes over a date expression (`eventcoder.incidents.when`), switched off in turn:
articles whose event date is exactly right, per labelled set, against all rules on.

    .venv/bin/python scripts/date_rule_check.py [--sets original real dev heldout1 heldout2]

The sets are those of `python -m eventcoder.incidents.evaluate` (docs/incidents.md); `real` is the
28 cluster members of the real pool that carry date labels.
"""
from __future__ import annotations

import argparse
import contextlib
from unittest import mock

from eventcoder.incidents import evaluate, when
from eventcoder.incidents.annotate import when_of

SETS = {
    "original": evaluate.load_original,
    "real": evaluate.load_shared,
    "dev": lambda: evaluate.load_date_set(evaluate.DEV_DATES),
    "heldout1": lambda: evaluate.load_date_set(evaluate.HELDOUT_DATES),
    "heldout2": lambda: evaluate.load_date_set(evaluate.HELDOUT2_DATES),
}
ARMS: dict[str, dict[str, object]] = {
    "all rules": {},
    "no casualty-sentence preference": {"CASUALTY_SENTENCE": False},
    "no printed date line": {"SKIP_DATELINE": False},
    "no background dates (RECENT_DAYS None)": {"RECENT_DAYS": None},
    "RECENT_DAYS 7": {"RECENT_DAYS": 7},
    "RECENT_DAYS 30": {"RECENT_DAYS": 30},
    "none": {"SKIP_DATELINE": False, "RECENT_DAYS": None, "CASUALTY_SENTENCE": False},
}


def right(articles: list[dict], gold: list[dict]) -> tuple[int, int]:
    """(articles with the event date right, articles with a date label)."""
    pairs = [((when_of(a["text"], a.get("date")) or {}).get("date"), g["event_date"])
             for a, g in zip(articles, gold, strict=True) if g.get("event_date")]
    return sum(p == g for p, g in pairs), len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    args = parser.parse_args()
    data = {name: SETS[name]() for name in args.sets}
    print("| rules | " + " | ".join(args.sets) + " |")
    print("|---|" + "---|" * len(args.sets))
    for arm, switches in ARMS.items():
        with mock.patch.multiple(when, **switches) if switches else contextlib.nullcontext():
            cells = [right(*data[name]) for name in args.sets]
        print(f"| {arm} | " + " | ".join(f"{r} of {n}" for r, n in cells) + " |")


if __name__ == "__main__":
    main()
