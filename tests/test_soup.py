"""Weight soups: the mean of the parts' weights, loadable as a model; mismatched parts refused."""
from __future__ import annotations

import json
import shutil

import pytest
import torch

from eventcoder.soup import average_state, make_soup


def test_average_state_means_floats_and_keeps_agreeing_integers():
    a = {"w": torch.tensor([1.0, 3.0]), "ids": torch.tensor([0, 1])}
    b = {"w": torch.tensor([3.0, 5.0]), "ids": torch.tensor([0, 1])}
    out = average_state([a, b])
    assert torch.equal(out["w"], torch.tensor([2.0, 4.0])) and torch.equal(out["ids"], a["ids"])
    with pytest.raises(ValueError, match="integer tensors differ"):
        average_state([a, {**b, "ids": torch.tensor([1, 1])}])
    with pytest.raises(ValueError, match="shapes differ"):
        average_state([a, {**b, "w": torch.zeros(3)}])
    with pytest.raises(ValueError, match="different weights"):
        average_state([a, {"w": b["w"]}])


def test_soup_of_two_runs_is_their_mean_and_predicts(trained, tmp_path):
    from safetensors.torch import load_file, save_file

    from eventcoder.predictor import Predictor

    other = tmp_path / "other"
    shutil.copytree(trained, other, ignore=shutil.ignore_patterns("checkpoints", "runs", "decoding.json"))
    base = load_file(str(trained / "model.safetensors"))
    save_file({k: v + 1.0 if v.is_floating_point() else v for k, v in base.items()},
              str(other / "model.safetensors"), metadata={"format": "pt"})
    out = make_soup([trained, other], tmp_path / "soup")
    soup = load_file(str(out / "model.safetensors"))
    name = next(k for k, v in base.items() if v.is_floating_point())
    assert torch.allclose(soup[name], base[name] + 0.5)
    assert not (out / "decoding.json").exists()  # the parts' decoding settings are not the soup's
    pred = Predictor.from_pretrained(out, backend="torch")("Two soldiers were killed in a clash.")[0]
    assert pred["event_type"] in pred["scores"]

    from eventcoder.model_card import render_card

    card = render_card(out)  # the card describes the soup by its parts, each part's training from its own dir
    assert f"a weight soup of `{trained}`, `{other}`" in card
    assert card.count("### Part `") == 2 and card.count("Trained with `python -m eventcoder.train`") == 2


def test_soup_refuses_parts_with_other_labels(trained, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(trained, other, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    config = json.loads((other / "config.json").read_text())
    config["event_labels"] = list(reversed(config["event_labels"]))
    (other / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="event_labels"):
        make_soup([trained, other], tmp_path / "soup")
    assert not (tmp_path / "soup").exists()
    with pytest.raises(ValueError, match="at least two"):
        make_soup([trained], tmp_path / "soup")
