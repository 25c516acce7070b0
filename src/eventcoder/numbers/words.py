"""Reading number expressions: the word tables, the tokens of a text and the parsers of digits,
number words, ranges, dozens and the qualifiers before a number ("at least", "more than").

The word tables are data (`number_words.yaml`, package data beside this package); what the tokens
they read count is decided in `context`, and `mentions` puts both together.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any


def _word_tables() -> dict[str, Any]:
    """The word tables of `number_words.yaml` (package data): words and their values, kept as data."""
    import yaml

    return yaml.safe_load((Path(__file__).parents[1] / "number_words.yaml").read_text(encoding="utf-8"))


_WORDS = _word_tables()
UNITS: dict[str, int] = _WORDS["units"]
TEENS: dict[str, int] = _WORDS["teens"]
TENS: dict[str, int] = _WORDS["tens"]
SCALES: dict[str, int] = _WORDS["scales"]
ORDINAL_WORDS = set(_WORDS["ordinal_words"])
MONTHS = set(_WORDS["months"])
WEEKDAYS = set(_WORDS["weekdays"])
DURATION_UNITS = set(_WORDS["duration_units"])
TIME_WORDS = set(_WORDS["time_words"])
MONEY_WORDS = set(_WORDS["money_words"])
PERCENT_WORDS = set(_WORDS["percent_words"])
MEASURE_UNITS = set(_WORDS["measure_units"])
PLACE_WORDS = set(_WORDS["place_words"])
PERSON_NOUNS_SINGULAR = set(_WORDS["person_nouns_singular"])
PERSON_NOUNS_PLURAL = set(_WORDS["person_nouns_plural"])
THING_NOUNS = set(_WORDS["thing_nouns"])
PERSON_SUFFIXES = tuple(_WORDS["person_suffixes"])
DEMONYM_ENDINGS = tuple(_WORDS["demonym_endings"])
NOUN_MODIFIERS = set(_WORDS["noun_modifiers"])
STOP_WORDS = set(_WORDS["stop_words"])
QUALIFIERS = [tuple(pair) for pair in _WORDS["qualifiers"]]
SENTENCE_WORDS = set(_WORDS["sentence_words"])
SPEECH_VERBS = set(_WORDS["speech_verbs"])
CURRENCY_SIGNS = set("$€£¥₹₦₽₺")
# Words that can open a number expression (others are skipped quickly).
NUMBER_STARTS = set(UNITS) | set(TEENS) | set(TENS) | ORDINAL_WORDS | {
    "a", "an", "one", "another", "the", "his", "her", "half", "hundred", "thousand", "million", "billion"}
ORDINAL_SUFFIX = re.compile(r"^(\d+)(st|nd|rd|th)$", re.IGNORECASE)

# a digit ordinal ("21st", "4th"), a date in digits ("09/03/2016", "2016-03-09") and a ratio ("24/7", "50/50")
# are one token each, so that ORDINAL_SUFFIX, NUMERIC_DATE and RATIO see them whole
# (the date comes first in TOKEN_RE, so that its separator is group 1 there as in NUMERIC_DATE)
_DATE_IN_DIGITS = r"[0-9]{1,4}([/.-])[0-9]{1,2}\1[0-9]{1,4}"
_RATIO = r"[0-9]+/[0-9]+"
NUMERIC_DATE = re.compile(rf"^{_DATE_IN_DIGITS}$")
RATIO = re.compile(rf"^{_RATIO}$")
TOKEN_RE = re.compile(rf"{_DATE_IN_DIGITS}\b|{_RATIO}\b|[0-9]+(?i:st|nd|rd|th)\b|[0-9]+(?:[,.\u202f\u00a0'][0-9]+)*|[A-Za-z]+(?:['’][A-Za-z]+)?|\S", re.UNICODE)
DIGITS_GROUPED = re.compile(r"^[0-9]{1,3}(?:([,\u202f\u00a0'])[0-9]{3})(?:\1[0-9]{3})*$")
DECIMAL = re.compile(r"^[0-9]+\.[0-9]+$")


class Tok:
    """A word, number or sign of the text with its offsets; `low` is its lower-cased form with
    curly apostrophes made straight. A plain slotted class: an article makes thousands of them."""

    __slots__ = ("text", "start", "end", "low", "nl_before")

    def __init__(self, text: str, start: int, end: int, nl_before: bool = False) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower().replace("’", "'")
        self.nl_before = nl_before  # a line break separates it from the previous token

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.end}, nl_before={self.nl_before})"



def tokenize(text: str) -> list[Tok]:
    toks = []
    prev_end = 0
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        toks.append(Tok(m.group(), start, end, text.find("\n", prev_end, start) >= 0))
        prev_end = end
    return toks



def isdigits(s: str) -> bool:
    """ASCII digits only: other scripts' digits ("¹", "٣") are not read as numbers."""
    return s.isascii() and s.isdigit()


