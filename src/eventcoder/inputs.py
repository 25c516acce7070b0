"""Users' files as the Predictor reads them: every row of a JSONL, CSV or Parquet file, a `.txt` file
(one article), or every `.txt` of a folder, becomes `{"id", "text", "date"}` (the headline first,
as training reads it; the article's date or None) or a `RecordError` naming the file, row and field.

Which columns hold the text, the headline and the id is an `InputColumns`: given on the command line
(`--text-column`, `--title-column`, `--id-column`) or taken from the source config the dataset
builder reads (`--source acled|gtd|ucdp`: `configs/data/source/<name>.yaml`, its `columns` and
`text_cleanup`), so an analyst's export is coded as it comes.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcoder.data.labels import headline_text
from eventcoder.schema import RecordError, default_id

Item = tuple[int, "dict[str, Any] | RecordError"]


def export_sources() -> list[str]:
    """The analysts' exports the dataset builder knows: the `format: export` sources of
    `configs/data/source/`, whose YAML names their columns."""
    from omegaconf import OmegaConf

    from eventcoder.paths import CONFIG_DIR

    return sorted(p.stem for p in (CONFIG_DIR / "data" / "source").glob("*.yaml")
                  if OmegaConf.load(p).get("format") == "export")


@dataclass(frozen=True)
class InputColumns:
    """Where a row keeps its text, headline (optional) and id, and the source's text cleanup steps."""

    text: str = "text"
    title: str | None = "title"  # used when the row has it; the headline goes first, as in training
    id: str = "id"
    date: str | None = "date"  # the article's date, when the row has it: "yesterday" is read against it
    cleanup: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of_source(cls, name: str) -> InputColumns:
        """The column map of an export source the dataset builder knows (`configs/data/source/`)."""
        from omegaconf import OmegaConf

        from eventcoder.paths import CONFIG_DIR

        known = export_sources()
        if name not in known:
            raise ValueError(f"unknown --source {name!r}: export sources are {', '.join(known)}")
        spec = OmegaConf.load(CONFIG_DIR / "data" / "source" / f"{name}.yaml")
        cols = spec.columns
        return cls(text=cols.text, title=cols.get("title"), id=cols.get("id") or "id", date=cols.get("date"),
                   cleanup=tuple(spec.get("text_cleanup") or ()))


def _item(row: int, rec: Mapping[str, Any], cols: InputColumns, name: str) -> dict[str, Any] | RecordError:
    rid = rec.get(cols.id)
    rid = default_id(row) if rid is None or rid == "" else str(rid)
    text = rec.get(cols.text)
    if text is None or not isinstance(text, str):
        return RecordError(name, row, cols.text, "missing or not a string", rid)
    if cols.cleanup:
        from eventcoder.data.exports import clean_text

        text = clean_text(text, list(cols.cleanup))
    title = rec.get(cols.title) if cols.title else None
    date = rec.get(cols.date) if cols.date else None
    return {"id": rid, "text": headline_text(text, title if isinstance(title, str) else None) if text.strip() else text,
            "date": None if date is None or date == "" else str(date)}


def _missing(name: str, have: list[str], cols: InputColumns) -> None:
    if cols.text not in have:
        raise RecordError(name, None, cols.text, f"no column '{cols.text}' (the file has: {', '.join(have)})")


def check_columns(path: str | Path, columns: InputColumns | None = None) -> None:
    """Raise one RecordError naming the file and its columns when a CSV or Parquet input lacks the
    text column: checked before a model is loaded, so a wrong column map fails at once."""
    p, cols = Path(path), columns or InputColumns()
    if p.suffix == ".parquet" and p.is_file():
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(p).names
        except (OSError, ValueError):
            return  # an unreadable file is the reader's error record
        _missing(str(p), names, cols)
    elif p.suffix == ".csv" or p.name.endswith(".csv.gz"):
        _missing(str(p), _csv_header(p), cols)


def _existing(path: Path) -> Path:
    """The input file, or FileNotFoundError naming it."""
    if not path.is_file():
        raise FileNotFoundError(f"input {path} does not exist")
    return path


def _csv_header(path: Path) -> list[str]:
    import csv

    from eventcoder.data.readers import open_text

    with open_text(_existing(path)) as fh:
        try:
            return next(csv.reader(fh), [])
        except csv.Error as e:
            raise RecordError(str(path), None, None, f"unreadable CSV header: {e}") from None


