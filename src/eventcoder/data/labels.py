"""Gold labels on number mentions: quotes resolved to offsets, spans aligned to candidates.

Casualty labels may arrive as offsets, as a `quote` (optionally inside a unique `context`), or as
totals only. This module turns each into labels on `eventcoder.numbers` candidates. Where it cannot be sure,
it says so (the caller masks the record's casualty labels); it never guesses. With outcome cues
(`outcome_cue`, off by default) it also reads the outcome the words at a number name: a count is not
matched against them, and an outcome the export does not count is taken from them.
"""
from __future__ import annotations

import re
from typing import Any

from eventcoder.schema import Article, RecordError


def resolve_quote(text: str, quote: str, context: str | None) -> tuple[int, int]:
    """Offsets of `quote` in `text`, inside `context` when given; ValueError when not unique."""
    if context:
        n = text.count(context)
        if n != 1:
            raise ValueError(f"context {context!r} occurs {n} times (must be once)")
        base = text.index(context)
        k = context.find(quote)
        if k < 0:
            raise ValueError(f"quote {quote!r} is not inside context {context!r}")
        return base + k, base + k + len(quote)
    n = text.count(quote)
    if n != 1:
        raise ValueError(f"quote {quote!r} occurs {n} times: give a unique context")
    s = text.index(quote)
    return s, s + len(quote)


def resolve_quotes(article: Article, file: str | None = None, row: int | None = None) -> Article:
    """Fill start/end of every casualty from its quote; check given offsets against the quote."""
    if not article.casualties:
        return article
    fixed = []
    for i, c in enumerate(article.casualties):
        field = f"casualties.{i}"
        if c.start is not None and c.end is not None:
            if c.end > len(article.text):
                raise RecordError(file, row, f"{field}.end", f"offset {c.end} beyond text length "
                                  f"{len(article.text)}", article.id)
            if c.quote is not None and article.text[c.start:c.end] != c.quote:
                raise RecordError(file, row, f"{field}.quote", f"text[{c.start}:{c.end}] is "
                                  f"{article.text[c.start:c.end]!r}, not {c.quote!r}", article.id)
            fixed.append(c)
            continue
        if not c.quote:
            raise RecordError(file, row, field, "a casualty needs offsets or a quote", article.id)
        try:
            s, e = resolve_quote(article.text, c.quote, c.context)
        except ValueError as err:
            raise RecordError(file, row, f"{field}.quote", str(err), article.id) from None
        fixed.append(c.model_copy(update={"start": s, "end": e}))
    return article.model_copy(update={"casualties": fixed})


HEADLINE_SEPARATOR = "\n\n"


def headline_text(text: str, title: str | None) -> str:
    """The text as the model reads it: the headline, a blank line, the body (unless the body already
    starts with its headline). `headline_first` applies it to a labelled article; users' inputs too."""
    title = (title or "").strip()
    if not title or text.lstrip().startswith(title):
        return text
    return title + HEADLINE_SEPARATOR + text


def headline_first(article: Article) -> Article:
    """The article as the model reads it: its headline, a blank line, then its body.

    The headline names the main event and often its toll (coding rule: the event is the one the
    headline and lead report), and the project's corpus and the reference article carry it at the
    top of the text. A record whose `title` its text does not already start with gets it put first,
    with every casualty offset shifted, so training, evaluation and gold spans all see one text. The
    headline itself was not annotated, so `labelled_from` moves past it: its numbers are unknown.
    """
    text = headline_text(article.text, article.title)
    shift = len(text) - len(article.text)
    if not shift:
        return article
    casualties = None if article.casualties is None else [
        c if c.start is None else c.model_copy(update={"start": c.start + shift, "end": c.end + shift})
        for c in article.casualties]
    return article.model_copy(update={"text": text, "casualties": casualties,
                                      "labelled_from": article.labelled_from + shift})


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def gold_mention_labels(article: Article, candidates: list, taxonomy) -> tuple[list[str], list[int]]:
    """Label each candidate from the article's gold casualty spans.

    Returns (labels, unmatched) where labels[i] is "O" or "outcome:group" for candidates[i] and
    `unmatched` lists the indices of gold casualties that overlap no candidate (an `eventcoder.numbers` miss,
    which the builder reports and masks rather than guesses).
    """
    from eventcoder.taxonomy import OUTSIDE

    labels = [OUTSIDE] * len(candidates)
    unmatched = []
    for gi, c in enumerate(article.casualties or []):
        hit = [k for k, m in enumerate(candidates) if overlaps(c.start, c.end, m.start, m.end)]
        if not hit:
            unmatched.append(gi)
            continue
        for k in hit:
            labels[k] = taxonomy.mention_label(c.outcome, c.group)
    return labels, unmatched


IGNORE = -100  # label id of a candidate whose label is unknown (masked in the loss)

