"""The settings of incident grouping and reconciliation; their defaults live in configs/incidents.yaml
(stated once there) and a run can override any of them."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from eventcoder.paths import CONFIG_DIR

DEFAULT_CONFIG = CONFIG_DIR / "incidents.yaml"
BEST_RULES = ("latest", "conservative", "median")


class IncidentConfig(BaseModel):
    """Grouping (blocking window, type compatibility, similarity weights, threshold, distances) and
    the rule for the best figure."""

    model_config = ConfigDict(extra="forbid")
    window_days: int = Field(ge=0)
    type_groups: list[list[str]]
    weights: dict[Literal["text", "place", "date"], float]
    link_threshold: float = Field(ge=0, le=1)
    near_km: float = Field(gt=0)
    far_km: float = Field(gt=0)
    best: Literal["latest", "conservative", "median"]

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> IncidentConfig:
        """The settings of a YAML file (configs/incidents.yaml by default), with overrides applied
        (None values are ignored, as unset command-line options)."""
        p = Path(path) if path else DEFAULT_CONFIG
        if not p.is_file():
            raise FileNotFoundError(f"incident config {p} does not exist")
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(data)
        except ValueError as e:
            raise ValueError(f"{p}: {e}") from None

    def compatible(self, a: str, b: str) -> bool:
        """Whether two event types can report one incident."""
        if a == "none" or b == "none":
            return False
        return a == b or any(a in g and b in g for g in self.type_groups)
