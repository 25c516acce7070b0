"""Candidate number mentions: every expression in a text that could be a count of people.

`find_mentions(text)` returns each number expression with its character offsets and value: digits
("1,200", "1.5 million"), number words and compounds ("twenty-seven", "three hundred and five"),
dozens ("a dozen", "two dozen"), ranges ("12-15", "between 12 and 15"), qualified figures ("at least
12", "more than 30"), vague words from one configurable table ("several", "dozens"), and singular
person phrases ("a soldier", "one policeman" = 1).

Each mention is either a candidate count (`is_count`) or marked as a non-count with a `reason`: a
year or date (in digits too: "09/03/2016"), a time, an age, a duration, an ordinal, a percentage,
a ratio ("24/7"), money, a measure, a place or name ("Kilometre Seven", "Route 66"), or a count of
things ("three areas"). The casualty model only ever labels candidate counts, so every figure it
reports points at real text.

The reader is deliberately rule-based and total: it never raises on any input string.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventcoder.paths import CONFIG_DIR


def _word_tables() -> dict[str, Any]:
    """The word tables of `number_words.yaml` (package data): words and their values, kept as data."""
    import yaml

    return yaml.safe_load((Path(__file__).with_name("number_words.yaml")).read_text(encoding="utf-8"))


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


@dataclass(frozen=True)
class NumberMention:
    """One number expression: where it is, what it is worth and whether it can count people."""

    start: int
    end: int
    text: str
    value: int | None
    kind: str  # digits | words | dozen | range | vague | person
    is_count: bool
    reason: str | None = None  # why it is not a count (year, date, age, duration, ...)
    high: int | None = None  # upper bound of a range
    qualifier: str | None = None  # at least / more than / about / nearly / up to ...
    vague: str | None = None  # the vague word, when value comes from the vague table
    noun: str | None = None  # the noun it counts, when found

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Tok:
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
        return f"_Tok({self.text!r}, {self.start}, {self.end}, nl_before={self.nl_before})"


@dataclass(frozen=True)
class NumbersConfig:
    """The vague-word table (word → value or None) and whether vague words count in totals."""

    vague: dict[str, int | None]
    count_vague_in_totals: bool = False

    @classmethod
    def load(cls, path: str | Path | None = None) -> NumbersConfig:
        from omegaconf import OmegaConf

        p = Path(path) if path else CONFIG_DIR / "numbers" / "default.yaml"
        if not p.is_file():
            return DEFAULT_NUMBERS
        data = OmegaConf.to_container(OmegaConf.load(p), resolve=True)
        return cls(vague={str(k).lower(): v for k, v in dict(data.get("vague", {})).items()},
                   count_vague_in_totals=bool(data.get("count_vague_in_totals", False)))


DEFAULT_NUMBERS = NumbersConfig(vague={
    "several": None, "many": None, "numerous": None, "a few": None, "a number of": None,
    "a handful of": None, "scores": 20, "tens": 10, "dozens": 12, "hundreds": 100, "thousands": 1000})


@lru_cache(maxsize=4)
def default_numbers_config() -> NumbersConfig:
    return NumbersConfig.load()


def tokenize(text: str) -> list[_Tok]:
    toks = []
    prev_end = 0
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        toks.append(_Tok(m.group(), start, end, text.find("\n", prev_end, start) >= 0))
        prev_end = end
    return toks


# ---------------------------------------------------------------------------------------------
# Parsing number expressions
# ---------------------------------------------------------------------------------------------
def _isdigits(s: str) -> bool:
    """ASCII digits only: other scripts' digits ("¹", "٣") are not read as numbers."""
    return s.isascii() and s.isdigit()


MAX_DIGITS = 15  # longer digit runs are codes or identifiers, not counts


def parse_digits(s: str) -> int | None:
    """Integer value of a digit token with optional thousands separators; None for decimals and for
    runs longer than MAX_DIGITS."""
    if sum(ch.isdigit() for ch in s) > MAX_DIGITS:
        return None
    if _isdigits(s):
        return int(s)
    if DIGITS_GROUPED.match(s):
        return int(re.sub(r"\D", "", s))
    return None


def _word_value(low: str) -> tuple[str, int] | None:
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


