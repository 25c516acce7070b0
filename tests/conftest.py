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
