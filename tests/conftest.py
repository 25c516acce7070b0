"""Shared fixtures: the reference (seed) article, found outside the repository or skipped."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def seed_case():
    from eventcoder.seeds import load_seed_cases

    cases = [c for c in load_seed_cases() if c.text is not None]
    if not cases:
        pytest.skip("reference article text not found (../shared/seeds or EVENTCODER_SEEDS_DIR)")
    return cases[0]


@contextmanager
def config_context() -> Iterator[None]:
    """Hydra initialised on the project's configs (as `python -m eventcoder.<entry>` runs)."""
    from hydra import initialize_config_dir

    from eventcoder.paths import CONFIG_DIR

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        yield


def compose_config(name: str, overrides: list[str] | tuple[str, ...] = ()):
    """The config an entry point composes (`train`, `evaluate`, `build_data`, ...) with these overrides."""
    from hydra import compose

    with config_context():
        return compose(name, overrides=list(overrides))


def compose_train(overrides):
    return compose_config("train", overrides)


@pytest.fixture(name="compose_config")
def compose_config_fixture():
    return compose_config


@pytest.fixture
def hydra_configs():
    """`with hydra_configs(): ...`: code that must run inside an initialised Hydra."""
    return config_context


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """A tiny model trained for 4 steps on the sample corpus by the real entry point."""
    from eventcoder.train import train_model

    root = tmp_path_factory.mktemp("run")
    cfg = compose_train(["experiment=tiny", f"output_dir={root / 'model'}",
                         f"dataset_dir={root / 'data' / 'sample'}", "progress=false", "max_eval_windows=40"])
    return train_model(cfg)