def iter_inputs(path: str | Path, columns: InputColumns | None = None) -> Iterator[Item]:
    """(row, {"id", "text"}) or (row, RecordError) for every input row, rows 1-based.

    A file without the text column raises one RecordError naming the file and the columns it has;
    a bad row is an error record and the reading goes on.
    """
    from eventcoder.data.readers import iter_csv_rows, iter_jsonl_rows, iter_txt_files

    cols = columns or InputColumns()
    p, name = Path(path), str(path)
    if p.is_dir() or p.suffix == ".txt":  # a .txt file is one article, as each .txt of a folder is
        for row, f, text in iter_txt_files(p if p.is_dir() else _existing(p)):
            yield row, text if isinstance(text, RecordError) else {"id": f.stem, "text": text, "date": None}
    elif p.suffix == ".parquet":
        yield from _iter_parquet(p, cols)
    elif p.suffix == ".csv" or p.name.endswith(".csv.gz"):
        for row, rec in iter_csv_rows(_existing(p), [cols.text], id_column=cols.id):  # checks the header once
            yield row, rec if isinstance(rec, RecordError) else _item(row, rec, cols, name)
    else:
        for row, obj in iter_jsonl_rows(p):
            if isinstance(obj, RecordError):
                yield row, obj
            elif not isinstance(obj, dict):
                yield row, RecordError(name, row, None, f"expected a JSON object, got {type(obj).__name__}")
            else:
                yield row, _item(row, obj, cols, name)


def checked_inputs(path: str | Path, columns: InputColumns | None = None,
                   max_chars: int = 1_000_000) -> Iterator[Item]:
    """`iter_inputs`, with a text that cannot be coded (empty, too long) turned into its error
    record: what the batch CLI and the Ray engine both code."""
    cols = columns or InputColumns()
    for row, item in iter_inputs(path, cols):
        yield row, (check_text(item, str(path), row, max_chars, cols.text) or item) if isinstance(item, dict) else item


def check_text(item: dict[str, Any], name: str, row: int, max_chars: int, field: str = "text") -> RecordError | None:
    """The error of an input row whose text cannot be coded (empty, too long), else None; `field` is
    the input's text column, named in the error. (A missing text is already `iter_inputs`' error.)"""
    text = item["text"]
    if not text.strip():
        return RecordError(name, row, field, "empty text", item.get("id"))
    if len(text) > max_chars:
        return RecordError(name, row, field, f"longer than {max_chars} characters", item.get("id"))
    return None


def _iter_parquet(path: Path, cols: InputColumns) -> Iterator[Item]:
    """Rows of a Parquet file; a file that cannot be read is one error record."""
    import pyarrow.parquet as pq

    _existing(path)  # before the try: a missing file is not a bad row
    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as e:  # pyarrow raises ArrowInvalid (a ValueError) on a corrupt file
        yield 1, RecordError(str(path), 1, None, f"not a readable Parquet file: {e}")
        return
    _missing(str(path), schema.names, cols)
    wanted = [c for c in dict.fromkeys([cols.text, cols.id, cols.title, cols.date]) if c and c in schema.names]
    row = 0
    for batch in pq.ParquetFile(path).iter_batches(columns=wanted, batch_size=4096):
        for rec in batch.to_pylist():
            row += 1
            yield row, _item(row, rec, cols, str(path))


def count_rows(path: str | Path) -> int | None:
    """How many rows `iter_inputs` will give, for a progress bar's total and ETA: from the Parquet
    footer, the folder listing, or one quick pass over a JSONL or CSV file (None if unreadable)."""
    import csv

    from eventcoder.data.readers import open_text

    p = Path(path)
    try:
        if p.is_dir():
            return sum(1 for f in p.iterdir() if f.suffix == ".txt")
        if p.suffix == ".txt":
            return 1
        if p.suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(p).metadata.num_rows
        with open_text(p) as fh:
            if p.suffix == ".csv" or p.name.endswith(".csv.gz"):
                return max(0, sum(1 for _ in csv.reader(fh)) - 1)
            return sum(1 for line in fh if line.strip())
    except (OSError, ValueError, csv.Error):
        return None
