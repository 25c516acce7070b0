"""Evaluation report rendering: markdown, self-contained HTML (images embedded) and PNG plots
(`render`); the headline lines and the model card's evaluation section (`card`)."""
from __future__ import annotations

from eventcoder.report.render import render_report

__all__ = ["render_report"]
