"""Corpus-scale prediction on Ray Data: the batch CLI's job spread over the workers of a Ray cluster.

    eventcoder predict --engine ray --input shards/ --output out/ --model DIR [--workers N]
    RAY_ADDRESS=http://head:8265 ray job submit --working-dir . -- eventcoder predict --engine ray ...

Input shards (JSONL, CSV, Parquet, or folders of them) are read in parallel with the batch CLI's
own row reader and checks, so a bad row gets the same error record (file, row, field, reason).
`map_batches` runs an actor pool with one `Predictor` per worker (the model is loaded once per
worker, not per batch). One streaming write puts predictions and error records into
`<output>/predictions/` and `<output>/errors/` (JSONL shards, or Parquet with `--format parquet`),
with `counts.json` where rows = predictions + errors. The folder is built under a temporary name
and renamed when complete, so it is complete or absent. Ray is an optional extra:
`pip install "eventcoder[ray]"`.
"""
from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eventcoder.batch import DEFAULT_BATCH_SIZE, code_rows
from eventcoder.inputs import InputColumns, check_columns, checked_inputs
from eventcoder.schema import RecordError, prediction_record

SHARD_SUFFIXES = (".jsonl", ".json", ".csv", ".csv.gz", ".parquet")
RECORD_COLUMNS = ("file", "row", "id", "is_error", "record")


def input_shards(paths: str | Path | Sequence[str | Path]) -> list[str]:
    """Files to read: each path as is, a folder as its shard files (or, holding none, as one folder
    of .txt articles, as the CLI reads it)."""
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    shards: list[str] = []
    for p in map(Path, items):
        if not p.exists():
            raise FileNotFoundError(f"input {p} does not exist")
        inside = sorted(f for f in p.iterdir() if f.name.endswith(SHARD_SUFFIXES)) if p.is_dir() else []
        shards += [str(f) for f in inside] or [str(p)]
    return shards


def read_shard(item: dict[str, Any], max_chars: int = 1_000_000,
               columns: InputColumns | None = None) -> list[dict[str, Any]]:
    """`flat_map` function: one shard → its rows, each either a text or an error record (JSON)."""
    path = item["path"]
    rows = []
    for row, it in checked_inputs(path, columns, max_chars):
        if isinstance(it, RecordError):
            rows.append({"file": path, "row": row, "id": it.record_id or "", "text": "", "date": "",
                         "error": json.dumps(it.to_dict(), ensure_ascii=False)})
        else:  # the article's date (when the input has one) dates "yesterday" in the record's `when`
            rows.append({"file": path, "row": row, "id": it["id"], "text": it["text"],
                         "date": str(it.get("date") or ""), "error": ""})
    return rows


class PredictWorker:
    """`map_batches` actor: loads the model once, then codes every batch it is handed."""

    def __init__(self, model_dir: str, backend: str = "auto", batch_size: int = DEFAULT_BATCH_SIZE, threads: int = 1) -> None:
        import torch

        from eventcoder.predictor import Predictor

        torch.set_num_threads(threads)
        self.predictor = Predictor.from_pretrained(model_dir, backend=backend)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows = [(int(r), None if e else {"id": str(i), "text": str(t), "date": str(d) or None})
                for r, e, i, t, d in zip(batch["row"], batch["error"], batch["id"], batch["text"], batch["date"],
                                         strict=True)]
        coded = code_rows(self.predictor, rows, self.batch_size)
        records = [str(e) if rec is None else json.dumps(prediction_record(rec, rec["id"], rec["row"], str(f)),
                                                          ensure_ascii=False)
                   for e, f, rec in zip(batch["error"], batch["file"], coded, strict=True)]
        return {"file": [str(f) for f in batch["file"]], "row": [int(r) for r in batch["row"]],
                "id": [str(x) for x in batch["id"]], "is_error": [bool(e) for e in batch["error"]],
                "record": records}


def _record_sink_class() -> type:
    from ray.data import Datasink
    from ray.data.block import BlockAccessor

    class RecordSink(Datasink):
        """Writes each task's predictions and errors as shard files and returns its counts."""

        def __init__(self, root: str, fmt: str, table_columns: list[str]) -> None:
            self.root, self.fmt, self.table_columns = root, fmt, table_columns
            self.counts: Counter = Counter()

        def write(self, blocks: Iterable[Any], ctx: Any) -> dict[str, int]:
            import pyarrow as pa
            import pyarrow.compute as pc

            tables = [BlockAccessor.for_block(b).to_arrow() for b in blocks]
            tables = [t for t in tables if t.num_rows]
            if not tables:
                return {}
            table = pa.concat_tables(tables)
            name = f"part-{ctx.task_idx:05d}-{uuid.uuid4().hex[:8]}"
            counts = {}
            for kind, mask in (("predictions", pc.invert(table["is_error"])), ("errors", table["is_error"])):
                part = table.filter(mask)
                counts[kind] = part.num_rows
                if part.num_rows:
                    _write_part(part, Path(self.root) / kind / name,
                                self.fmt if kind == "predictions" else "jsonl", self.table_columns)
            return counts

        def on_write_complete(self, write_result: Any) -> None:
            for c in write_result.write_returns:
                self.counts.update(c)

    return RecordSink


