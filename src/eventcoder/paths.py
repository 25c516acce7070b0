"""Where the project's configs, sample corpus and reference articles live.

In a checkout (editable or source install) they are the checkout's `configs/`, `data/sample/` and
`seeds/`, and relative paths in configs mean the checkout's. An installed wheel carries its own copy of
`configs/` and `data/sample/` inside the package (pyproject maps them there at build time); relative
paths then mean the current working directory's, falling back to those shipped copies when the working
directory has no such file. Environment variables override each folder; nothing here sets one.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]
# a checkout has pyproject.toml and configs/ two levels above the package; an installed wheel has not
IN_CHECKOUT = (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "configs").is_dir()


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


# Hydra needs a real folder, which a wheel installs unzipped inside the package
CONFIG_DIR = _env_path("EVENTCODER_CONFIG_DIR",
                       REPO_ROOT / "configs" if IN_CHECKOUT else PACKAGE_DIR / "configs")
SAMPLE_DIR = _env_path("EVENTCODER_SAMPLE_DIR",
                       REPO_ROOT / "data" / "sample" if IN_CHECKOUT else PACKAGE_DIR / "sample_data")
# what a wheel ships in place of the checkout's folders of these names
SHIPPED = {Path("configs"): CONFIG_DIR, Path("data/sample"): SAMPLE_DIR}


def base_dir() -> Path:
    """What relative paths in configs are relative to: the checkout, else the working directory."""
    return REPO_ROOT if IN_CHECKOUT else Path.cwd()


def repo_path(path: str | Path) -> Path:
    """A path from a config: absolute as given; relative to the checkout, or outside one to the working
    directory, where a missing `configs/...` or `data/sample/...` means the copy the package ships."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    here = base_dir() / p
    if IN_CHECKOUT or here.exists():
        return here
    for prefix, shipped in SHIPPED.items():
        if p.parts[:len(prefix.parts)] == prefix.parts:
            return shipped.joinpath(*p.parts[len(prefix.parts):])
    return here


SEEDS_DIR = base_dir() / "seeds"
# Third-party material (never copied into the repository): ../shared beside the checkout (or beside the
# working directory outside one), as paths/default.yaml's shared_dir says.
SHARED_DIR = _env_path("EVENTCODER_SHARED_DIR", base_dir().parent / "shared")
