"""Average the weights of models fine-tuned from one starting point (a "uniform soup", Wortsman et
al. 2022): `python -m eventcoder.soup models=[A,B,C] output=models/NAME`.

Runs of one recipe that differ only in the seed land in different places of one basin; on the 74
dev articles their scores differ by more than the changes we compare (a stage-2 seed moved dev
event macro-F1 out of fold from 0.859 to 0.765 with event settings tuned by macro-F1). Averaging their weights keeps one model's cost at
inference and averages out much of that luck. Refuses models of different architecture, labels or
windows. Writes the soup's directory atomically (weights, config, tokenizer, label maps, its parts in
soup.json for the model card); its decoding settings are tuned afterwards (`eventcoder.crosstune tune_store=true`).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig

from eventcoder.model_dir import SOUP_FILE, WEIGHTS_FILE, check_same_recipe, write_parts
from eventcoder.paths import repo_path


def average_state(states: Sequence[dict]) -> dict:
    """Element-wise mean of floating tensors; other tensors (integer buffers) must agree and are kept."""
    import torch

    keys = set(states[0])
    for i, s in enumerate(states[1:], start=1):
        if set(s) != keys:
            raise ValueError(f"model {i} has different weights: {sorted(keys ^ set(s))[:5]}")
    out = {}
    for k in states[0]:
        ts = [s[k] for s in states]
        if any(t.shape != ts[0].shape for t in ts):
            raise ValueError(f"weight {k}: shapes differ ({[tuple(t.shape) for t in ts]})")
        if ts[0].is_floating_point():
            out[k] = torch.stack([t.float() for t in ts]).mean(0).to(ts[0].dtype)
        elif all(torch.equal(t, ts[0]) for t in ts):
            out[k] = ts[0]
        else:
            raise ValueError(f"weight {k}: integer tensors differ between models")
    return out


def make_soup(models: Sequence[str | Path], output: str | Path) -> Path:
    """Average the models' weights into `output` (a model directory `Predictor` loads)."""
    from safetensors.torch import load_file, save_file

    from eventcoder.io import atomic_dir

    dirs = [repo_path(m) for m in models]
    if len(dirs) < 2:
        raise ValueError("a soup needs at least two models")
    check_same_recipe(dirs)
    soup = average_state([load_file(str(d / WEIGHTS_FILE)) for d in dirs])
    out = repo_path(output)
    with atomic_dir(out) as tmp:
        save_file(soup, str(tmp / WEIGHTS_FILE), metadata={"format": "pt"})
        (tmp / SOUP_FILE).write_text(json.dumps({"parts": [str(m) for m in models]}, indent=2) + "\n")
        write_parts(tmp, dirs, models, output,
                    f"The mean of the weights of {len(dirs)} models of one recipe (`python -m eventcoder.soup`):")
    return out


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="soup")
    def _run(cfg: DictConfig) -> None:
        print(f"soup of {len(cfg.models)} models: {make_soup(list(cfg.models), cfg.output)}")

    _run()


if __name__ == "__main__":
    main()