def _write_part(table: Any, stem: Path, fmt: str, table_columns: list[str]) -> None:
    """One shard file: JSONL lines identical to the CLI's, or the CLI's flat CSV or Parquet table
    (Parquet adds the file and the whole record as JSON, so `read_records` gets them back)."""
    stem.parent.mkdir(parents=True, exist_ok=True)  # on a cluster: a folder every worker can write to
    if fmt == "jsonl":
        with open(str(stem) + ".jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in table["record"].to_pylist())
        return
    import pyarrow.parquet as pq

    from eventcoder.tables import arrow_table, flat_row, write_table

    records = [json.loads(line) for line in table["record"].to_pylist()]
    if fmt == "csv":
        with open(str(stem) + ".csv", "w", encoding="utf-8", newline="") as fh:
            write_table(records, table_columns, fh, "csv")
        return
    flat = arrow_table([flat_row(r, table_columns) for r in records], table_columns)
    flat = flat.append_column("file", table["file"]).append_column("record", table["record"])
    pq.write_table(flat, str(stem) + ".parquet")


def predict_with_ray(inputs: str | Path | Sequence[str | Path], output_dir: str | Path, model_dir: str | Path,
                     workers: int | None = None, backend: str = "auto", batch_size: int = DEFAULT_BATCH_SIZE,
                     rows_per_block: int = 256, output_format: str = "jsonl",
                     max_chars: int = 1_000_000, columns: InputColumns | None = None) -> dict[str, int]:
    """Predict every row of the input shards on Ray Data; return counts (rows = predictions + errors).
    Predictions are written as JSONL, or as the flat CSV or Parquet table of the local engine
    (`output_format`); errors as JSONL; `columns` as for `eventcoder.inputs`.

    Joins the cluster named by RAY_ADDRESS if set, else starts a local Ray. `workers` actors each
    hold one Predictor (default: one per CPU of the cluster)."""
    try:
        import ray
    except ImportError:
        raise ImportError("the Ray engine needs the optional extra: pip install 'eventcoder[ray]'") from None

    from eventcoder.model_dir import check_model_dir, read_label_maps
    from eventcoder.tables import FORMATS
    from eventcoder.tables import columns as table_columns

    if output_format not in FORMATS:
        raise ValueError(f"unknown output format {output_format!r} ({', '.join(FORMATS)})")
    model_dir = str(check_model_dir(model_dir).resolve())
    shards = [str(Path(s).resolve()) for s in input_shards(inputs)]
    for shard in shards:  # a wrong column map fails here, once, not in every worker
        check_columns(shard, columns)
    labels = read_label_maps(model_dir)["mention_labels"]
    out = Path(output_dir)
    if out.exists():
        raise FileExistsError(f"output {out} already exists; choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS"), include_dashboard=False, log_to_driver=False)
    cpus = float(ray.cluster_resources().get("CPU", 1))
    workers = workers or max(1, int(cpus))
    # logical CPUs only (threads are set apart): leave room for the repartition task (1 CPU) and
    # the reading and writing tasks (0.05 CPU each), or a small machine waits for itself forever
    per_worker = max(0.1, min(1.0, (cpus - 1.25) / workers))
    light = {"num_cpus": 0.05}
    ds = (ray.data.from_items([{"path": s} for s in shards])
          .flat_map(read_shard, fn_kwargs={"max_chars": max_chars, "columns": columns}, **light)
          .repartition(target_num_rows_per_block=rows_per_block)
          .map_batches(PredictWorker, fn_constructor_kwargs={
              "model_dir": model_dir, "backend": backend, "batch_size": batch_size,
              "threads": max(1, int(cpus // workers))},
              batch_size=rows_per_block, compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=per_worker,
              batch_format="numpy"))
    sink = _record_sink_class()(str(tmp), output_format, table_columns(labels))
    try:
        tmp.mkdir()
        ds.write_datasink(sink, ray_remote_args=light)
        counts = {"rows": sink.counts["predictions"] + sink.counts["errors"],
                  "predictions": sink.counts["predictions"], "errors": sink.counts["errors"],
                  "shards_read": len(shards), "workers": workers}
        (tmp / "counts.json").write_text(json.dumps(counts, indent=2) + "\n")
        os.replace(tmp, out)
    except BaseException:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts


def read_records(output_dir: str | Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(predictions, errors) of a Ray output folder, for checks and small outputs (CSV predictions
    come back as the table's rows)."""
    import csv

    import pyarrow.parquet as pq

    found: dict[str, list[dict[str, Any]]] = {"predictions": [], "errors": []}
    for kind, rows in found.items():
        for f in sorted((Path(output_dir) / kind).glob("part-*")):
            if f.suffix == ".csv":  # the flat table: its rows as written
                with open(f, newline="", encoding="utf-8") as fh:
                    rows += list(csv.DictReader(fh))
                continue
            lines = (pq.read_table(f).column("record").to_pylist() if f.suffix == ".parquet"
                     else f.read_text(encoding="utf-8").splitlines())
            rows += [json.loads(line) for line in lines]
    return found["predictions"], found["errors"]