def _parse_words(toks: list[_Tok], i: int) -> tuple[int, int] | None:
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
        wv = _word_value(t.low)
        if wv is None:
            # joiners: hyphen between tens and unit; "and" after hundred/scale
            if t.low in ("-", "‐", "‑") and last == "tens" and j + 1 < n and toks[j + 1].low in UNITS \
                    and toks[j + 1].low != "zero" and t.start == toks[j - 1].end and toks[j + 1].start == t.end:
                j += 1
                continue
            if t.low == "and" and last in ("hundred", "scale") and j + 1 < n:
                nxt = _word_value(toks[j + 1].low)
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
def _words(phrase: str) -> tuple[str, ...]:
    """A phrase's words, split once (the matchers below try every phrase at every number)."""
    return tuple(phrase.split())


def _match_phrase(toks: list[_Tok], i: int, phrase: str) -> int:
    """Number of tokens of `phrase` matched at toks[i], or 0."""
    words = _words(phrase)
    if i + len(words) > len(toks):
        return 0
    for k, w in enumerate(words):
        if toks[i + k].low != w:
            return 0
    return len(words)


def _qualifier_before(toks: list[_Tok], i: int) -> tuple[str | None, int]:
    """The qualifier that ends just before toks[i] ("at least", "more than", ...): the longest whose
    words end there ("no fewer than" is "at least", not "fewer than")."""
    if i == 0:
        return None, i
    for phrase, norm in _QUALIFIERS_BY_LAST_WORD.get(toks[i - 1].low, ()):
        k = len(_words(phrase))
        if i - k >= 0 and _match_phrase(toks, i - k, phrase) == k:
            return norm, i - k
    return None, i