OUTCOME_WORDS = {
    "killed": re.compile(r"(?:killed|killing|kills?|dead|deaths?|died|dies|die|fatalit(?:y|ies)|fatally|slain|"
                         r"lives|bodies|murdered)\b", re.I),
    "injured": re.compile(r"(?:injur(?:ed|ing|ies|y)|wound(?:ed|ing|s)?|hurt)\b", re.I),
}
_CUE_BEFORE = re.compile(r"\b(kill(?:ed|ing|s)?|wound(?:ed|ing|s)?|injur(?:ed|ing|es)?)\s+"
                         r"(?:at\s+least\s+|about\s+|some\s+|another\s+)?$", re.I)
_CUE_STOP = re.compile(r"[.;:!?]|\d|\b(?:and|but|while|whereas)\b", re.I)


def outcome_cue(text: str, start: int, end: int) -> str | None:
    """The outcome the words at a number name, if they name one: the first outcome word after it
    before the next number, clause or sentence ("1 killed 5 injured"; "a girl was injured"), else a
    verb just before it ("killing one civilian and wounding four others", "troops killed 20
    extremists"); None when neither is there. Used so an export's count is not matched to a number
    the text says is the other outcome (ACLED gives no injured count: "1 fatality and 1 injured"
    has two 1s)."""
    after = text[end:end + 60]
    stop = _CUE_STOP.search(after)
    after = after[:stop.start()] if stop else after
    found = [(m.start(), outcome) for outcome, rx in OUTCOME_WORDS.items() for m in [rx.search(after)] if m]
    if found:
        return min(found)[1]
    before = _CUE_BEFORE.search(text[max(0, start - 40):start])
    if before:
        return "killed" if before.group(1).lower().startswith("kill") else "injured"
    return None


def align_counts(counts: dict[str, dict[str, int]], totals: dict[str, int], candidates: list, taxonomy,
                 known_outcomes: set[str], named_groups: bool = False,
                 text: str | None = None) -> tuple[list[str | None], str]:
    """Label candidates from counts without spans; returns (labels, status).

    Per outcome: each group's count is matched to candidates of that value (a repeated figure labels
    every repeat); a total larger than every group is matched as the containing total (group
    `unknown`, the convention of our records). With `named_groups`, a figure the export gives no
    group for takes the group of the noun it counts ("killed 18 Taliban militants": killed:militants,
    not unknown), and an unmatched count of a named group smaller than such a total is a part of it
    ("four officers and five assailants were wounded", 9 wounded): unknown, not O. An outcome
    with a positive total and no matching candidate, or a candidate claimed by two different
    figures, makes the alignment unsure: status "masked:<reason>" and all labels None. Unmatched
    candidates are "O" when every outcome of the record is known, else None (unknown, ignored by
    the loss). With `text`, a count is not matched to a number whose words name the other outcome
    (`outcome_cue`): a killed count of 1 does not label "1 injured"; and a number whose words name an
    outcome the export does not count (ACLED has no injured column) takes that outcome, group unknown
    (or the named group with `named_groups`), instead of None, so notes teach injured figures too.
    """
    from eventcoder.taxonomy import OUTSIDE

    claimed: dict[int, str] = {}
    cues = [outcome_cue(text, m.start, m.end) for m in candidates] if text is not None else [None] * len(candidates)

    def claim(value: int, outcome: str, group: str) -> bool | None:
        hits = [k for k, m in enumerate(candidates)
                if m.value == value and m.vague is None and cues[k] in (None, outcome)]
        for k in hits:
            named = taxonomy.group_of_noun(candidates[k].noun) if named_groups and group == taxonomy.unknown_group \
                else None
            label = taxonomy.mention_label(outcome, named or group)
            if claimed.get(k, label) != label:
                return None
            claimed[k] = label
        return bool(hits)

    for outcome, total in totals.items():
        groups = counts.get(outcome, {})
        matched = False
        for group, count in groups.items():
            if count > 0:
                ok = claim(count, outcome, group)
                if ok is None:
                    return [None] * len(candidates), "masked:ambiguous mention"
                matched |= ok
        if total > 0 and all(total != c for c in groups.values()):
            ok = claim(total, outcome, taxonomy.unknown_group)
            if ok is None:
                return [None] * len(candidates), "masked:ambiguous mention"
            matched |= ok
        if total > 0 and not matched:
            return [None] * len(candidates), f"masked:{outcome} count not found among the numbers"
    all_known = set(taxonomy.outcomes) <= known_outcomes
    ungrouped = max((t for o, t in totals.items() if set(counts.get(o, {})) <= {taxonomy.unknown_group}), default=0)

    def unmatched(k: int, m: Any) -> str | None:
        if not all_known:
            if cues[k] is not None and cues[k] not in known_outcomes:  # "5 injured" in a note without injured counts
                named = taxonomy.group_of_noun(m.noun) if named_groups else None
                return taxonomy.mention_label(cues[k], named or taxonomy.unknown_group)
            return None
        part_of_total = named_groups and m.value is not None and m.value < ungrouped and taxonomy.group_of_noun(m.noun)
        return None if part_of_total else OUTSIDE

    return [claimed.get(k) or unmatched(k, m) for k, m in enumerate(candidates)], "aligned"
