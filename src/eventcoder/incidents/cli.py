"""`eventcoder incidents --input coded.jsonl --output incidents.jsonl`: read coded records, group them
into incidents and write one incident record per line (atomically)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventcoder.incidents.config import IncidentConfig
from eventcoder.io import atomic_write_jsonl
from eventcoder.schema import RecordError

REQUIRED = {"id": str, "event_type": str}
OPTIONAL = {"when": dict, "where": dict, "casualties": dict, "evidence": list, "killed": int, "injured": int}


def read_coded(path: str | Path) -> list[dict[str, Any]]:
    """Coded records of a JSONL file; a line that is not one fails naming the file, row and field."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"input {p} does not exist")
    records = []
    with p.open(encoding="utf-8") as fh:
        for row, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise RecordError(str(p), row, None, f"not JSON: {e.msg}") from None
            if not isinstance(rec, dict):
                raise RecordError(str(p), row, None, f"expected a JSON object, got {type(rec).__name__}")
            if isinstance(rec.get("id"), int):
                rec["id"] = str(rec["id"])
            for field, kind in REQUIRED.items():
                if not isinstance(rec.get(field), kind):
                    raise RecordError(str(p), row, field, f"missing or not a {kind.__name__}", rec.get("id"))
            for field, kind in OPTIONAL.items():
                if rec.get(field) is not None and not isinstance(rec[field], kind):
                    raise RecordError(str(p), row, field, f"not a {kind.__name__}", rec.get("id"))
            records.append(rec)
    return records


def run_incidents(input_path: str | Path, output_path: str | Path, config: str | Path | None = None,
                  engine: str = "local", **overrides: Any) -> str:
    """Group the coded records of `input_path` into incidents written to `output_path` (on this
    process, or with engine "ray" one Ray task per country); a summary line."""
    settings = IncidentConfig.load(config, **overrides)
    records = read_coded(input_path)
    events = sum((r.get("event_type") or "none") != "none" for r in records)
    if engine == "ray":
        from eventcoder.incidents.ray_group import group_with_ray

        n = group_with_ray(records, output_path, settings)
    else:
        from eventcoder.incidents.grouping import group_incidents

        n = atomic_write_jsonl(output_path, group_incidents(records, settings))
    return (f"{len(records)} records: {events} event reports in {n} incidents -> {output_path} "
            f"({len(records) - events} coded none left out; best = {settings.best}, window {settings.window_days} days)")
