"""Batch prediction over files: `eventcoder predict --input in.jsonl|in.csv|in.parquet|dir --output out.jsonl --model DIR`.

- Bad rows go to `<output>.errors.jsonl` (file, row, field, reason) while the rest go on, so the
  counts add up: rows read = predictions + errors.
- Articles are sorted by length within chunks (little padding) and written back in input order.
- Interrupted runs resume: finished chunks live in `<output>.partial/` and are skipped on restart;
  the output file appears only when every row is done (temp file, then rename), so it is complete
  or absent, never half-written.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from eventcoder.io import atomic_open, atomic_write_jsonl
from eventcoder.schema import RecordError

# Windows per forward pass wherever a Predictor is called by default. On this 2-core CPU 8 is faster
# than 16 for the 6-layer model and for its 1-layer student (less padding, activations that stay in
# cache) and a little faster than 4, with the same records (README "Prediction throughput":
# `benchmarks/predict_throughput.py --batch-sizes 4 16` and `benchmarks/same_output.py --batch-sizes 16 8`).
DEFAULT_BATCH_SIZE = 8


def iter_inputs(path: str | Path) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """(row, {"id", "text"}) or (row, RecordError) for every input row; labels are not needed."""
    from eventcoder.data.readers import iter_csv_rows, iter_jsonl_rows, iter_txt_files

    p = Path(path)
    if p.suffix == ".parquet":
        yield from _iter_parquet(p)
    elif p.is_dir():
        for row, f, text in iter_txt_files(p):
            yield row, text if isinstance(text, RecordError) else {"id": f.stem, "text": text}
    elif p.suffix == ".csv" or p.name.endswith(".csv.gz"):
        for row, rec in iter_csv_rows(p, ["text"]):
            yield row, rec if isinstance(rec, RecordError) else {"id": rec.get("id") or f"row-{row}", "text": rec["text"],
                                                                 "date": rec.get("date")}
    else:
        for row, obj in iter_jsonl_rows(p):
            if isinstance(obj, RecordError):
                yield row, obj
            elif not isinstance(obj, dict):
                yield row, RecordError(str(p), row, None, f"expected a JSON object, got {type(obj).__name__}")
            else:
                yield row, {"id": str(obj.get("id", f"row-{row}")), "text": obj.get("text"), "date": obj.get("date")}


def _iter_parquet(path: Path) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """Rows of a Parquet shard (1-based); a file that cannot be read is one error record."""
    import pyarrow.parquet as pq

    if not path.is_file():
        raise FileNotFoundError(f"input {path} does not exist")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as e:  # pyarrow raises ArrowInvalid (a ValueError) on a corrupt file
        yield 1, RecordError(str(path), 1, None, f"not a readable Parquet file: {e}")
        return
    if "text" not in table.column_names:
        yield 1, RecordError(str(path), 1, "text", f"no 'text' column (columns: {table.column_names})")
        return
    ids = table.column("id").to_pylist() if "id" in table.column_names else [None] * table.num_rows
    for row, (id_, text) in enumerate(zip(ids, table.column("text").to_pylist(), strict=True), 1):
        yield row, {"id": str(id_) if id_ is not None else f"row-{row}", "text": text}


def check_text(item: dict[str, Any], name: str, row: int, max_chars: int) -> RecordError | None:
    """The error of an input row whose text cannot be coded (missing, empty, too long), else None."""
    text = item.get("text")
    if not isinstance(text, str):
        return RecordError(name, row, "text", "missing or not a string", item.get("id"))
    if not text.strip():
        return RecordError(name, row, "text", "empty text", item.get("id"))
    if len(text) > max_chars:
        return RecordError(name, row, "text", f"longer than {max_chars} characters", item.get("id"))
    return None


@contextmanager
def _clear_write_errors(path: Path, partial: Path) -> Iterator[None]:
    """A failed write (disk full, file-size limit, permissions) names the file and says how to go on;
    the atomic writers have already removed their temp file, so no half-written file remains."""
    try:
        yield
    except OSError as e:
        raise OSError(e.errno, f"cannot write {path}: {e.strerror or e}; finished chunks are kept in "
                               f"{partial} and rerunning the same command resumes from them") from None


def prediction_record(item: dict[str, Any], row: int, prediction: dict[str, Any]) -> dict[str, Any]:
    """One output line: the input's id and row, then the prediction, its event date read against the
    input's article date when the input gives one."""
    if item.get("date") and "when" in prediction:
        from eventcoder.incidents.annotate import when_of

        prediction = {**prediction, "when": when_of(item["text"], item["date"])}
    return {"id": item["id"], "row": row, **prediction}


