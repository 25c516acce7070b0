"""The Ray Data path gives the single-process CLI's predictions and error records on the same input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="Ray is an optional extra: pip install eventcoder[ray]")


def _inputs(tmp_path):
    """Two shards (JSONL with 3 bad rows, Parquet) and the same rows as one JSONL file for the CLI."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": f"a{i}", "text": f"Gunmen killed {i % 9} villagers and {i % 4} soldiers were wounded, "
                                    f"police said on day {i}."} for i in range(120)]
    lines = [json.dumps(r) for r in rows[:80]]
    lines[5], lines[17], lines[40] = "{not json", json.dumps({"id": "e", "text": "  "}), json.dumps({"id": "t"})
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "part-0.jsonl").write_text("\n".join(lines) + "\n")
    pq.write_table(pa.Table.from_pylist(rows[80:]), shards / "part-1.parquet")
    return shards


def test_ray_path_matches_the_cli_with_bad_rows(trained, tmp_path):
    from eventcoder.ray_batch import read_records

    shards = _inputs(tmp_path)
    out = tmp_path / "ray-out"
    cmd = [sys.executable, "-m", "eventcoder.cli", "predict", "--engine", "ray", "--workers", "2",
           "--input", str(shards), "--output", str(out), "--model", str(trained), "--chunk-size", "16",
           "--backend", "torch"]
    ray_run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert ray_run.returncode == 0, ray_run.stderr[-3000:]
    counts = json.loads((out / "counts.json").read_text())
    assert counts == {"rows": 120, "predictions": 117, "errors": 3, "shards_read": 2, "workers": 2}
    assert not list(tmp_path.glob(".ray-out.*.tmp"))
    preds, errors = read_records(out)

    cli = {}
    for shard in sorted(shards.iterdir()):
        target = tmp_path / f"cli-{shard.stem}.jsonl"
        run = subprocess.run([sys.executable, "-m", "eventcoder.cli", "predict", "--input", str(shard), "--output",
                              str(target), "--model", str(trained), "--no-progress", "--backend", "torch"],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        cli[str(shard.resolve())] = ([json.loads(x) for x in target.read_text().splitlines()],
                                     [json.loads(x) for x in (tmp_path / f"{target.name}.errors.jsonl")
                                      .read_text().splitlines()])
    by_key = {(p.pop("file"), p["row"]): p for p in preds}
    cli_preds = {(f, p["row"]): p for f, (ps, _) in cli.items() for p in ps}
    assert by_key.keys() == cli_preds.keys() and len(preds) == 117
    for key, mine in by_key.items():
        theirs = cli_preds[key]
        # labels, totals, groups and evidence are identical; scores may differ in the last digit
        # because the rows are padded in other batches
        assert {k: v for k, v in mine.items() if k not in ("score", "scores", "evidence")} == \
            {k: v for k, v in theirs.items() if k not in ("score", "scores", "evidence")}
        strip = [{k: v for k, v in e.items() if k != "score"} for e in mine["evidence"]]
        assert strip == [{k: v for k, v in e.items() if k != "score"} for e in theirs["evidence"]]
        assert mine["scores"] == pytest.approx(theirs["scores"], abs=2e-3)
    cli_errors = [(str(Path(e["file"]).resolve()), e["row"], e["field"], e["reason"])
                  for _, es in cli.values() for e in es]
    assert sorted((e["file"], e["row"], e["field"], e["reason"]) for e in errors) == sorted(cli_errors)


def test_ray_writes_the_clis_parquet_or_csv_table_and_a_new_folder_only(trained, tmp_path):
    import pyarrow.parquet as pq
    import ray

    from eventcoder.predictor import Predictor
    from eventcoder.ray_batch import predict_with_ray, read_records
    from eventcoder.tables import columns

    shards = _inputs(tmp_path)
    (tmp_path / "taken").mkdir()
    with pytest.raises(FileExistsError, match="already exists"):
        predict_with_ray(shards, tmp_path / "taken", trained)
    try:
        counts = predict_with_ray(shards, tmp_path / "pq", trained, workers=1, rows_per_block=64,
                                  output_format="parquet")
        csv_counts = predict_with_ray(shards, tmp_path / "csv", trained, workers=1, rows_per_block=64,
                                      output_format="csv")
    finally:
        ray.shutdown()
    assert (counts["rows"], counts["predictions"], counts["errors"]) == (120, 117, 3) == (
        csv_counts["rows"], csv_counts["predictions"], csv_counts["errors"])
    cols = columns(Predictor.from_pretrained(trained).mention_labels)
    files = list((tmp_path / "pq" / "predictions").glob("*.parquet"))
    assert files and pq.read_table(files[0]).column_names == [*cols, "file", "record"]  # the CLI's table, and more
    table_rows, csv_errors = read_records(tmp_path / "csv")
    assert len(table_rows) == 117 and list(table_rows[0]) == cols and len(csv_errors) == 3
    preds, errors = read_records(tmp_path / "pq")
    assert len(preds) == 117 and len(errors) == 3
    assert {e["row"] for e in errors} == {6, 18, 41}
    assert all(p["event_type"] and "evidence" in p for p in preds)
