"""Number mentions: `find_mentions(text)` walks a text's tokens and reads each number expression
(`words`), then decides whether it can count people (`context`)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventcoder.numbers.context import classify, counted_noun, past_person_nouns, person_phrase, pronoun_one
from eventcoder.numbers.words import (
    DECIMAL,
    DURATION_UNITS,
    MONTHS,
    NUMBER_STARTS,
    NUMERIC_DATE,
    ORDINAL_SUFFIX,
    ORDINAL_WORDS,
    RATIO,
    SCALES,
    SPEECH_VERBS,
    TEENS,
    TENS,
    UNITS,
    Tok,
    between,
    dozen,
    inside_qualifier,
    isdigits,
    match_phrase,
    parse_digits,
    parse_words,
    phrase_words,
    qualifier_before,
    range_after,
    tokenize,
)
from eventcoder.paths import CONFIG_DIR


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


def find_mentions(text: str, config: NumbersConfig | None = None) -> list[NumberMention]:
    """Every number expression of `text`, counts and non-counts, in text order. Never raises."""
    if not isinstance(text, str) or not text:
        return []
    return _find(text, config or default_numbers_config())


def count_candidates(text: str, config: NumbersConfig | None = None) -> list[NumberMention]:
    """The mentions that can be a count of people (what the casualty model labels)."""
    return [m for m in find_mentions(text, config) if m.is_count]


def _vague_at(toks: list[Tok], i: int, vague_by_first: dict[str, list[str]]) -> tuple[str, int] | None:
    """The longest vague phrase that starts at toks[i] (phrases indexed by their first word)."""
    best = None
    for phrase in vague_by_first.get(toks[i].low, ()):
        k = match_phrase(toks, i, phrase)
        if k and (best is None or k > best[1]):
            best = (phrase, k)
    return best



def _find(text: str, cfg: NumbersConfig) -> list[NumberMention]:
    toks = tokenize(text)
    out: list[NumberMention] = []
    vague_table = {k.lower(): v for k, v in cfg.vague.items()}
    vague_first: dict[str, list[str]] = {}
    for k in vague_table:
        vague_first.setdefault(phrase_words(k)[0], []).append(k)
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        low = t.low
        if not (low in NUMBER_STARTS or low in vague_first or low[:1] in "0123456789"):
            i += 1  # most tokens cannot start a number expression
            continue
        qual, _ = qualifier_before(toks, i)

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
        if low in ("a", "half", "one") or low in UNITS or low in TEENS or low in TENS or isdigits(t.text):
            dz = dozen(toks, i)
            if dz is not None:
                value, j = dz
                is_count, reason, noun = classify(toks, i, j, value, "dozen", "")
                out.append(NumberMention(t.start, toks[j - 1].end, text[t.start:toks[j - 1].end], value,
                                         "dozen", is_count, reason, None, qual, None, noun))
                i = j
                continue

        # singular person phrases: "a soldier", "one policeman", "another civilian"; not the source
        # a report quotes ("A rebel said ...", "One general, speaking to AFP, ...")
        if low in ("a", "an", "one", "another", "the", "his", "her"):
            j = person_phrase(toks, i)
            if j is not None and not (low == "one" and i + 1 < n and toks[i + 1].low == "of"):
                s, e = t.start, toks[j - 1].end
                k = past_person_nouns(toks, j)  # "The rebel fighter said"
                speaker = k < n and (toks[k].low in SPEECH_VERBS or (
                    toks[k].text == "," and k + 1 < n and toks[k + 1].low in ("speaking", "who", "quoted")
                    and (toks[k + 1].low != "who" or (k + 2 < n and toks[k + 2].low in SPEECH_VERBS))))
                out.append(NumberMention(s, e, text[s:e], 1, "person", not speaker, "speaker" if speaker else None,
                                         None, None, None, toks[j - 1].low))
                i = j
                continue

        # vague words from the table ("several", "dozens", "a number of")
        vg = _vague_at(toks, i, vague_first)
        if vg is not None and inside_qualifier(toks, i):
            i += 1
            continue
        if vg is not None:
            phrase, k = vg
            j = i + k
            noun, what = counted_noun(toks, j if toks[j - 1].low != "of" else j)
            if j < n and toks[j].low == "of":
                noun, what = counted_noun(toks, j + 1)
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
            rng = range_after(toks, j) if scale is None else None
            if rng is not None and value is not None and rng[0] > value and not (
                    len(raw) == 4 and 1800 <= value <= 2100):
                high, j = rng
                kind = "range"
            elif scale is None and between(toks, i):
                nv = parse_digits(toks[j + 1].text)
                if nv is not None and value is not None and nv > value:
                    high, j, kind = nv, j + 2, "range"
            s, e = t.start, toks[j - 1].end
            is_count, reason, noun = classify(toks, i, j, value, "digits", raw if scale is None else "")
            if value is None and reason is None:
                is_count, reason = False, "measure" if DECIMAL.match(raw) else "not a number"
            out.append(NumberMention(s, e, text[s:e], value, kind, is_count, reason, high, qual, None, noun))
            i = j
            continue

        # number words ("Seven", "twenty-seven", "three hundred and five", "a hundred")
        if low in UNITS or low in TEENS or low in TENS or (low in ("a", "an") and i + 1 < n and
                                                            toks[i + 1].low in ("hundred", "thousand")):
            parsed = parse_words(toks, i)
            if parsed is not None:
                value, j = parsed
                if low == "one" and j == i + 1 and pronoun_one(toks, i):
                    i += 1
                    continue
                high = None
                kind = "words"
                rng = range_after(toks, j)
                if rng is not None and rng[0] > value:
                    high, j = rng
                    kind = "range"
                s, e = t.start, toks[j - 1].end
                is_count, reason, noun = classify(toks, i, j, value, "words", text[s:e])
                out.append(NumberMention(s, e, text[s:e], value, kind, is_count, reason, high, qual, None,
                                         noun))
                i = j
                continue
        i += 1
    return out
