"""Average the weights of models fine-tuned from one starting point (a "uniform soup", Wortsman et
al. 2022): `python -m eventcoder.soup models=[A,B,C] output=models/NAME`.

Runs of one recipe that differ only in the seed land in different places of one basin; on the 74
dev articles their scores differ by more than the changes we compare (a stage-2 seed moved dev
event macro-F1 out of fold from 0.859 to 0.765 with event settings tuned by macro-F1). Averaging their weights keeps one model's cost at
inference and averages out much of that luck. Refuses models of different architecture, labels or
windows. Writes the soup's directory atomically (weights, config, tokenizer, label maps, a model card
naming its parts); its decoding settings are tuned afterwards (`eventcoder.crosstune tune_store=true`).
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig

from eventcoder.paths import repo_path

SAME = ("event_labels", "mention_labels", "window_length", "window_stride", "headline_context", "mention_context")
COPIED = ("config.json", "tokenizer.json", "tokenizer_config.json", "label_maps.json", "training_config.yaml",
          "lexical.json", "lexical.npz")  # the lexical model of one recipe's train split (eventcoder.lexical)


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


def check_same_recipe(dirs: Sequence[Path], same_encoder: bool = True) -> None:
    """Refuse models whose labels or windows (and, with `same_encoder`, encoder config; else only its
    vocabulary) differ from the first's, naming the model and the difference."""
    configs = [json.loads((d / "config.json").read_text()) for d in dirs]
    for d, c in zip(dirs[1:], configs[1:], strict=True):
        for key in SAME:
            if c.get(key) != configs[0].get(key):
                raise ValueError(f"{d}: {key} {c.get(key)!r} differs from {dirs[0]}'s {configs[0].get(key)!r}")
        enc, first = c.get("encoder") or {}, configs[0].get("encoder") or {}
        if (enc != first) if same_encoder else (enc.get("vocab_size") != first.get("vocab_size")):
            raise ValueError(f"{d}: its {'encoder config' if same_encoder else 'vocabulary'} differs from {dirs[0]}'s")


def write_parts(tmp: Path, dirs: Sequence[Path], models: Sequence[str | Path], output: str | Path,
                what: str) -> None:
    """Copy the first part's config, tokenizer and label maps into `tmp` and write a model card that
    says `what` the model is, lists its parts and how to tune its decoding settings."""
    for name in COPIED:
        if (dirs[0] / name).is_file():
            shutil.copy2(dirs[0] / name, tmp / name)
    parts = "\n".join(f"- `{m}`" for m in models)
    (tmp / "README.md").write_text(
        f"---\nlibrary_name: transformers\ntags: [eventcoder, event-coding, political-violence, acled]\n---\n"
        f"# eventcoder model `{Path(str(output)).name}`\n\n{what}\n\n{parts}\n\nIts decoding settings are not "
        f"theirs: tune them with `python -m eventcoder.crosstune model={output} tune_set=dev_articles tune_store=true`.\n")


def make_soup(models: Sequence[str | Path], output: str | Path) -> Path:
    """Average the models' weights into `output` (a model directory `Predictor` loads)."""
    from safetensors.torch import load_file, save_file

    from eventcoder.io import atomic_dir

    dirs = [repo_path(m) for m in models]
    if len(dirs) < 2:
        raise ValueError("a soup needs at least two models")
    check_same_recipe(dirs)
    soup = average_state([load_file(str(d / "model.safetensors")) for d in dirs])
    out = repo_path(output)
    with atomic_dir(out) as tmp:
        save_file(soup, str(tmp / "model.safetensors"), metadata={"format": "pt"})
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
