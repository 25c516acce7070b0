"""Shared fixtures: the reference (seed) article, found outside the repository or skipped."""
from __future__ import annotations

import os

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


def compose_train(overrides):
    from hydra import compose, initialize_config_dir

    from eventcoder.paths import CONFIG_DIR

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=overrides)


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """A tiny model trained for 4 steps on the sample corpus by the real entry point."""
    from eventcoder.train import train_model

    root = tmp_path_factory.mktemp("run")
    cfg = compose_train(["experiment=tiny", f"output_dir={root / 'model'}",
                         f"dataset_dir={root / 'data' / 'sample'}", "progress=false", "max_eval_windows=40"])
    return train_model(cfg)