def _by_last_word(qualifiers: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Qualifiers indexed by their last word, the longest first in each list."""
    index: dict[str, list[tuple[str, str]]] = {}
    for phrase, norm in sorted(qualifiers, key=lambda q: -len(_words(q[0]))):
        index.setdefault(_words(phrase)[-1], []).append((phrase, norm))
    return index


_QUALIFIERS_BY_LAST_WORD = _by_last_word(QUALIFIERS)
_LONGEST_QUALIFIER = max(len(_words(phrase)) for phrase, _ in QUALIFIERS)


def _inside_qualifier(toks: list[_Tok], i: int) -> bool:
    """Whether toks[i] is a word of the qualifier `_qualifier_before` reads for a number after it
    ("as many as 9": "many" is no vague mention of its own)."""
    for after in range(i + 1, min(i + _LONGEST_QUALIFIER, len(toks) - 1) + 1):
        if _starts_number(toks[after].low):
            qualifier, start = _qualifier_before(toks, after)
            if qualifier is not None and start <= i:
                return True
    return False


def _starts_number(low: str) -> bool:
    return low[:1] in "0123456789" or low in UNITS or low in TEENS or low in TENS


def _next_word(toks: list[_Tok], j: int) -> _Tok | None:
    return toks[j] if j < len(toks) else None


def _is_person_word(low: str) -> bool:
    if low in PERSON_NOUNS_SINGULAR or low in PERSON_NOUNS_PLURAL:
        return True
    return len(low) > 5 and low.endswith(PERSON_SUFFIXES)


def _counted_noun(toks: list[_Tok], j: int) -> tuple[str | None, str | None]:
    """The head noun a number counts: the last listed noun of the phrase after it, before a stop word.

    "six road workers were" → workers (person); "three areas near" → areas (thing); proper nouns are
    skipped ("six District Reserve Guard personnel" → personnel). Returns (noun, 'person'|'thing').
    """
    k = j
    head: tuple[str | None, str | None] = (None, None)
    for _ in range(5):
        if k >= len(toks):
            break
        t = toks[k]
        if t.nl_before:
            break
        if not t.text[0].isalpha():
            if t.low in ("-", "‐") and k + 1 < len(toks) and t.start == toks[k - 1].end:
                k += 1  # "three-day", "al-Shabaab"
                continue
            break
        low = t.low
        if low in STOP_WORDS and not (len(t.text) > 1 and t.text.isupper()):  # "IS" the group is no "is"
            break
        if t.text[:1].isupper() and not _is_person_word(low) and low not in THING_NOUNS:
            k += 1  # proper noun modifier: "Iraqi", "District"
            continue
        if _is_person_word(low):
            head = (low, "person")
            if low not in NOUN_MODIFIERS:
                break  # "six construction workers building ..." → workers
        elif low in THING_NOUNS or low in DURATION_UNITS:
            head = (low, "thing")
        elif head[0] is not None:
            break  # the phrase has ended on a listed noun
        k += 1
    return head


def _is_sentence_start(toks: list[_Tok], i: int) -> bool:
    return i == 0 or toks[i - 1].text in {".", "!", "?", "\"", "“", "”", ":", ";", "(", "–", "—"}


def _classify(toks: list[_Tok], i0: int, i1: int, value: int | None, kind: str,
              raw: str) -> tuple[bool, str | None, str | None]:
    """Decide whether the number spanning toks[i0:i1] can count people; (is_count, reason, noun)."""
    prev = toks[i0 - 1] if i0 > 0 else None
    prev2 = toks[i0 - 2] if i0 > 1 else None
    nxt = _next_word(toks, i1)
    nxt2 = _next_word(toks, i1 + 1)
    nlow = nxt.low if nxt else ""
    plow = prev.low if prev else ""

    # money and percentages
    if prev is not None and (prev.text in CURRENCY_SIGNS or prev.low in ("us$", "usd", "eur", "gbp")):
        return False, "money", None
    if prev is not None and prev.text.upper() in {"US", "A", "C", "NZ", "HK"} and prev2 is not None \
            and prev2.text in CURRENCY_SIGNS:
        return False, "money", None
    if nlow == "%" or nlow in ("percent", "pct") or (nlow == "per" and nxt2 is not None and nxt2.low == "cent"):
        return False, "percent", None
    if nlow in MONEY_WORDS or (nlow in ("million", "billion", "thousand", "m", "bn")
                               and nxt2 is not None and nxt2.low in MONEY_WORDS):
        return False, "money", None
    # times of day
    if nlow == ":" and nxt2 is not None and _isdigits(nxt2.text) and nxt.start == toks[i1 - 1].end \
            and nxt2.start == nxt.end:
        return False, "time", None
    if plow == ":" and prev2 is not None and _isdigits(prev2.text) and prev.start == prev2.end \
            and toks[i0].start == prev.end:
        return False, "time", None
    if (nlow in TIME_WORDS and (nlow != "local" or (nxt2 is not None and nxt2.low == "time"))) \
            or (nlow in ("a", "p") and nxt2 is not None and nxt2.text == "."):
        return False, "time", None  # "at 3 local time", not "3 local policemen"
    if kind == "digits" and len(raw) == 4 and _isdigits(raw) and nlow in ("hours", "hrs", "gmt", "utc", "local"):
        return False, "time", None
    # ages
    if nlow == "-" and nxt2 is not None and nxt2.low in ("year", "years", "month", "week") and \
            i1 + 3 < len(toks) and toks[i1 + 2].low == "-" and toks[i1 + 3].low == "old":
        return False, "age", None
    if plow in ("aged", "age") or (plow == "of" and prev2 is not None and prev2.low == "age"):
        return False, "age", None
    if nlow in ("years", "year") and nxt2 is not None and (
            nxt2.low == "old" or (nxt2.low == "of" and i1 + 2 < len(toks) and toks[i1 + 2].low == "age")):
        return False, "age", None
    if kind in ("digits", "words") and prev is not None and prev.text == "," and nxt is not None and \
            nxt.text in {",", ")", "."} and value is not None and 0 < value < 120 and prev2 is not None and \
            (prev2.text[:1].isupper() or prev2.low in PERSON_NOUNS_SINGULAR):
        return False, "age", None
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")" and value is not None \
            and 0 < value < 120 and prev2 is not None and prev2.text[:1].isupper() \
            and _word_value(prev2.low) is None:
        return False, "age", None
    # dates and years
    if plow in MONTHS or nlow in MONTHS or (nlow == "of" and nxt2 is not None and nxt2.low in MONTHS):
        return False, "date", None
    if kind == "digits" and _isdigits(raw) and len(raw) == 4 and 1800 <= int(raw) <= 2100 \
            and nlow not in PERSON_NOUNS_PLURAL:
        return False, "year", None
    if kind == "digits" and _isdigits(raw) and len(raw) == 4 and nlow == "s":
        return False, "year", None
    if kind == "digits" and re.fullmatch(r"\d{1,2}/\d{1,2}(/\d{2,4})?", raw or ""):
        return False, "date", None
    # durations
    if nlow in DURATION_UNITS or (nlow == "-" and nxt2 is not None and nxt2.low in DURATION_UNITS):
        return False, "duration", None
    # measures
    if nlow in MEASURE_UNITS and nlow != "m":
        return False, "measure", None
    if nlow == "m" and nxt is not None and nxt.start == toks[i1 - 1].end:
        return False, "measure", None
    if DECIMAL.match(raw or "") and kind == "digits":
        return False, "measure", None
    # coding metadata an export leaves in its notes: ACLED's "(coded at geo-precision 2)"
    if plow in ("precision", "geoprecision"):
        return False, "code", None
    # places and names: "Kilometre Seven", "Route 66", "Checkpoint 9", "Kurdistan 24"
    if prev is not None and prev.text[:1].isupper() and prev.text.isalpha():
        if plow in PLACE_WORDS or (kind == "words" and raw[:1].isupper() and not _is_sentence_start(toks, i0 - 1)
                                   and plow not in WEEKDAYS and plow not in MONTHS
                                   and _counted_noun(toks, i1)[1] != "person"):  # not "Turkey Two police officers"
            return False, "place", None
        noun, what = _counted_noun(toks, i1)
        if kind == "digits" and what is None \
                and plow not in WEEKDAYS and plow not in MONTHS and plow not in _SENTENCE_WORDS \
                and (nxt is None or not nxt.text[:1].islower()):
            return False, "name", None
    if plow in PLACE_WORDS and prev is not None and prev.text.islower() and plow in ("no", "number", "route",
                                                                                     "highway", "kilometre",
                                                                                     "km", "sector", "gate"):
        return False, "place", None
    # counted noun decides person vs thing
    noun, what = _counted_noun(toks, i1)
    if what == "thing":
        return False, "thing", noun
    return True, None, noun


_SENTENCE_WORDS = set(_WORDS["sentence_words"])


def _range_after(toks: list[_Tok], j: int) -> tuple[int, int] | None:
    """A range's upper bound right after a number: "12-15", "12 to 15", "12 or 13"."""
    if j + 1 >= len(toks):
        return None
    sep = toks[j].low
    if sep in ("-", "–", "—", "to", "or"):
        nt = toks[j + 1]
        if _isdigits(nt.text) or DIGITS_GROUPED.match(nt.text):
            v = parse_digits(nt.text)
            if v is not None:
                return v, j + 2
        w = _parse_words(toks, j + 1) if nt.low in UNITS or nt.low in TEENS or nt.low in TENS else None
        if w is not None:
            return w
    return None


def find_mentions(text: str, config: NumbersConfig | None = None) -> list[NumberMention]:
    """Every number expression of `text`, counts and non-counts, in text order. Never raises."""
    if not isinstance(text, str) or not text:
        return []
    return _find(text, config or default_numbers_config())


def count_candidates(text: str, config: NumbersConfig | None = None) -> list[NumberMention]:
    """The mentions that can be a count of people (what the casualty model labels)."""
    return [m for m in find_mentions(text, config) if m.is_count]


def _vague_at(toks: list[_Tok], i: int, vague_by_first: dict[str, list[str]]) -> tuple[str, int] | None:
    """The longest vague phrase that starts at toks[i] (phrases indexed by their first word)."""
    best = None
    for phrase in vague_by_first.get(toks[i].low, ()):
        k = _match_phrase(toks, i, phrase)
        if k and (best is None or k > best[1]):
            best = (phrase, k)
    return best


SPEECH_VERBS = set(_WORDS["speech_verbs"])


def _past_person_nouns(toks: list[_Tok], k: int) -> int:
    """The first index from k that is not a singular person noun ("rebel fighter" → after it)."""
    while k < len(toks) and toks[k].low in PERSON_NOUNS_SINGULAR:
        k += 1
    return k


def _person_phrase(toks: list[_Tok], i: int) -> int | None:
    """End index of "a/an/one/another [up to 3 modifiers] <singular person noun>", or None."""
    j = i + 1
    for _ in range(4):
        if j >= len(toks):
            return None
        t = toks[j]
        if (t.low in PERSON_NOUNS_SINGULAR or (len(t.low) > 5 and t.low.endswith(PERSON_SUFFIXES)
                                                and not t.low.endswith("s"))) \
                and t.low not in ("security", "aid", "national", "major", "general", "chief", "member",
                                  "family"):
            # "a police officer", "one soldier" — but not a modifier: "the militant group", "the
            # Islamist militant group"
            k = _past_person_nouns(toks, j + 1)
            if k < len(toks) and toks[k].low in THING_NOUNS and toks[k].text.islower():
                return None
            return j + 1
        if t.low in ("police", "army", "security", "aid", "border", "prison", "health", "local",
                     "british", "american", "government", "rebel", "militia") and j + 1 < len(toks) \
                and toks[j + 1].low in PERSON_NOUNS_SINGULAR:
            j += 1
            continue
        if j == i + 1 and toks[i].low in ("a", "an", "one") and t.text[:1].isupper() and t.text.isalpha() \
                and t.low.endswith(DEMONYM_ENDINGS) and not (j + 1 < len(toks) and _is_person_word(toks[j + 1].low)) \
                and t.low not in MONTHS and not (j + 1 < len(toks) and toks[j + 1].text[:1].isupper()):
            return j + 1  # "a Palestinian", "an American", "one Israeli" (not "a Turkish Airlines flight")
        if t.low in ("general", "major", "chief", "member") and j == i + 1:
            # "One general, speaking ...", "a member of the militia"
            return j + 1
        if not t.text[0].isalpha() and t.low != "-":
            return None
        if t.low in STOP_WORDS or t.low in UNITS or t.low in MONTHS:
            return None
        j += 1
    return None


def _find(text: str, cfg: NumbersConfig) -> list[NumberMention]:
    toks = tokenize(text)
    out: list[NumberMention] = []
    vague_table = {k.lower(): v for k, v in cfg.vague.items()}
    vague_first: dict[str, list[str]] = {}
    for k in vague_table:
        vague_first.setdefault(_words(k)[0], []).append(k)
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        low = t.low
        if not (low in NUMBER_STARTS or low in vague_first or low[:1] in "0123456789"):
            i += 1  # most tokens cannot start a number expression
            continue
        qual, _ = _qualifier_before(toks, i)

        # ordinals: "third", "21st"
        m = ORDINAL_SUFFIX.match(t.text)
        if low in ORDINAL_WORDS or m:
            value = int(m.group(1)) if m else None
            reason = "date" if (m and ((i > 0 and toks[i - 1].low in MONTHS) or
                                       (i + 1 < n and toks[i + 1].low in MONTHS) or
                                       (i + 2 < n and toks[i + 1].low == "of" and toks[i + 2].low in MONTHS))) \
                else "ordinal"
            out.append(NumberMention(t.start, t.end, t.text, value, "ordinal", False, reason))
            i += 1
            continue

        # "a dozen", "two dozen", "half a dozen", "dozen"
        if low in ("a", "half", "one") or low in UNITS or low in TEENS or low in TENS or _isdigits(t.text):
            dz = _dozen(toks, i)
            if dz is not None:
                value, j = dz
                is_count, reason, noun = _classify(toks, i, j, value, "dozen", "")
                out.append(NumberMention(t.start, toks[j - 1].end, text[t.start:toks[j - 1].end], value,
                                         "dozen", is_count, reason, None, qual, None, noun))
                i = j
                continue

        # singular person phrases: "a soldier", "one policeman", "another civilian"; not the source
        # a report quotes ("A rebel said ...", "One general, speaking to AFP, ...")
        if low in ("a", "an", "one", "another", "the", "his", "her"):
            j = _person_phrase(toks, i)
            if j is not None and not (low == "one" and i + 1 < n and toks[i + 1].low == "of"):
                s, e = t.start, toks[j - 1].end
                k = _past_person_nouns(toks, j)  # "The rebel fighter said"
                speaker = k < n and (toks[k].low in SPEECH_VERBS or (
                    toks[k].text == "," and k + 1 < n and toks[k + 1].low in ("speaking", "who", "quoted")
                    and (toks[k + 1].low != "who" or (k + 2 < n and toks[k + 2].low in SPEECH_VERBS))))
                out.append(NumberMention(s, e, text[s:e], 1, "person", not speaker, "speaker" if speaker else None,
                                         None, None, None, toks[j - 1].low))
                i = j
                continue

        # vague words from the table ("several", "dozens", "a number of")
        vg = _vague_at(toks, i, vague_first)
        if vg is not None and _inside_qualifier(toks, i):
            i += 1
            continue
        if vg is not None:
            phrase, k = vg
            j = i + k
            noun, what = _counted_noun(toks, j if toks[j - 1].low != "of" else j)
            if j < n and toks[j].low == "of":
                noun, what = _counted_noun(toks, j + 1)
            reason = None
            if noun in DURATION_UNITS:
                reason = "duration"
            elif what == "thing":
                reason = "thing"
            s, e = t.start, toks[j - 1].end
            out.append(NumberMention(s, e, text[s:e], vague_table[phrase], "vague", reason is None, reason,
                                     None, qual, phrase, noun))
            i = j
            continue

        # a date or a ratio in digits ("09/03/2016", "24/7"): never a count
        in_digits = "date" if NUMERIC_DATE.match(t.text) else "ratio" if RATIO.match(t.text) else None
        if in_digits:
            out.append(NumberMention(t.start, t.end, t.text, None, "digits", False, in_digits))
            i += 1
            continue

        # digits, with an optional scale word ("1.5 million") and range ("12-15")
        if t.text[0] in "0123456789":
            raw = t.text
            value = parse_digits(raw)
            j = i + 1
            scale = None
            if j < n and toks[j].low in ("thousand", "million", "billion"):
                scale = SCALES[toks[j].low]
                try:
                    value = int(round(float(raw.replace(",", "")) * scale))
                except ValueError:
                    value = None
                j += 1
            high = None
            kind = "digits"
            rng = _range_after(toks, j) if scale is None else None
            if rng is not None and value is not None and rng[0] > value and not (
                    len(raw) == 4 and 1800 <= value <= 2100):
                high, j = rng
                kind = "range"
            elif scale is None and _between(toks, i):
                nv = parse_digits(toks[j + 1].text)
                if nv is not None and value is not None and nv > value:
                    high, j, kind = nv, j + 2, "range"
            s, e = t.start, toks[j - 1].end
            is_count, reason, noun = _classify(toks, i, j, value, "digits", raw if scale is None else "")
            if value is None and reason is None:
                is_count, reason = False, "measure" if DECIMAL.match(raw) else "not a number"
            out.append(NumberMention(s, e, text[s:e], value, kind, is_count, reason, high, qual, None, noun))
            i = j
            continue

        # number words ("Seven", "twenty-seven", "three hundred and five", "a hundred")
        if low in UNITS or low in TEENS or low in TENS or (low in ("a", "an") and i + 1 < n and
                                                            toks[i + 1].low in ("hundred", "thousand")):
            parsed = _parse_words(toks, i)
            if parsed is not None:
                value, j = parsed
                if low == "one" and j == i + 1 and _pronoun_one(toks, i):
                    i += 1
                    continue
                high = None
                kind = "words"
                rng = _range_after(toks, j)
                if rng is not None and rng[0] > value:
                    high, j = rng
                    kind = "range"
                s, e = t.start, toks[j - 1].end
                is_count, reason, noun = _classify(toks, i, j, value, "words", text[s:e])
                out.append(NumberMention(s, e, text[s:e], value, kind, is_count, reason, high, qual, None,
                                         noun))
                i = j
                continue
        i += 1
    return out


def _between(toks: list[_Tok], i: int) -> bool:
    """"between 12 and 15": the number at i opens a range closed by a digit token."""
    return i >= 1 and toks[i - 1].low == "between" and i + 2 < len(toks) and toks[i + 1].low == "and" \
        and toks[i + 2].text[:1] in tuple("0123456789")


def _pronoun_one(toks: list[_Tok], i: int) -> bool:
    """"one" used as a pronoun or idiom ("one another", "no one", "the one that") — not a count."""
    prev = toks[i - 1].low if i > 0 else ""
    nxt = toks[i + 1].low if i + 1 < len(toks) else ""
    return prev in ("no", "the", "any", "every", "some", "each", "which", "this", "that", "someone") or \
        nxt in ("another", "way", "day", "time", "thing", "hand", "side", "point", "such", "'s")


def _dozen(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """"a dozen" = 12, "two dozen" = 24, "half a dozen" = 6, "a dozen or so"."""
    n = len(toks)
    low = toks[i].low
    if low == "half" and i + 2 < n and toks[i + 1].low == "a" and toks[i + 2].low == "dozen":
        return 6, i + 3
    if low in ("a", "one") and i + 1 < n and toks[i + 1].low == "dozen":
        return 12, i + 2
    if i + 1 < n and toks[i + 1].low == "dozen":
        if _isdigits(toks[i].text):
            return int(toks[i].text) * 12, i + 2
        parsed = _parse_words(toks, i)
        if parsed is not None and parsed[1] == i + 1:
            return parsed[0] * 12, i + 2
    return None
