"""Where the project's configs, sample corpus and reference articles live.

Resolved from the package location (an editable or source checkout) and overridable by environment
variables, so nothing in the code hard-codes a machine path.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def repo_path(path: str | Path) -> Path:
    """A path from a config: absolute as given, relative to the checkout otherwise."""
    p = Path(path)
    return p if p.is_absolute() else REPO_ROOT / p


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


CONFIG_DIR = _env_path("EVENTCODER_CONFIG_DIR", REPO_ROOT / "configs")
SAMPLE_DIR = _env_path("EVENTCODER_SAMPLE_DIR", REPO_ROOT / "data" / "sample")
SEEDS_DIR = REPO_ROOT / "seeds"
# Third-party material (never copied into the repository): ../shared beside the checkout.
SHARED_DIR = _env_path("EVENTCODER_SHARED_DIR", REPO_ROOT.parent / "shared")
