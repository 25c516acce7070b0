"""Output ensembles: each window's probabilities are the mean of the members'; the directory loads
like a model; members that do not fit together, or are gone, are refused by name."""
from __future__ import annotations

import json
import shutil

import pytest
import torch

from eventcoder.ensemble import make_ensemble

TEXT = "Two soldiers were killed and 5 civilians wounded in a clash near the town on Monday."


def _perturbed_copy(trained, path):
    from safetensors.torch import load_file, save_file

    shutil.copytree(trained, path, ignore=shutil.ignore_patterns("checkpoints", "runs", "decoding.json"))
    base = load_file(str(trained / "model.safetensors"))
    gen = torch.Generator().manual_seed(0)
    save_file({k: v + 0.05 * torch.randn(v.shape, generator=gen) if v.is_floating_point() else v
               for k, v in base.items()}, str(path / "model.safetensors"), metadata={"format": "pt"})
    return path


def test_ensemble_averages_the_members_probabilities(trained, tmp_path):
    from eventcoder.predictor import Predictor
    from eventcoder.settings import DecodeSettings

    other = _perturbed_copy(trained, tmp_path / "models" / "other")
    out = make_ensemble([trained, other], tmp_path / "models" / "ens")
    assert not (out / "model.safetensors").exists() and not (out / "decoding.json").exists()
    members = [Predictor.from_pretrained(d, backend="torch") for d in (trained, other)]
    ens = Predictor.from_pretrained(out)
    for p in (*members, ens):  # compare raw scores under the same (default) decoding settings
        p.settings = DecodeSettings()
    a, b = (m.score([TEXT], lexical=True)[0] for m in members)
    e = ens.score([TEXT], lexical=True)[0]
    assert not torch.allclose(a.window_event_log_probs, b.window_event_log_probs, atol=1e-4)
    mean_event = (a.window_event_log_probs.exp() + b.window_event_log_probs.exp()) / 2
    assert torch.allclose(e.window_event_log_probs.exp(), mean_event, atol=1e-5)
    assert len(e.mentions) == len(a.mentions) > 0
    assert torch.allclose(e.mention_probs, (a.mention_probs + b.mention_probs) / 2, atol=1e-5)
    # the members' lexical model (one recipe, one train split) goes along unchanged
    assert e.lexical_log_probs is not None and torch.equal(e.lexical_log_probs, a.lexical_log_probs)
    pred = ens(TEXT)[0]
    assert pred["event_type"] in pred["scores"] and "evidence" in pred


def test_ensemble_refuses_misfits_and_missing_members(trained, tmp_path):
    from eventcoder.predictor import Predictor

    other = tmp_path / "models" / "other"
    shutil.copytree(trained, other, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    config = json.loads((other / "config.json").read_text())
    config["window_length"] = int(config["window_length"]) // 2
    (other / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="window_length"):
        make_ensemble([trained, other], tmp_path / "models" / "ens")
    assert not (tmp_path / "models" / "ens").exists()
    with pytest.raises(ValueError, match="at least two"):
        make_ensemble([trained], tmp_path / "models" / "ens")

    fine = _perturbed_copy(trained, tmp_path / "models" / "fine")
    out = make_ensemble([trained, fine], tmp_path / "models" / "ens")
    with pytest.raises(ValueError, match="only the torch backend"):
        Predictor.from_pretrained(out, backend="onnx")
    from eventcoder.export import export_onnx

    with pytest.raises(ValueError, match="is an ensemble"):
        export_onnx(out)
    assert not (out / "model.onnx").exists()
    shutil.rmtree(fine)
    with pytest.raises(FileNotFoundError, match="fine does not exist"):
        Predictor.from_pretrained(out)
