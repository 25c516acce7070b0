"""Readers for analysts' exports (ACLED, GTD, UCDP GED, CASE 2021, ...) driven by YAML.

A source config names the file, the columns, how labels map onto the taxonomy and which columns
hold casualty counts per outcome and victim group (see `configs/data/*.yaml`). A new export
version is a YAML change. Each row becomes an `Article` with provenance, or a `RecordError`.
"""
from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from eventcoder.data.readers import Item, iter_csv_rows, read_records
from eventcoder.schema import Article, RecordError
from eventcoder.taxonomy import Taxonomy

# Written for "unknown" by analysts' exports (GTD codes -99 and -9): unknown, not a count.
UNKNOWN_COUNTS = frozenset({"", "nan", "na", "null", "none", "-99", "-9"})


class BadCount(ValueError):
    """A count column holding something that is not a count: the row is rejected, naming the field."""

    def __init__(self, column: str, value: Any, why: str) -> None:
        super().__init__(f"{why} count {value!r}")
        self.column = column


def _num(row: Mapping[str, Any], column: str) -> float | None:
    """The count in `column`: None when the export says unknown (blank, NaN, -99, -9); a negative,
    fractional or non-numeric value raises BadCount instead of being read as unknown or truncated."""
    v = row.get(column)
    if v is None:
        return None
    s = str(v).strip()
    if s.lower() in UNKNOWN_COUNTS:
        return None
    try:
        f = float(s)
    except ValueError:
        raise BadCount(column, v, "non-numeric") from None
    if math.isnan(f):
        return None
    if f < 0:
        raise BadCount(column, v, "negative")
    if not f.is_integer():
        raise BadCount(column, v, "fractional")
    return f


def _matches(value: Any, cond: Any) -> bool:
    if isinstance(cond, (list, tuple)) or (hasattr(cond, "__iter__") and not isinstance(cond, (str, Mapping))):
        return str(value) in {str(c) for c in cond}
    return str(value) == str(cond)


def map_label(row: Mapping[str, Any], spec: Mapping[str, Any]) -> str | None:
    """Event label from a row: a `column` + `map` table, then ordered `rules` (first match wins).

    A value the table maps to null (or does not know, with no default) gives None: masked, not guessed.
    """
    if "column" in spec:
        value = row.get(spec["column"])
        table = spec.get("map") or {}
        if value in table:
            return table[value]
    for rule in spec.get("rules") or []:
        when = rule.get("when") or {}
        if all(_matches(row.get(col), cond) for col, cond in when.items()):
            return rule.get("label")
    return spec.get("default")


def _group_of(row: Mapping[str, Any], group_spec: Any) -> str | None:
    """A victim group: a fixed name, or {column, map, default} looked up in the row."""
    if isinstance(group_spec, str):
        return group_spec
    value = row.get(group_spec["column"])
    table = group_spec.get("map") or {}
    key = value if value in table else str(value)
    return table.get(key, group_spec.get("default"))


