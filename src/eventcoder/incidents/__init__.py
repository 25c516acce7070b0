"""Incidents: when and where each article's event happened, and one record per incident across its
reports (grouping, then reconciled figures with low, best and high)."""
from __future__ import annotations

from eventcoder.incidents.config import IncidentConfig
from eventcoder.incidents.grouping import group_incidents

__all__ = ["IncidentConfig", "group_incidents"]
