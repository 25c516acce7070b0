"""Draw an evaluation's report again from the files `evaluate` saved, without running the model.

metrics.json holds every figure and table of the report and the confusion matrices and reliability
bins the per-set plots need; the casualty plot needs each article's totals (casualty_totals.json).
A report dir written before those totals were kept keeps its casualties.png as it was drawn.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from eventcoder.io import atomic_dir
from eventcoder.report import TOTALS_FILE
from eventcoder.report.render import render_report

RENDERED = ("report.md", "report.html")  # with every .png: what rendering writes, so not carried over


def rerender(out_dir: str | Path, totals_from_sets: bool = False, processed_dir: str | Path | None = None) -> list[str]:
    """Rewrite report.md, report.html and the plots of `out_dir` from its metrics.json (and its
    casualty totals when kept, or, with `totals_from_sets`, rebuilt from the built eval sets under
    `processed_dir` and errors.jsonl: `report.totals`); every other file is carried over unchanged.
    Returns what was done."""
    out = Path(out_dir)
    metrics = out / "metrics.json"
    if not metrics.is_file():
        raise FileNotFoundError(f"{metrics}: not found (python -m eventcoder.evaluate writes it)")
    try:
        result = json.loads(metrics.read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"{metrics}, line {e.lineno}: not JSON ({e.msg})") from e
    missing = [k for k in ("run", "model", "command", "eval_sets", "sections", "vague_table") if k not in result]
    if missing:
        raise ValueError(f"{metrics}: not an evaluation result of eventcoder.evaluate (no {', '.join(missing)})")
    totals_path = out / TOTALS_FILE
    totals = json.loads(totals_path.read_text()) if totals_path.is_file() else None
    done = []
    if totals_from_sets:
        from eventcoder.report.totals import eval_set_loader, read_errors, rebuild_totals

        totals = rebuild_totals(result, read_errors(out / "errors.jsonl"), eval_set_loader(result, processed_dir))
        done.append(f"{TOTALS_FILE} rebuilt from the eval sets and errors.jsonl; it gives back metrics.json's "
                    "count figures of every set")
    with atomic_dir(out) as tmp:
        if totals_from_sets:
            (tmp / TOTALS_FILE).write_text(json.dumps(totals) + "\n")
        for f in out.iterdir():
            if f.name in RENDERED or f.suffix == ".png" or (totals_from_sets and f.name == TOTALS_FILE):
                continue
            (shutil.copytree if f.is_dir() else shutil.copy2)(f, tmp / f.name)
        kept = None
        if totals is None and (out / "casualties.png").is_file():
            kept = Path(shutil.copy2(out / "casualties.png", tmp / "casualties.png"))
            done.append(f"casualties.png kept as drawn by evaluate (no {TOTALS_FILE} to draw it again)")
        render_report(result, totals, tmp, casualty_plot=kept)
        done.insert(0, f"{out}: " + ", ".join(sorted(p.name for p in tmp.iterdir() if p.name in RENDERED
                                                     or p.suffix == ".png")))
    return done
