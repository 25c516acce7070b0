"""Several models of one recipe read every window together, and their probabilities are averaged:
`python -m eventcoder.ensemble "models=[A,B,C]" output=models/NAME`.

Stage-2 runs that differ only in the seed score differently on the 74 dev articles (out of fold,
event macro-F1 0.815–0.845 and killed exact 0.811–0.865 over three seeds), and averaging their
weights (`eventcoder.soup`) lands between them. Averaging their *outputs* is the classic ensemble: each window's event probabilities and each
mention's label probabilities are the mean of the members', so one member's luck counts for a
third. It costs one forward pass per member. The directory written holds `ensemble.json` (the
members, relative to it) with the first member's config, tokenizer and label maps;
`Predictor.from_pretrained` loads it like any model directory (torch backends only) and its decoding
settings are tuned afterwards (`eventcoder.crosstune tune_store=true`).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from omegaconf import DictConfig
from torch import nn

from eventcoder.model_dir import (
    ENSEMBLE_FILE,
    check_model_dir,
    check_same_recipe,
    member_dirs,
    members_text,
    write_parts,
)
from eventcoder.paths import repo_path


class EnsembleModel(nn.Module):
    """Members with the same labels and windows; outputs are the log of their mean probabilities, so
    the Predictor's softmax of them gives the averaged probabilities."""

    def __init__(self, members: Sequence[nn.Module]) -> None:
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        self.members = nn.ModuleList(members)
        self.config = members[0].config

    def forward(self, **batch: Any) -> Any:
        from eventcoder.model import EventCoderOutput

        outs = [m(**batch) for m in self.members]
        event = torch.stack([torch.softmax(o.event_logits.float(), -1) for o in outs]).mean(0).log()
        mention = None
        if outs[0].mention_logits is not None:
            mention = torch.stack([torch.softmax(o.mention_logits.float(), -1) for o in outs]).mean(0).log()
        return EventCoderOutput(event_logits=event, mention_logits=mention)


def load_ensemble(ensemble_dir: Path) -> EnsembleModel:
    from eventcoder.model import EventCoderModel

    dirs = member_dirs(ensemble_dir)
    check_same_recipe(dirs, same_encoder=False)
    return EnsembleModel([EventCoderModel.from_pretrained(str(d)).eval() for d in dirs])


def make_ensemble(models: Sequence[str | Path], output: str | Path) -> Path:
    """Write an ensemble directory at `output` naming `models` (paths relative to it)."""
    from eventcoder.io import atomic_dir

    dirs = [check_model_dir(repo_path(m)) for m in models]
    if len(dirs) < 2:
        raise ValueError("an ensemble needs at least two models")
    check_same_recipe(dirs, same_encoder=False)
    out = repo_path(output)
    rel = [os.path.relpath(d.resolve(), out.resolve()) for d in dirs]
    with atomic_dir(out) as tmp:
        (tmp / ENSEMBLE_FILE).write_text(members_text(rel))
        write_parts(tmp, dirs, models, output, f"An ensemble (`python -m eventcoder.ensemble`): every window "
                    f"is read by each of these {len(dirs)} models and their probabilities are averaged.")
    return out


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="ensemble")
    def _run(cfg: DictConfig) -> None:
        print(f"ensemble of {len(cfg.models)} models: {make_ensemble(list(cfg.models), cfg.output)}")

    _run()


if __name__ == "__main__":
    main()
