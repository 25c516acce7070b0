"""Gold labels on number mentions: quotes resolved to offsets, spans aligned to candidates.

Casualty labels may arrive as offsets, as a `quote` (optionally inside a unique `context`), or as
totals only. This module turns each into labels on `numbers.py` candidates. Where it cannot be sure,
it says so (the caller masks the record's casualty labels); it never guesses.
"""
from __future__ import annotations

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
