"""The `when` and `where` fields of a prediction record, from an article's text and date."""
from __future__ import annotations

from typing import Any

from eventcoder.incidents.when import event_date, parse_date
from eventcoder.incidents.where import event_location


def when_of(text: str, article_date: Any = None) -> dict[str, Any] | None:
    """The `when` field: the event's date, keeping the article's date it was read against."""
    when = event_date(text, article_date)
    published = parse_date(article_date)
    if when is not None:
        when["article_date"] = published.isoformat() if published else None
    return when


def when_where(text: str, article_date: Any = None) -> dict[str, Any]:
    """{"when": ..., "where": ...} for one article."""
    return {"when": when_of(text, article_date), "where": event_location(text)}

