"""What a number counts: whether a number expression can be a count of people, and why not when
it cannot (a year, a date, a time, an age, a duration, money, a measure, a place or name, a count of
things), read from the words around it; and the singular person phrases ("a soldier", "one
policeman") that count one.
"""
from __future__ import annotations

import re

from eventcoder.numbers.words import (
    CURRENCY_SIGNS,
    DECIMAL,
    DEMONYM_ENDINGS,
    DURATION_UNITS,
    MEASURE_UNITS,
    MONEY_WORDS,
    MONTHS,
    NOUN_MODIFIERS,
    PERSON_NOUNS_PLURAL,
    PERSON_NOUNS_SINGULAR,
    PERSON_SUFFIXES,
    PLACE_WORDS,
    SENTENCE_WORDS,
    STOP_WORDS,
    THING_NOUNS,
    TIME_WORDS,
    UNITS,
    WEEKDAYS,
    Tok,
    isdigits,
    word_value,
)


def next_word(toks: list[Tok], j: int) -> Tok | None:
    return toks[j] if j < len(toks) else None


def is_person_word(low: str) -> bool:
    if low in PERSON_NOUNS_SINGULAR or low in PERSON_NOUNS_PLURAL:
        return True
    return len(low) > 5 and low.endswith(PERSON_SUFFIXES)


def counted_noun(toks: list[Tok], j: int) -> tuple[str | None, str | None]:
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
        if t.text[:1].isupper() and not is_person_word(low) and low not in THING_NOUNS:
            k += 1  # proper noun modifier: "Iraqi", "District"
            continue
        if is_person_word(low):
            head = (low, "person")
            if low not in NOUN_MODIFIERS:
                break  # "six construction workers building ..." → workers
        elif low in THING_NOUNS or low in DURATION_UNITS:
            head = (low, "thing")
        elif head[0] is not None:
            break  # the phrase has ended on a listed noun
        k += 1
    return head


def is_sentence_start(toks: list[Tok], i: int) -> bool:
    return i == 0 or toks[i - 1].text in {".", "!", "?", "\"", "“", "”", ":", ";", "(", "–", "—"}


def classify(toks: list[Tok], i0: int, i1: int, value: int | None, kind: str,
              raw: str) -> tuple[bool, str | None, str | None]:
    """Decide whether the number spanning toks[i0:i1] can count people; (is_count, reason, noun)."""
    prev = toks[i0 - 1] if i0 > 0 else None
    prev2 = toks[i0 - 2] if i0 > 1 else None
    nxt = next_word(toks, i1)
    nxt2 = next_word(toks, i1 + 1)
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
    if nlow == ":" and nxt2 is not None and isdigits(nxt2.text) and nxt.start == toks[i1 - 1].end \
            and nxt2.start == nxt.end:
        return False, "time", None
    if plow == ":" and prev2 is not None and isdigits(prev2.text) and prev.start == prev2.end \
            and toks[i0].start == prev.end:
        return False, "time", None
    if (nlow in TIME_WORDS and (nlow != "local" or (nxt2 is not None and nxt2.low == "time"))) \
            or (nlow in ("a", "p") and nxt2 is not None and nxt2.text == "."):
        return False, "time", None  # "at 3 local time", not "3 local policemen"
    if kind == "digits" and len(raw) == 4 and isdigits(raw) and nlow in ("hours", "hrs", "gmt", "utc", "local"):
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
            and word_value(prev2.low) is None:
        return False, "age", None
    # dates and years
    if plow in MONTHS or nlow in MONTHS or (nlow == "of" and nxt2 is not None and nxt2.low in MONTHS):
        return False, "date", None
    if kind == "digits" and isdigits(raw) and len(raw) == 4 and 1800 <= int(raw) <= 2100 \
            and nlow not in PERSON_NOUNS_PLURAL:
        return False, "year", None
    if kind == "digits" and isdigits(raw) and len(raw) == 4 and nlow == "s":
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
        if plow in PLACE_WORDS or (kind == "words" and raw[:1].isupper() and not is_sentence_start(toks, i0 - 1)
                                   and plow not in WEEKDAYS and plow not in MONTHS
                                   and counted_noun(toks, i1)[1] != "person"):  # not "Turkey Two police officers"
            return False, "place", None
        noun, what = counted_noun(toks, i1)
        if kind == "digits" and what is None \
                and plow not in WEEKDAYS and plow not in MONTHS and plow not in SENTENCE_WORDS \
                and (nxt is None or not nxt.text[:1].islower()):
            return False, "name", None
    if plow in PLACE_WORDS and prev is not None and prev.text.islower() and plow in ("no", "number", "route",
                                                                                     "highway", "kilometre",
                                                                                     "km", "sector", "gate"):
        return False, "place", None
    # counted noun decides person vs thing
    noun, what = counted_noun(toks, i1)
    if what == "thing":
        return False, "thing", noun
    return True, None, noun



def past_person_nouns(toks: list[Tok], k: int) -> int:
    """The first index from k that is not a singular person noun ("rebel fighter" → after it)."""
    while k < len(toks) and toks[k].low in PERSON_NOUNS_SINGULAR:
        k += 1
    return k


def person_phrase(toks: list[Tok], i: int) -> int | None:
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
            k = past_person_nouns(toks, j + 1)
            if k < len(toks) and toks[k].low in THING_NOUNS and toks[k].text.islower():
                return None
            return j + 1
        if t.low in ("police", "army", "security", "aid", "border", "prison", "health", "local",
                     "british", "american", "government", "rebel", "militia") and j + 1 < len(toks) \
                and toks[j + 1].low in PERSON_NOUNS_SINGULAR:
            j += 1
            continue
        if j == i + 1 and toks[i].low in ("a", "an", "one") and t.text[:1].isupper() and t.text.isalpha() \
                and t.low.endswith(DEMONYM_ENDINGS) and not (j + 1 < len(toks) and is_person_word(toks[j + 1].low)) \
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



def pronoun_one(toks: list[Tok], i: int) -> bool:
    """"one" used as a pronoun or idiom ("one another", "no one", "the one that") — not a count."""
    prev = toks[i - 1].low if i > 0 else ""
    nxt = toks[i + 1].low if i + 1 < len(toks) else ""
    return prev in ("no", "the", "any", "every", "some", "each", "which", "this", "that", "someone") or \
        nxt in ("another", "way", "day", "time", "thing", "hand", "side", "point", "such", "'s")