MAX_DIGITS = 15  # longer digit runs are codes or identifiers, not counts


def parse_digits(s: str) -> int | None:
    """Integer value of a digit token with optional thousands separators; None for decimals and for
    runs longer than MAX_DIGITS."""
    if sum(ch.isdigit() for ch in s) > MAX_DIGITS:
        return None
    if isdigits(s):
        return int(s)
    if DIGITS_GROUPED.match(s):
        return int(re.sub(r"\D", "", s))
    return None


def word_value(low: str) -> tuple[str, int] | None:
    if low in UNITS:
        return "unit", UNITS[low]
    if low in TEENS:
        return "teen", TEENS[low]
    if low in TENS:
        return "tens", TENS[low]
    if low == "hundred":
        return "hundred", 100
    if low in SCALES:
        return "scale", SCALES[low]
    return None


def parse_words(toks: list[Tok], i: int) -> tuple[int, int] | None:
    """Parse an English cardinal starting at toks[i]; return (value, index after) or None.

    Accepts "twenty-seven", "three hundred and five", "one million two hundred thousand",
    "fifteen hundred", "a hundred", "a thousand". Refuses sequences that are not one number
    ("five six").
    """
    n = len(toks)
    j = i
    total = 0
    current = 0
    last: str | None = None  # kind of the last consumed word
    last_scale = 10**12  # scales must descend: "million ... thousand"
    consumed_any = False
    end = i
    if toks[i].low in ("a", "an") and i + 1 < n and toks[i + 1].low in ("hundred", "thousand", "million"):
        current = 1
        last = "unit"
        j = i + 1
    while j < n:
        t = toks[j]
        wv = word_value(t.low)
        if wv is None:
            # joiners: hyphen between tens and unit; "and" after hundred/scale
            if t.low in ("-", "‐", "‑") and last == "tens" and j + 1 < n and toks[j + 1].low in UNITS \
                    and toks[j + 1].low != "zero" and t.start == toks[j - 1].end and toks[j + 1].start == t.end:
                j += 1
                continue
            if t.low == "and" and last in ("hundred", "scale") and j + 1 < n:
                nxt = word_value(toks[j + 1].low)
                if nxt and nxt[0] in ("unit", "teen", "tens") and toks[j + 1].low != "zero":
                    j += 1
                    continue
            break
        kind, val = wv
        if kind == "unit":
            if last in ("unit", "teen") or (last == "tens" and val == 0) or (val == 0 and consumed_any):
                break
            if last == "tens" and current % 10 != 0:
                break
            current += val
        elif kind == "teen" or kind == "tens":
            if last in ("unit", "teen", "tens"):
                break
            current += val
        elif kind == "hundred":
            if last not in ("unit", "teen", "tens") or current >= 100 or current == 0:
                break
            if last == "tens" and current % 10 == 0 and current >= 20:
                break  # "twenty hundred" is not English
            current *= 100
        else:  # scale
            if last is None or last == "scale" or val >= last_scale or current == 0:
                break
            total += current * val
            current = 0
            last_scale = val
        last = kind
        consumed_any = True
        end = j + 1
        j += 1
    if not consumed_any:
        return None
    return total + current, end


