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

from eventcoder.inputs import InputColumns, checked_inputs, count_rows
from eventcoder.io import atomic_open, atomic_write_jsonl
from eventcoder.schema import RecordError, prediction_record

# Windows per forward pass wherever a Predictor is called by default. On this 2-core CPU 8 is faster
# than 16 for the 6-layer model and for its 1-layer student (less padding, activations that stay in
# cache) and a little faster than 4, with the same records (README "Prediction throughput":
# `benchmarks/predict_throughput.py --batch-sizes 4 16` and `benchmarks/same_output.py --batch-sizes 16 8`).
DEFAULT_BATCH_SIZE = 8


@contextmanager
def _clear_write_errors(path: Path, partial: Path) -> Iterator[None]:
    """A failed write (disk full, file-size limit, permissions) names the file and says how to go on;
    the atomic writers have already removed their temp file, so no half-written file remains."""
    try:
        yield
    except OSError as e:
        raise OSError(e.errno, f"cannot write {path}: {e.strerror or e}; finished chunks are kept in "
                               f"{partial} and rerunning the same command resumes from them") from None


def code_rows(predictor: Any, rows: list[tuple[int, Any]], batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, Any] | None]:
    """The coding step shared by the batch CLI and the Ray workers: predict every row whose item is
    an {"id", "text", "date"} dict in one call (the Predictor sorts them by length) and return, in
    input order, its record (`schema.prediction_record`, with the event's `when`, read against the
    article's date when the row gives one, and `where`), or None for a row that holds an error."""
    from eventcoder.incidents.annotate import when_where

    good = [(r, it) for r, it in rows if isinstance(it, dict)]
    results = iter(predictor([it["text"] for _, it in good], batch_size=batch_size) if good else [])
    return [prediction_record({**next(results), **when_where(it["text"], it.get("date"))}, it["id"], r)
            if isinstance(it, dict) else None for r, it in rows]


def predict_file(input_path: str | Path, output_path: str | Path, predictor: Any, chunk_size: int = 256,
                 batch_size: int = DEFAULT_BATCH_SIZE, max_chars: int = 1_000_000, progress: bool = True,
                 output_format: str | None = None, columns: InputColumns | None = None) -> dict[str, int]:
    """Predict every row of `input_path` into `output_path`: JSONL records, or a flat CSV or Parquet
    table (`eventcoder.tables`; `output_format`, else the output's extension); return the counts.
    `columns` says where the rows keep their text, headline and id (`eventcoder.inputs`)."""
    from eventcoder.tables import TableWriter
    from eventcoder.tables import columns as table_columns
    from eventcoder.tables import output_format as format_of

    fmt = format_of(output_path, output_format)
    out = Path(output_path)
    partial = out.with_name(out.name + ".partial")
    try:
        partial.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(f"cannot write the output {out}: {e.strerror} ({partial})") from None
    meta = partial / "meta.json"
    cols = columns or InputColumns()
    want = {"input": str(Path(input_path).resolve()), "chunk_size": chunk_size, "columns": repr(cols)}
    if meta.is_file() and json.loads(meta.read_text()) != want:
        shutil.rmtree(partial)  # another input or chunking: the saved chunks do not apply
        partial.mkdir(parents=True)
    meta.write_text(json.dumps(want))
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

    bar = tqdm(desc="predict", unit="article", total=count_rows(input_path) if progress else None,
               disable=not progress)
    for row, item in checked_inputs(input_path, cols, max_chars):
        counts["rows"] += 1
        chunk.append((row, item))
        if len(chunk) >= chunk_size:
            flush()
            bar.update(chunk_size)
    if chunk:
        bar.update(len(chunk))
        flush()
    bar.close()
    errors_path = out.with_name(out.name + ".errors.jsonl")
    with _clear_write_errors(out, partial), atomic_open(out, "wb" if fmt == "parquet" else "w") as fh_out, \
            atomic_open(errors_path) as fh_err:
        table = None if fmt == "jsonl" else TableWriter(fh_out, table_columns(predictor.mention_labels), fmt)
        for f in sorted(partial.glob("chunk-*.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if "_error" in rec:
                    fh_err.write(json.dumps(rec["_error"], ensure_ascii=False) + "\n")
                    counts["errors"] += 1
                else:
                    if table is None:
                        fh_out.write(line + "\n")
                    else:
                        table.write(rec)
                    counts["predictions"] += 1
        if table is not None:
            table.close()
    shutil.rmtree(partial, ignore_errors=True)
    return counts
