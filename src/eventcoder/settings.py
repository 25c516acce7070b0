"""Every decoding setting a model runs with: one typed object, its defaults stated once here.

Two groups: how the article's event type is read from its windows' scores (`EventDecoding`), and
whether the learned toll step picks the figures (`CasualtyDecoding`). No hand rule is left: the
thresholds and rules once fitted on top of the mention head did not pay on a dev set they were not
fitted on (`docs/experiments.md`, `reports/ablation-real-mpnet/`, `reports/ablation-real/`). A model directory stores the whole
object in `decoding.json` (`save`, `load`), with what its fitted values were fitted on, so the
directory states every setting it runs with; a directory without the file runs with the defaults.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from eventcoder.model_dir import LEGACY_SETTINGS_FILE, SETTINGS_FILE


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class EventDecoding(_Group):
    """The article's event scores: a weighted mean of its windows' log-probabilities."""

    temperature: float = 1.0  # event-score temperature (confidence only: the argmax does not move)
    lead_weight: float = 1.0  # weight of the first window (headline and lead); later windows weigh 1
    headline_weight: float = 0.0  # weight of the headline read alone (0: not read)
    lexical_weight: float = 0.0  # weight of the lexical model's log-probabilities (0: not used)


class CasualtyDecoding(_Group):
    """How figures become the event's toll."""

    learned_toll: bool = True  # the model dir's learned toll step (`eventcoder.toll`) picks the figures
    # of the event's toll and their groups; off, or without a step: every count mention whose likeliest
    # label is a casualty label


GROUPS = {"event": EventDecoding, "casualties": CasualtyDecoding}
REMOVED_GROUPS = ("rules",)  # the hand rules' switches, removed with the rules (`docs/experiments.md`)


class DecodeSettings(BaseModel):
    """The whole set, as stored in a model directory."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    event: EventDecoding = EventDecoding()
    casualties: CasualtyDecoding = CasualtyDecoding()
    fitted_on: str | None = None  # where the fitted values were fitted (None: the defaults)
    fit: dict[str, Any] = {}  # what the fit measured (grids and their scores), for the record

    @staticmethod
    def group_of(name: str) -> str:
        """The group a setting belongs to; a ValueError naming every setting for an unknown name."""
        for group, model in GROUPS.items():
            if name in model.model_fields:
                return group
        raise ValueError(f"{name!r} is not a decoding setting (one of {', '.join(names())})")

    def get(self, name: str) -> Any:
        return getattr(getattr(self, self.group_of(name)), name)

    def set(self, name: str, value: Any) -> None:
        """Set one setting by its name, validated and converted to its type."""
        setattr(getattr(self, self.group_of(name)), name, value)

    def flat(self, group: str | None = None) -> dict[str, Any]:
        """Settings by name (of one group, or all)."""
        return {n: self.get(n) for n in names(group)}

    def save(self, model_dir: str | Path) -> Path:
        from eventcoder.io import atomic_write_text

        path = Path(model_dir) / SETTINGS_FILE
        atomic_write_text(path, json.dumps(self.model_dump(mode="json"), indent=2) + "\n")
        return path

    @classmethod
    def load(cls, model_dir: str | Path) -> DecodeSettings:
        """The directory's settings (defaults when it has none); a bad file fails naming it."""
        path = Path(model_dir) / SETTINGS_FILE
        if not path.is_file():
            return cls._from_flat_file(Path(model_dir) / LEGACY_SETTINGS_FILE)
        try:
            stored = json.loads(path.read_text())
            for group in REMOVED_GROUPS:  # settings a directory may store that no longer exist: no effect
                stored.pop(group, None)
            return cls.model_validate(stored)
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None

    @classmethod
    def _from_flat_file(cls, path: Path) -> DecodeSettings:
        """The settings of a model directory written before `decoding.json`: its fitted values by name
        in `calibration.json`, every other setting at its default."""
        settings = cls()
        if path.is_file():
            stored = json.loads(path.read_text())
            for name in names():
                if name in stored:
                    settings.set(name, stored[name])
            settings.fitted_on = stored.get("fitted_on")
        return settings


def names(group: str | None = None) -> tuple[str, ...]:
    """Every setting's name (of one group, or all)."""
    groups = [group] if group else list(GROUPS)
    return tuple(n for g in groups for n in GROUPS[g].model_fields)


def default(name: str) -> Any:
    """A setting's default value."""
    return DecodeSettings().get(name)