def casualty_counts(row: Mapping[str, Any], spec: Mapping[str, Any]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Counts by outcome and group, and totals by outcome, from the columns a source config names.

    spec = {outcome: {total: COL, parts: [{column: COL | minus: [COL, COL], group: G | {column,map}}]}}.
    An outcome whose total is missing (NaN) is left out: unknown, not zero.
    """
    counts: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for outcome, ospec in spec.items():
        total = _num(row, ospec["total"]) if ospec.get("total") else None
        parts: dict[str, int] = {}
        for part in ospec.get("parts") or []:
            if "minus" in part:
                a, b = (_num(row, c) for c in part["minus"])
                value = None if a is None else a - (b or 0)
            else:
                value = _num(row, part["column"])
            group = _group_of(row, part["group"])
            if value is None or group is None:
                continue
            parts[group] = parts.get(group, 0) + int(value)
        if total is None and not parts:
            continue
        totals[outcome] = int(total) if total is not None else sum(parts.values())
        counts[outcome] = {g: v for g, v in parts.items() if v > 0} or (
            {ospec.get("default_group", "unknown"): totals[outcome]} if totals[outcome] else {})
    return counts, totals


TEXT_STEPS = ("strip_date_prefix", "strip_acled_tags", "fix_mojibake", "ftfy", "strip_dateline")


def clean_text(text: str, steps: list[str]) -> str:
    """The text as the model should read it, after a source's cleanup steps (`TEXT_STEPS`)."""
    for step in steps:
        if step == "strip_date_prefix":  # GTD: "MM/DD/YYYY: ..." leaks the date
            text = re.sub(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s*:\s*", "", text)
        elif step == "strip_acled_tags":  # ACLED: trailing "[size=...]" tags
            text = re.sub(r"\s*\[[a-z ]+=[^\]]*\]\s*$", "", text)
        elif step == "fix_mojibake":
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                text = text.encode("cp1252").decode("utf-8")
        elif step == "ftfy":  # mojibake a plain cp1252 round trip cannot undo (â€œ ... â€�)
            import ftfy

            text = ftfy.fix_text(text)
        elif step == "strip_dateline":  # a scraper's "This story is from <date>" line above the headline
            text = re.sub(r"^\s*this story is from [^\n]*\n+", "", text, flags=re.IGNORECASE)
        else:
            raise ValueError(f"text step {step!r}: known steps are {', '.join(TEXT_STEPS)}")
    return text.strip()


def read_export(source: Mapping[str, Any], taxonomy: Taxonomy) -> Iterator[Item]:
    """Rows of a CSV export → Articles with event label and casualty counts, or RecordErrors."""
    cols = source["columns"]
    required = [cols["text"], *source.get("required_columns", [])]
    for row_no, row in iter_csv_rows(source["path"], required, id_column=cols.get("id")):
        yield row if isinstance(row, RecordError) else _export_row(row, row_no, str(source["path"]), source,
                                                                      taxonomy)


def _export_row(row: dict[str, Any], row_no: int, name: str, source: Mapping[str, Any],
                taxonomy: Taxonomy) -> Item:
    cols = source["columns"]
    rid = str(row.get(cols.get("id", ""), "") or f"{Path(name).stem}-{row_no}")
    text = clean_text(row.get(cols["text"]) or "", list(source.get("text_cleanup") or []))
    if not text:
        return RecordError(name, row_no, cols["text"], "empty text", rid)
    try:
        label = map_label(row, source["event_type"]) if source.get("event_type") else None
        counts, totals = casualty_counts(row, source.get("casualties") or {})
    except BadCount as e:
        return RecordError(name, row_no, e.column, str(e), rid)
    except (ValueError, KeyError) as e:
        return RecordError(name, row_no, None, f"bad value: {e}", rid)
    if label is not None and label not in taxonomy.event_labels:
        return RecordError(name, row_no, source["event_type"].get("column"),
                           f"label {label!r} maps outside taxonomy {taxonomy.name!r}", rid)
    date = row.get(cols["date"]) if cols.get("date") else None
    if date is None and cols.get("year"):
        date = str(row.get(cols["year"]) or "") or None
    return Article(id=f"{source['name']}-{rid}", text=text, date=date, event_type=label,
                   title=row.get(cols["title"]) if cols.get("title") else None,
                   source=source["name"], killed_total=totals.get("killed"),
                   injured_total=totals.get("injured"), counts=counts or None,
                   provenance={"file": name, "row": row_no, "source_id": rid, "dataset": source["name"]})


def read_source(source: Mapping[str, Any], taxonomy: Taxonomy) -> Iterator[Item]:
    """One configured source: `format: records` (our record JSONL/CSV/folder) or `format: export`."""
    fmt = source.get("format", "records")
    if fmt == "export":
        yield from read_export(source, taxonomy)
    elif fmt == "records":
        for item in read_records(source["path"], taxonomy):
            if isinstance(item, Article):
                item = item.model_copy(update={"source": item.source or source["name"],
                                               "provenance": item.provenance.model_copy(
                                                   update={"dataset": source["name"]})})
            yield item
    else:
        raise ValueError(f"source {source.get('name')}: unknown format {fmt!r} (records or export)")
