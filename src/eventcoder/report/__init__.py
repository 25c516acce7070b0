"""Evaluation report rendering: markdown, self-contained HTML (images embedded) and PNG plots
(`render`).

`python -m eventcoder.report DIR` draws an evaluation's report again from its saved files.
"""
from __future__ import annotations

from eventcoder.report.render import render_report

TOTALS_FILE = "casualty_totals.json"  # per set, each article's gold and predicted totals (the casualty plot)

__all__ = ["TOTALS_FILE", "render_report"]
