"""Prediction records as a flat table colleagues open in a spreadsheet or a data frame: one row per
article (id, row, event type and score, totals, the figure of every outcome and group, the event's
date and place, the vague words, and the evidence as compact text), written as CSV or Parquet."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "csv", "parquet")
# column: (record field, key) of the event's date and place (`eventcoder.incidents`)
WHEN_WHERE = {"event_date": ("when", "date"), "date_precision": ("when", "precision"),
              "country": ("where", "country"), "admin1": ("where", "admin1"), "place": ("where", "place"),
              "latitude": ("where", "latitude"), "longitude": ("where", "longitude"),
              "geo_precision": ("where", "precision_code")}


def output_format(path: str | Path, asked: str | None) -> str:
    """The format asked for, else the one the output's extension names (JSONL otherwise)."""
    if asked:
        if asked not in FORMATS:
            raise ValueError(f"output format {asked!r}: one of {', '.join(FORMATS)}")
        return asked
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "jsonl"


def columns(mention_labels: Iterable[str]) -> list[str]:
    """The table's columns for a model's casualty labels ("killed:civilians", ...)."""
    figures = [lab.replace(":", "_") for lab in mention_labels if ":" in lab]
    return ["id", "row", "event_type", "score", "killed", "injured", *figures, *WHEN_WHERE, "vague", "evidence"]


def flat_row(record: dict[str, Any], cols: list[str]) -> dict[str, Any]:
    """One prediction record as a table row: a group's number in its own column (empty when the group
    has none or only a vague word), vague words and evidence as `outcome:group` text."""
    row: dict[str, Any] = {c: record.get(c) for c in ("id", "row", "event_type", "score")}
    row.update({o: record.get(o) for o in ("killed", "injured")})
    for col, (field, key) in WHEN_WHERE.items():
        row[col] = (record.get(field) or {}).get(key)
    for col in cols:
        outcome, _, group = col.partition("_")
        if col not in row and col not in ("vague", "evidence") and outcome in record.get("casualties", {}):
            value = record["casualties"][outcome].get(group)
            row[col] = value if isinstance(value, int) else None
    row["vague"] = "; ".join(f"{e['outcome']}:{e['group']}={e['vague']}" for e in record.get("vague", []))
    row["evidence"] = "; ".join(f"{e['outcome']}:{e['group']}={e['count']} \"{e['text']}\" [{e['start']}:{e['end']}]"
                                for e in record.get("evidence", []))
    return {c: row.get(c) for c in cols}


def arrow_schema(cols: list[str]) -> Any:
    """The Parquet table's column types: text, floats for score and coordinates, integers for the rest."""
    import pyarrow as pa

    text = {"id", "event_type", "vague", "evidence", "event_date", "date_precision", "country", "admin1", "place"}
    floats = {"score", "latitude", "longitude"}
    return pa.schema([(c, pa.string() if c in text else pa.float64() if c in floats else pa.int64()) for c in cols])


def arrow_table(rows: list[dict[str, Any]], cols: list[str]) -> Any:
    """Flat rows (`flat_row`) as an Arrow table of `arrow_schema`."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=arrow_schema(cols))


class TableWriter:
    """Writes records as flat rows to an open file (text for CSV, binary for Parquet) as they come:
    CSV line by line, Parquet a row group per `rows_per_group`, so an archive is never held whole."""

    def __init__(self, fh: Any, cols: list[str], fmt: str, rows_per_group: int = 4096) -> None:
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"a table is CSV or Parquet, not {fmt!r}")
        self.fh, self.cols, self.fmt, self.rows_per_group = fh, cols, fmt, rows_per_group
        self.pending: list[dict[str, Any]] = []
        self.written = 0
        self._csv: csv.DictWriter | None = None
        self._parquet: Any = None
        if fmt == "csv":
            self._csv = csv.DictWriter(fh, fieldnames=cols)
            self._csv.writeheader()
        else:
            import pyarrow.parquet as pq

            self._parquet = pq.ParquetWriter(fh, arrow_schema(cols))

    def write(self, record: dict[str, Any]) -> None:
        row = flat_row(record, self.cols)
        self.written += 1
        if self._csv is not None:
            self._csv.writerow(row)
        else:
            self.pending.append(row)
            if len(self.pending) >= self.rows_per_group:
                self._flush()

    def _flush(self) -> None:
        if self.pending:
            self._parquet.write_table(arrow_table(self.pending, self.cols))
            self.pending = []

    def close(self) -> None:
        """Finish the file (Parquet's footer); the caller closes the file object."""
        if self._parquet is not None:
            self._flush()
            self._parquet.close()


def write_table(records: Iterable[dict[str, Any]], cols: list[str], fh: Any, fmt: str) -> int:
    """Write the records' flat rows to an open file (text for CSV, binary for Parquet)."""
    writer = TableWriter(fh, cols, fmt)
    for record in records:
        writer.write(record)
    writer.close()
    return writer.written
