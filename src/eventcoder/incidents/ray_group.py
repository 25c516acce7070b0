"""Incident grouping of an archive on Ray Data: one task per country.

Reports of different countries never link (grouping blocks by country), so each country's records
are grouped on their own (`groupby(country).map_groups`), by the same `group_incidents` as the
local path, and the incident records stream back into one JSONL file written atomically. Records
travel as JSON text, so records of any shape pass through Arrow unchanged. A country's TF-IDF
weights are fitted on that country's records (the local path fits them on all records), so the
two paths can differ on a borderline pair.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from eventcoder.incidents.config import IncidentConfig
from eventcoder.io import atomic_open


def _country(record: dict[str, Any]) -> str:
    return (record.get("where") or {}).get("country_code") or "?"


def _group_country(batch: Any, settings: dict[str, Any]) -> Any:
    """`map_groups` function: one country's records (JSON text) → its incident records (JSON text)."""
    import pandas as pd

    from eventcoder.incidents.grouping import group_incidents

    records = [json.loads(r) for r in batch["record"]]
    incidents = group_incidents(records, IncidentConfig.model_validate(settings))
    country = _country(records[0]) if records else "?"
    for inc in incidents:
        inc["incident_id"] = f"inc-{country}-{inc['incident_id'].removeprefix('inc-')}"
    return pd.DataFrame({"incident": [json.dumps(i, ensure_ascii=False) for i in incidents]}, dtype=object)


def group_with_ray(records: list[dict[str, Any]], output_path: str | Path, config: IncidentConfig) -> int:
    """Group coded records by country on Ray (the cluster at RAY_ADDRESS, else a local Ray) and write
    the incidents to `output_path`; return how many incidents."""
    import ray

    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS"), include_dashboard=False, log_to_driver=False)
    rows = [{"country": _country(r), "record": json.dumps(r, ensure_ascii=False)} for r in records]
    ds = ray.data.from_items(rows).groupby("country").map_groups(
        _group_country, fn_kwargs={"settings": config.model_dump()}, batch_format="pandas")
    n = 0
    with atomic_open(output_path) as fh:
        for row in ds.iter_rows():
            fh.write(row["incident"] + "\n")
            n += 1
    return n
