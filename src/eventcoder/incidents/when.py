"""When an event happened: its date from what the text says, read against the article's date.

News reports date events relative to publication ("yesterday", "overnight", "on Wednesday", "last week") or
absolutely ("on 3 March", "March 3, 2016"). The first such expression of the headline and first
paragraphs (`lead_chars`: 1,500 characters, where a night event's day or a follow-up's "on 12 June"
is still found; 400 missed a sixth of the real labelled dates) is taken as the event's date: the
finest one (a day before a week or a month; of two days, the first in a sentence that reports deaths
or injuries), and not the day something was said, nor a page's printed date line (when it was
published), nor a date further back than two weeks while a more recent one is named (a background
event: "since the 7 October attacks"). The main event is reported first. The expression is kept as
evidence (text, start, end) like a casualty figure. Precision follows the expression: a day, a week
or a month. With no expression the article's date stands in, at week precision (reports mostly
follow an event within days), and without either there is no date.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from eventcoder.casualties import sentence_span

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
PRECISIONS = ("day", "week", "month")

_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WD = r"(?P<wd>" + "|".join(WEEKDAYS) + r")"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in [
    ("dmy", rf"\b{_DAY}\s+(?:of\s+)?{_MON}{_YEAR}\b"),
    ("mdy", rf"\b{_MON}\s+{_DAY}\b{_YEAR}"),
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("yesterday", rf"\b(?:yesterday|last night|overnight(?!\s+(?:into|on|to|{'|'.join(WEEKDAYS)})\b))\b"),  # the night just past
    ("today", r"\b(?:today|this (?:morning|afternoon|evening)|tonight)\b"),
    ("weekday", rf"\b(?:on|late|early|last|since|until|from)?\s*{_WD}\b(?!\s+(?-i:[A-Z]))"),  # not "Monday Market"
    ("week", r"\b(?:last week|earlier this week|this week|over the weekend|last weekend)\b"),
    ("month", rf"\b(?:in|since|during|early|late|mid-?)\s*{_MON}(?:\s+(?P<year>(?:19|20)\d\d))?\b(?!\s+\d)"),
]]


def parse_date(value: Any) -> date | None:
    """An ISO date (the first ten characters of a date or timestamp string), else None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match[str], published: date | None) -> tuple[date, str] | None:
    """The date and precision an expression names, given the article's date (None if it cannot)."""
    g = m.groupdict()
    if g.get("mon") and g["mon"][0].islower():  # "may", "march": a verb or a noun, not a month
        return None
    if kind in ("dmy", "mdy", "iso", "month"):
        mon = int(g["mon"]) if kind == "iso" else MONTHS[g["mon"].lower().rstrip(".")]
        year = int(g["year"]) if g.get("year") else (published.year if published else None)
        if year is None:
            return None
        day = int(g["day"]) if kind != "month" else 1
        try:
            when = date(year, mon, day)
        except ValueError:
            return None
        if not g.get("year") and published and when > published + timedelta(days=31):
            when = when.replace(year=year - 1)  # "on 28 December" in a January report
        return when, "month" if kind == "month" else "day"
    if published is None:
        return None
    if kind == "yesterday":
        return published - timedelta(days=1), "day"
    if kind == "today":
        return published, "day"
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
        return published - timedelta(days=back), "day"
    if kind == "week":
        return published - timedelta(days=7 if "last" in m.group(0).lower() else 0), "week"
    return None


# a date of what was said, not of the event: "officials said on Thursday", "on Monday condemned"
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|announced|reported|added|confirmed|stated)\s+(?:\w+\s+)?$", re.IGNORECASE)
_SAID_AFTER = re.compile(r"^(?:'s)?\s*(?:\w+\s+)?(?:said|says|told|announced|condemned|decried|denied|confirmed|"
                         r"called|urged|declared|visited|met)\b", re.IGNORECASE)


def _of_a_statement(text: str, start: int, end: int) -> bool:
    return bool(_SAID_BEFORE.search(text[max(0, start - 30):start]) or _SAID_AFTER.match(text[end:end + 25]))


# Expressions that do not date the main event, each a switch (`scripts/date_rule_check.py` measures them):
SKIP_DATELINE = True  # the printed date line of a page ("10 Jul 2016 ...", "July 26 (UPI) --"): when it was published
RECENT_DAYS: int | None = 14  # a date further back dates a background event, unless the lead names nothing more recent
CASUALTY_SENTENCE = True  # of two expressions as fine, the one in a sentence that reports deaths or injuries


_AGENCY_DASH = re.compile(r"\s*\([A-Za-z]+\)\s*(?:--|[-\u2013\u2014])")
_OPENING_PREPOSITION = re.compile(r"\s*(?:on|since|until|from|by|before|after)\s+$", re.IGNORECASE)


