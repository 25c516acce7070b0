"""The article-level rule: from labelled number mentions to killed/injured totals by group.

One function, `aggregate`, used for gold labels, for predictions, in reports and by the server:

1. Repeats and updates: for each (outcome, group) the figure is the highest count among its
   mentions. A figure repeated in headline and body counts once; an updated toll ("rose to 14")
   replaces the earlier one, since news tolls are revised upward (the headline often carries the
   latest figure before the body's earlier one, so text order is not used).
2. Totals containing their breakdown: an `unknown`-group figure at least as large as the sum of the
   named groups contains them ("27 people, including 20 militants and 7 soldiers" → 27, not 54);
   a smaller one is a separate group and is added.
3. Vague mentions ("several", "dozens") never add to totals by default: a group known only
   vaguely is reported with its word. With `count_vague=True` the vague table's value is used
   (ACLED's conservative practice) when a group has no number.

`told_of_another_time` finds the time words that date a figure to another time than the event; the
learned toll step (`eventcoder.toll`) reads them as one of its features.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

KILLED_WORDS = re.compile(r"\b(kill\w*|dead|died|dies|death\w*|slain|lives|bodies|corpses?|shot dead|"
                          r"gunned down|massacre\w*|murder\w*|assassinat\w*|executed|beheaded|decapitated|"
                          r"severed head|lynched|fatal\w*|perish\w*)\b", re.I)
INJURED_WORDS = re.compile(r"\b(injur\w*|wound\w*|hurt|hospitali[sz]ed|casualt\w*)\b", re.I)
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_SPAN = r"(day|days|week|weeks|weekend|month|months|year|years)"
# the time words of a running count ("over the past six months", "since 2015"): a tally of many
# events, never the reported one's toll, even where the article gives no other figure of its outcome
# "69,000 dead between 1980 and 2000"; not the clock times of a day ("On Friday, between 1945 and 2010")
_BETWEEN_YEARS = r"(?<!day, )(?<!day )(between|from) (19|20)\d\d (and|to|until) (19|20)\d\d(?! hours| hrs)"
_RUNNING = [r"(over|in|during) the (last|past|previous) (\w+ )?(weeks?|months?|years?)",
            r"since (19|20)\d\d", rf"since {_MONTH}", _BETWEEN_YEARS]
RUNNING_COUNT = re.compile("(" + "|".join(_RUNNING) + ")", re.I)
# time words that date what follows them in a sentence to another time than the reported event
# ("a day after a bomb killed 11", "over the past six months, ... 140", "in October 2020, when ...
# four people dead"); a date with its day ("On 3 May 2021") is the event's own and is left alone
ANOTHER_TIME_BEFORE = re.compile(r"\b(" + "|".join([
    rf"(a|an|one|two|three|four|five|six|several|a few|few) {_SPAN} (after|ago)",
    r"(comes|came|come) after",
    rf"last {_SPAN}", rf"last {_WEEKDAY}", rf"last {_MONTH}",
    rf"earlier (this|that|in the) {_SPAN}",
    r"(this|last|previous) year",
    *_RUNNING,
    rf"(in|the|since|during|of) {_MONTH},? (19|20)\d\d", r"in (19|20)\d\d",
    rf"in {_MONTH}\b(?! \d)",
]) + r")\b", re.I)
# the same after the figure, up to the end of its clause ("40 were shot dead earlier this month")
ANOTHER_TIME_AFTER = re.compile(r"\b(" + "|".join([
    rf"earlier (this|that|in the) {_SPAN}", rf"last {_SPAN}", rf"last {_WEEKDAY}", rf"{_SPAN} ago",
    r"(this|last|previous) year",
    _BETWEEN_YEARS,
]) + r")\b", re.I)


SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+|\n+")


# the most of a "sentence" read on either side of a figure: longer than 99.5 % of the training
# articles' sentences (300 characters), so that a text stripped of its full stops (scraped copy) is
# not read as one sentence whose every time word dates every figure
SENTENCE_REACH = 300


def _within_reach(text: str, start: int, end: int, left: int, right: int) -> tuple[int, int]:
    if start - left > SENTENCE_REACH:
        cut = text.find(" ", start - SENTENCE_REACH, start)
        left = cut + 1 if cut >= 0 else start - SENTENCE_REACH
    if right - end > SENTENCE_REACH:
        cut = text.rfind(" ", end, end + SENTENCE_REACH)
        right = cut if cut >= 0 else end + SENTENCE_REACH
    return left, right


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence (or line) holding text[start:end], at most SENTENCE_REACH either side."""
    left = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = SENTENCE_END.search(text, end)
    return _within_reach(text, start, end, left, m.start() if m else len(text))


