"""Readers: files of articles → validated `Article` records with provenance, or `RecordError`s.

Every reader yields one item per input row: an Article or a RecordError saying file, row, field and
reason. Nothing is dropped silently, so `rows read == rows kept + rows rejected` always holds.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from eventcoder.data.labels import headline_first, resolve_quotes
from eventcoder.paths import SAMPLE_DIR
from eventcoder.schema import Article, RecordError, parse_article
from eventcoder.taxonomy import Taxonomy

Item = Article | RecordError
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _finish(raw: Any, file: str, row: int, taxonomy: Taxonomy | None) -> Item:
    try:
        article = parse_article(raw, file=file, row=row, taxonomy=taxonomy)
        return headline_first(resolve_quotes(article, file=file, row=row))
    except RecordError as e:
        return e


def iter_jsonl_rows(path: str | Path) -> Iterator[tuple[int, Any | RecordError]]:
    """(row number, parsed object or RecordError) per non-empty line; rows are 1-based."""
    name = str(path)
    with open(path, "rb") as fh:
        for row, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield row, RecordError(name, row, None, f"not valid UTF-8 ({e.reason} at byte {e.start})")
                continue
            try:
                yield row, json.loads(line)
            except json.JSONDecodeError as e:
                yield row, RecordError(name, row, None, f"invalid JSON: {e.msg} (column {e.colno})")


def read_jsonl(path: str | Path, taxonomy: Taxonomy | None = None) -> Iterator[Item]:
    for row, obj in iter_jsonl_rows(path):
        yield obj if isinstance(obj, RecordError) else _finish(obj, str(path), row, taxonomy)


def _csv_value(v: str | None) -> Any:
    return None if v is None or v == "" else v


def open_text(path: str | Path) -> io.TextIOBase:
    """A text stream over a (possibly gzipped) file; bytes that are not UTF-8 become lone surrogates,
    so one bad row is rejected alone instead of the whole file."""
    p = Path(path)
    raw = gzip.open(p, "rb") if p.suffix == ".gz" else open(p, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")


def bad_bytes_field(row: dict[str, Any]) -> str | None:
    """The first field holding bytes that were not UTF-8 (decoded as surrogates), if any."""
    for k, v in row.items():
        if isinstance(v, str) and any("\udc80" <= ch <= "\udcff" for ch in v):
            return str(k)
    return None


def iter_csv_rows(path: str | Path, required: list[str], id_column: str | None = "id") -> Iterator[
        tuple[int, dict[str, Any] | RecordError]]:
    """(row number, row dict or RecordError) per data row of a CSV; rows are 1-based.

    A missing required column stops with one RecordError naming the file and the column; a row that
    cannot be parsed, has extra fields or bytes that are not UTF-8 becomes a RecordError and the
    reading goes on.
    """
    name = str(path)
    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        try:
            header = reader.fieldnames or []
        except csv.Error as e:
            raise RecordError(name, None, None, f"unreadable CSV header: {e}") from None
        for col in required:
            if col not in header:
                raise RecordError(name, None, col, f"required column '{col}' missing (columns: {header})")
        row = 0
        while True:
            row += 1
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield row, RecordError(name, row, None, f"unreadable row: {e}")
                continue
            rid = rec.get(id_column) if id_column else None
            if None in rec:
                yield row, RecordError(name, row, None, f"{len(rec[None])} more fields than the header has", rid)
                continue
            bad = bad_bytes_field(rec)
            if bad is not None:
                yield row, RecordError(name, row, bad, "not valid UTF-8", rid)
                continue
            yield row, rec


def read_csv(path: str | Path, taxonomy: Taxonomy | None = None) -> Iterator[Item]:
    """CSV of records: columns of the record; `casualties` as a JSON string."""
    name = str(path)
    for row, rec in iter_csv_rows(path, ["text"]):
        if isinstance(rec, RecordError):
            yield rec
            continue
        obj: dict[str, Any] = {k: _csv_value(v) for k, v in rec.items()}
        if obj.get("id") is None:
            obj["id"] = f"{Path(name).stem}-{row}"
        for key in ("killed_total", "injured_total"):
            if obj.get(key) is not None:
                try:
                    obj[key] = int(float(obj[key]))
                except ValueError:
                    yield RecordError(name, row, key, f"not a number: {obj[key]!r}", obj["id"])
                    break
        else:
            if isinstance(obj.get("casualties"), str):
                try:
                    obj["casualties"] = json.loads(obj["casualties"])
                except json.JSONDecodeError as e:
                    yield RecordError(name, row, "casualties", f"invalid JSON: {e.msg}", obj["id"])
                    continue
            yield _finish(obj, name, row, taxonomy)


def iter_txt_files(path: str | Path) -> Iterator[tuple[int, Path, str | RecordError]]:
    """(row, file, text or RecordError) for each `.txt` of a folder, in name order (a file: itself)."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob("*.txt"))
    for row, p in enumerate(files, 1):
        try:
            yield row, p, p.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            yield row, p, RecordError(str(p), row, "text", f"not valid UTF-8 ({e.reason})")


def read_txt_dir(path: str | Path, taxonomy: Taxonomy | None = None) -> Iterator[Item]:
    """A folder of `.txt` articles; an optional `<name>.json` beside each holds its labels."""
    for row, p, text in iter_txt_files(path):
        if isinstance(text, RecordError):
            yield text
            continue
        obj: dict[str, Any] = {"id": p.stem}
        side = p.with_suffix(".json")
        if side.is_file():
            try:
                obj.update(json.loads(side.read_text(encoding="utf-8")))
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                yield RecordError(str(side), row, None, f"unreadable labels: {e}")
                continue
        obj["text"] = text
        yield _finish(obj, str(p), row, taxonomy)


def read_records(path: str | Path, taxonomy: Taxonomy | None = None) -> Iterator[Item]:
    """Dispatch on the path: `.jsonl`/`.json` lines, `.csv`, or a folder (.txt, or .jsonl files)."""
    p = Path(path)
    if p.is_dir():
        if any(p.glob("*.txt")):
            yield from read_txt_dir(p, taxonomy)
        for f in sorted(p.glob("*.jsonl")):
            yield from read_jsonl(f, taxonomy)
        return
    if not p.exists():
        raise FileNotFoundError(f"no such file or folder: {p}")
    suffix = "".join(p.suffixes[-2:]) if p.suffix == ".gz" else p.suffix
    if suffix in (".jsonl", ".json", ".ndjson"):
        yield from read_jsonl(p, taxonomy)
    elif suffix == ".csv":
        yield from read_csv(p, taxonomy)
    else:
        raise ValueError(f"{p}: unsupported input format {suffix!r} (use .jsonl, .csv or a folder)")


def split_items(items: Iterable[Item]) -> tuple[list[Article], list[RecordError]]:
    ok: list[Article] = []
    bad: list[RecordError] = []
    for it in items:
        (bad if isinstance(it, RecordError) else ok).append(it)
    return ok, bad


def load_sample(split: str | None = None, taxonomy: Taxonomy | None = None,
                sample_dir: str | Path = SAMPLE_DIR) -> list[Article]:
    """The project's own corpus (data/sample/*.jsonl); raises on any bad record."""
    articles, errors = split_items(read_records(sample_dir, taxonomy))
    if errors:
        raise errors[0]
    return [a for a in articles if split is None or a.split == split]