def _date_lines(text: str, end: int, published: date | None) -> list[tuple[int, int]]:
    """The spans (line start to the date's end) of printed date lines: an absolute date at most 40
    characters into one of the first lines, no sentence before it, that is the article's date or
    the day before, with its year or an agency's dash ("AFP Sunday 29 Jun 2014", "Date of
    publication 10 July 2016", "July 26 (UPI) --")."""
    if published is None:
        return []
    spans = []
    for kind, pattern in PATTERNS:
        if kind not in ("dmy", "mdy", "iso"):
            continue
        for m in pattern.finditer(text, 0, min(end, 450)):
            line = text.rfind("\n", 0, m.start()) + 1
            if line >= 400 or m.start() - line > 40 or "." in text[line:m.start()]:
                continue
            if _OPENING_PREPOSITION.fullmatch(text, line, m.start()):
                continue  # "On 13 February 2024, a convoy ...": a sentence opens on its day (ACLED's notes),
                # unlike "Posted on August 3 2013"
            if not m.groupdict().get("year") and not _AGENCY_DASH.match(text, m.end()):
                continue  # "Monday 13th November" opens a lead; a printed date has its year or an agency's dash
            try:
                resolved = _resolve(kind, m, published)
            except (OverflowError, ValueError):  # "29 Feb" moved to a year without one
                continue
            if resolved and timedelta(0) <= published - resolved[0] <= timedelta(days=1):
                spans.append((line, m.end()))
    return spans


_CASUALTY_WORDS = re.compile(r"\b(?:kill(?:s|ed|ing)?|dead|died|dies|deaths?|wound(?:s|ed|ing)?|injur(?:ed|ing|y|ies)|"
                             r"casualties|fatally|bodies)\b", re.IGNORECASE)


def _in_casualty_sentence(text: str, start: int, end: int) -> bool:
    """Whether the sentence around [start, end) (as the casualty evidence cuts sentences) reports
    deaths or injuries."""
    return bool(_CASUALTY_WORDS.search(text, *sentence_span(text, start, end)))


def _background(when: date, precision: str, published: date | None) -> bool:
    """Further back than RECENT_DAYS (a month: from its last days)."""
    if RECENT_DAYS is None or published is None:
        return False
    last = when.replace(day=28) + timedelta(days=4) if precision == "month" else when
    return (published - last).days > RECENT_DAYS


def _lead_end(text: str, lead_chars: int) -> int:
    """Where the lead ends: the end of the sentence that crosses `lead_chars`."""
    if len(text) <= lead_chars:
        return len(text)
    stop = re.compile(r"[.!?](?:\s|$)").search(text, lead_chars)
    return stop.end() if stop else len(text)


_Found = tuple[int, int, date, str, bool]  # start, end, date, precision, in a casualty sentence


def event_date(text: str, article_date: Any = None, lead_chars: int = 1500) -> dict[str, Any] | None:
    """The event's date, precision and evidence, read from the lead and the article's date.

    Returns {"date": ISO, "precision": day|week|month, "text", "start", "end"} (the evidence span
    is null when the article's date stands in), or None when nothing dates the event.
    """
    published = parse_date(article_date)
    end = _lead_end(text, lead_chars)
    found: list[_Found] = []
    background: list[_Found] = []  # the first of each kind that lies further back
    date_lines = _date_lines(text, end, published) if SKIP_DATELINE else []
    for kind, pattern in PATTERNS:
        kept = len(background)
        first: _Found | None = None  # the kind's first expression, and its first in a casualty sentence
        told: _Found | None = None
        for m in pattern.finditer(text, 0, end):
            s, e = m.span("wd") if kind == "weekday" else m.span()
            if _of_a_statement(text, s, e):
                continue
            try:
                resolved = _resolve(kind, m, published)
            except (OverflowError, ValueError):  # a date at the calendar's edge (year 1 or 9999)
                resolved = None
            if resolved is None or any(lo <= s < hi for lo, hi in date_lines):
                continue
            if _background(*resolved, published):
                if len(background) == kept:
                    background.append((s, e, *resolved, False))
                continue
            this = (s, e, *resolved, CASUALTY_SENTENCE and _in_casualty_sentence(text, s, e))
            first = first or this
            if this[4] or not CASUALTY_SENTENCE:
                told = this
                break
        found += [f for f in {first, told} if f is not None]
    found = found or background  # a date further back dates the event only when nothing more recent does
    if found:  # the finest expression, the first of those
        start, stop, when, precision, _ = min(found, key=lambda f: (PRECISIONS.index(f[3]), not f[4], f[0], -(f[1] - f[0])))
        return {"date": when.isoformat(), "precision": precision, "text": text[start:stop],
                "start": start, "end": stop}
    if published is not None:
        return {"date": published.isoformat(), "precision": "week", "text": None, "start": None, "end": None}
    return None