def code_rows(predictor: Any, rows: list[tuple[int, Any]], batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, Any] | None]:
    """The coding step shared by the batch CLI and the Ray workers: predict every row whose item is
    an {"id", "text"} dict in one call (the Predictor sorts them by length) and return, in input
    order, its `prediction_record`, or None for a row that holds an error instead."""
    good = [(r, it) for r, it in rows if isinstance(it, dict)]
    results = iter(predictor([it["text"] for _, it in good], batch_size=batch_size) if good else [])
    return [prediction_record(it, r, next(results)) if isinstance(it, dict) else None for r, it in rows]


def predict_file(input_path: str | Path, output_path: str | Path, predictor: Any, chunk_size: int = 256,
                 batch_size: int = DEFAULT_BATCH_SIZE, max_chars: int = 1_000_000, progress: bool = True,
                 output_format: str | None = None) -> dict[str, int]:
    """Predict every row of `input_path` into `output_path`: JSONL records, or a flat CSV or Parquet
    table (`eventcoder.tables`; `output_format`, else the output's extension); return the counts."""
    from eventcoder.tables import columns, write_table
    from eventcoder.tables import output_format as format_of

    fmt = format_of(output_path, output_format)
    out = Path(output_path)
    partial = out.with_name(out.name + ".partial")
    try:
        partial.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(f"cannot write the output {out}: {e.strerror} ({partial})") from None
    meta = partial / "meta.json"
    want = {"input": str(Path(input_path).resolve()), "chunk_size": chunk_size}
    if meta.is_file() and json.loads(meta.read_text()) != want:
        shutil.rmtree(partial)  # another input or chunking: the saved chunks do not apply
        partial.mkdir(parents=True)
    meta.write_text(json.dumps(want))
    name = str(input_path)
    counts = {"rows": 0, "predictions": 0, "errors": 0, "chunks_resumed": 0}
    chunk: list[tuple[int, dict[str, Any] | RecordError]] = []
    chunk_no = 0

    def flush() -> None:
        nonlocal chunk_no
        done = partial / f"chunk-{chunk_no:07d}.jsonl"
        if done.is_file():
            counts["chunks_resumed"] += 1
        else:
            lines = [rec if rec is not None else {"_error": it.to_dict(), "row": r}
                     for (r, it), rec in zip(chunk, code_rows(predictor, chunk, batch_size), strict=True)]
            with _clear_write_errors(done, partial):
                atomic_write_jsonl(done, lines)
        chunk_no += 1
        chunk.clear()

    bar = tqdm(desc="predict", unit="article", disable=not progress)
    for row, item in iter_inputs(input_path):
        counts["rows"] += 1
        if isinstance(item, dict):
            err = check_text(item, name, row, max_chars)
            item = err or item
        chunk.append((row, item))
        if len(chunk) >= chunk_size:
            flush()
            bar.update(chunk_size)
    if chunk:
        bar.update(len(chunk))
        flush()
    bar.close()
    errors_path = out.with_name(out.name + ".errors.jsonl")
    table: list[dict[str, Any]] = []  # CSV and Parquet are written whole at the end
    with _clear_write_errors(out, partial), atomic_open(out, "wb" if fmt == "parquet" else "w") as fh_out, \
            atomic_open(errors_path) as fh_err:
        for f in sorted(partial.glob("chunk-*.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if "_error" in rec:
                    fh_err.write(json.dumps(rec["_error"], ensure_ascii=False) + "\n")
                    counts["errors"] += 1
                else:
                    if fmt == "jsonl":
                        fh_out.write(line + "\n")
                    else:
                        table.append(rec)
                    counts["predictions"] += 1
        if fmt != "jsonl":
            write_table(table, columns(predictor.mention_labels), fh_out, fmt)
    shutil.rmtree(partial, ignore_errors=True)
    return counts