def sentence_spans(text: str) -> Any:
    """`sentence_span` for many spans of one text: the sentence ends are found once (a long text
    with thousands of figures would rescan its start for each), then each start is a bisection."""
    from bisect import bisect_right

    ends = [m.end() for m in SENTENCE_END.finditer(text)]

    def span(start: int, end: int) -> tuple[int, int]:  # for spans that start on a word, as mentions do
        k = bisect_right(ends, start)  # the breaks ending at or before start
        m = SENTENCE_END.search(text, end)
        return _within_reach(text, start, end, ends[k - 1] if k else 0, m.start() if m else len(text))
    return span


def told_of_another_time(sentence: str, start: int, end: int) -> str | None:
    """The time words, if any, that date the figure at sentence[start:end] to another time than the
    reported event: in its sentence before it, or in its clause after it. Background tolls (earlier
    attacks, a war's running count) are what the annotators of real articles leave out."""
    before = ANOTHER_TIME_BEFORE.search(sentence, 0, start)
    after = ANOTHER_TIME_AFTER.search(re.split(r"[,;:]", sentence[end:], maxsplit=1)[0])
    return (before or after).group(0) if before or after else None


@dataclass(frozen=True)
class LabelledMention:
    outcome: str
    group: str
    count: int | None
    vague: str | None = None
    vague_value: int | None = None


def _get(m: Any, key: str) -> Any:
    return m.get(key) if isinstance(m, Mapping) else getattr(m, key, None)


def aggregate(mentions: Iterable[Any], outcomes: Iterable[str] = ("killed", "injured"),
              unknown_group: str = "unknown", count_vague: bool = False) -> dict[str, Any]:
    """Totals per outcome and figures per group, following the rule in the module docstring.

    `mentions` are objects or dicts with outcome, group, count (None for vague), vague and
    optionally vague_value. Returns {"totals": {outcome: int}, "by_group": {outcome: {group: int|str}}}.
    """
    best: dict[tuple[str, str], int] = {}
    vague_words: dict[tuple[str, str], str] = {}
    vague_values: dict[tuple[str, str], int] = {}
    for m in mentions:
        key = (_get(m, "outcome"), _get(m, "group"))
        count = _get(m, "count")
        if count is not None:
            best[key] = max(best.get(key, 0), int(count))
        elif _get(m, "vague"):
            vague_words.setdefault(key, str(_get(m, "vague")))
            vv = _get(m, "vague_value")
            if count_vague and vv is not None:
                vague_values[key] = max(vague_values.get(key, 0), int(vv))
    if count_vague:
        for key, v in vague_values.items():
            best.setdefault(key, v)
    totals: dict[str, int] = {}
    by_group: dict[str, dict[str, int | str]] = {}
    for outcome in outcomes:
        groups = {g: v for (o, g), v in best.items() if o == outcome}
        named = sum(v for g, v in groups.items() if g != unknown_group)
        unknown = groups.get(unknown_group, 0)
        contains = unknown >= named
        totals[outcome] = unknown if contains else unknown + named
        figures: dict[str, int | str] = {g: v for g, v in groups.items() if g != unknown_group}
        residual = unknown - named if contains else unknown
        if residual > 0:
            figures[unknown_group] = residual
        for (o, g), word in vague_words.items():
            if o == outcome and g not in figures and (g != unknown_group or unknown_group not in groups):
                figures[g] = word
        by_group[outcome] = figures
    return {"totals": totals, "by_group": by_group}
