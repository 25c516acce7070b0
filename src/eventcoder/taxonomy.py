"""Label sets as data: event types, outcomes and victim groups loaded from `configs/taxonomy/*.yaml`.

Everything that needs a label list (dataset builder, model heads, reports, server) takes it from a
`Taxonomy`, so swapping ACLED for UCDP or PLOVER is a YAML file, not a code change.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from pydantic import BaseModel, ConfigDict, Field, model_validator

from eventcoder.paths import CONFIG_DIR
from eventcoder.schema import Article, RecordError

OUTSIDE = "O"


class Taxonomy(BaseModel):
    """Event types (+ the none label), casualty outcomes and victim groups."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    event_types: list[str]
    none_label: str = "none"
    outcomes: list[str] = Field(default_factory=lambda: ["killed", "injured"])
    groups: list[str]
    unknown_group: str = "unknown"
    group_nouns: dict[str, list[str]] = Field(default_factory=dict)  # nouns that name a victim group
    descriptions: dict[str, str] = Field(default_factory=dict)
    # event types that by definition hurt no one (ACLED's protests and strategic developments)
    non_violent: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Taxonomy:
        for what, items in (("event_types", self.event_types), ("outcomes", self.outcomes),
                            ("groups", self.groups)):
            if len(set(items)) != len(items) or not items:
                raise ValueError(f"{what} must be a non-empty list without repeats")
        if self.none_label in self.event_types:
            raise ValueError("none_label must not also be listed in event_types")
        if self.unknown_group not in self.groups:
            raise ValueError(f"unknown_group {self.unknown_group!r} must be one of groups")
        if set(self.non_violent) - set(self.event_types):
            raise ValueError(f"non_violent names types outside {self.event_types}: "
                             f"{sorted(set(self.non_violent) - set(self.event_types))}")
        if set(self.group_nouns) - set(self.groups):
            raise ValueError(f"group_nouns names groups outside {self.groups}: {sorted(set(self.group_nouns) - set(self.groups))}")
        return self

    @cached_property
    def event_labels(self) -> list[str]:
        """Labels of the event head: the event types, then the none label."""
        return [*self.event_types, self.none_label]

    @cached_property
    def mention_labels(self) -> list[str]:
        """Labels of the casualty head: O, then every outcome:group pair."""
        return [OUTSIDE] + [f"{o}:{g}" for o in self.outcomes for g in self.groups]

    def group_of_noun(self, noun: str | None) -> str | None:
        """The victim group a counted noun names ("militants" → militants), or None."""
        low = (noun or "").lower()
        return next((g for g, nouns in self.group_nouns.items() if low in nouns), None)

    def mention_label(self, outcome: str, group: str) -> str:
        return f"{outcome}:{group}"

    @staticmethod
    def split_mention_label(label: str) -> tuple[str, str]:
        outcome, _, group = label.partition(":")
        return outcome, group

    def check_article(self, article: Article, file: str | None = None, row: int | None = None) -> None:
        """Raise RecordError when a label of the article is outside this taxonomy."""
        if article.event_type is not None and article.event_type not in self.event_labels:
            raise RecordError(file, row, "event_type",
                              f"{article.event_type!r} is not in taxonomy {self.name!r} "
                              f"({', '.join(self.event_labels)})", article.id)
        for i, c in enumerate(article.casualties or []):
            if c.outcome not in self.outcomes:
                raise RecordError(file, row, f"casualties.{i}.outcome",
                                  f"{c.outcome!r} is not one of {self.outcomes}", article.id)
            if c.group not in self.groups:
                raise RecordError(file, row, f"casualties.{i}.group",
                                  f"{c.group!r} is not one of {self.groups}", article.id)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump()


def load_taxonomy(spec: str | Path | dict | DictConfig | Taxonomy = "acled") -> Taxonomy:
    """A taxonomy from a name in `configs/taxonomy/`, a YAML path, a dict or a Hydra node."""
    if isinstance(spec, Taxonomy):
        return spec
    if isinstance(spec, DictConfig):
        spec = OmegaConf.to_container(spec, resolve=True)  # type: ignore[assignment]
    if isinstance(spec, dict):
        return Taxonomy.model_validate(spec)
    path = Path(spec)
    if not path.suffix:
        path = CONFIG_DIR / "taxonomy" / f"{spec}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"taxonomy file not found: {path}")
    data = OmegaConf.to_container(OmegaConf.load(path), resolve=True)
    try:
        return Taxonomy.model_validate(data)
    except ValueError as e:
        raise ValueError(f"{path}: invalid taxonomy: {e}") from None