@lru_cache(maxsize=4096)
def phrase_words(phrase: str) -> tuple[str, ...]:
    """A phrase's words, split once (the matchers below try every phrase at every number)."""
    return tuple(phrase.split())


def match_phrase(toks: list[Tok], i: int, phrase: str) -> int:
    """Number of tokens of `phrase` matched at toks[i], or 0."""
    words = phrase_words(phrase)
    if i + len(words) > len(toks):
        return 0
    for k, w in enumerate(words):
        if toks[i + k].low != w:
            return 0
    return len(words)


def qualifier_before(toks: list[Tok], i: int) -> tuple[str | None, int]:
    """The qualifier that ends just before toks[i] ("at least", "more than", ...): the longest whose
    words end there ("no fewer than" is "at least", not "fewer than")."""
    if i == 0:
        return None, i
    for phrase, norm in _QUALIFIERS_BY_LAST_WORD.get(toks[i - 1].low, ()):
        k = len(phrase_words(phrase))
        if i - k >= 0 and match_phrase(toks, i - k, phrase) == k:
            return norm, i - k
    return None, i


def _by_last_word(qualifiers: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Qualifiers indexed by their last word, the longest first in each list."""
    index: dict[str, list[tuple[str, str]]] = {}
    for phrase, norm in sorted(qualifiers, key=lambda q: -len(phrase_words(q[0]))):
        index.setdefault(phrase_words(phrase)[-1], []).append((phrase, norm))
    return index


_QUALIFIERS_BY_LAST_WORD = _by_last_word(QUALIFIERS)
_LONGEST_QUALIFIER = max(len(phrase_words(phrase)) for phrase, _ in QUALIFIERS)


def inside_qualifier(toks: list[Tok], i: int) -> bool:
    """Whether toks[i] is a word of the qualifier `qualifier_before` reads for a number after it
    ("as many as 9": "many" is no vague mention of its own)."""
    for after in range(i + 1, min(i + _LONGEST_QUALIFIER, len(toks) - 1) + 1):
        if starts_number(toks[after].low):
            qualifier, start = qualifier_before(toks, after)
            if qualifier is not None and start <= i:
                return True
    return False


def starts_number(low: str) -> bool:
    return low[:1] in "0123456789" or low in UNITS or low in TEENS or low in TENS



def range_after(toks: list[Tok], j: int) -> tuple[int, int] | None:
    """A range's upper bound right after a number: "12-15", "12 to 15", "12 or 13"."""
    if j + 1 >= len(toks):
        return None
    sep = toks[j].low
    if sep in ("-", "–", "—", "to", "or"):
        nt = toks[j + 1]
        if isdigits(nt.text) or DIGITS_GROUPED.match(nt.text):
            v = parse_digits(nt.text)
            if v is not None:
                return v, j + 2
        w = parse_words(toks, j + 1) if nt.low in UNITS or nt.low in TEENS or nt.low in TENS else None
        if w is not None:
            return w
    return None



def between(toks: list[Tok], i: int) -> bool:
    """"between 12 and 15": the number at i opens a range closed by a digit token."""
    return i >= 1 and toks[i - 1].low == "between" and i + 2 < len(toks) and toks[i + 1].low == "and" \
        and toks[i + 2].text[:1] in tuple("0123456789")



def dozen(toks: list[Tok], i: int) -> tuple[int, int] | None:
    """"a dozen" = 12, "two dozen" = 24, "half a dozen" = 6, "a dozen or so"."""
    n = len(toks)
    low = toks[i].low
    if low == "half" and i + 2 < n and toks[i + 1].low == "a" and toks[i + 2].low == "dozen":
        return 6, i + 3
    if low in ("a", "one") and i + 1 < n and toks[i + 1].low == "dozen":
        return 12, i + 2
    if i + 1 < n and toks[i + 1].low == "dozen":
        if isdigits(toks[i].text):
            return int(toks[i].text) * 12, i + 2
        parsed = parse_words(toks, i)
        if parsed is not None and parsed[1] == i + 1:
            return parsed[0] * 12, i + 2
    return None
