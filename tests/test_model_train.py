"""Model, windows, training (tiny BERT, a few steps) and the saved model directory."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import AutoModel, AutoTokenizer

from eventcoder.backbones import tiny_encoder_dir
from eventcoder.features import article_windows
from eventcoder.model import EventCoderModel
from eventcoder.paths import CONFIG_DIR
from eventcoder.predictor import Predictor
from eventcoder.taxonomy import load_taxonomy

TAX = load_taxonomy("acled")


@pytest.fixture(scope="module")
def tiny_backbone(tmp_path_factory):
    return tiny_encoder_dir(str(tmp_path_factory.mktemp("tiny")))


from conftest import compose_train  # noqa: E402


def test_every_experiment_composes():
    names = sorted(p.stem for p in (CONFIG_DIR / "experiment").glob("*.yaml"))
    assert {"sample", "tiny"} <= set(names)
    for name in names:
        cfg = compose_train([f"experiment={name}"])
        assert cfg.model.backbone and cfg.trainer.per_device_train_batch_size > 0 and cfg.data.sources


def test_unknown_config_key_fails_with_hydras_message():
    proc = subprocess.run([sys.executable, "-m", "eventcoder.train", "trainer.no_such_key=1"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "no_such_key" in proc.stderr


def test_masked_mentions_do_not_contribute_to_the_loss(tiny_backbone):
    model = EventCoderModel.from_backbone(tiny_backbone, TAX.event_labels, TAX.mention_labels).eval()
    batch = {"input_ids": torch.tensor([[101, 2048, 3548, 2020, 2730, 102]]),
             "attention_mask": torch.ones(1, 6, dtype=torch.long),
             "mention_spans": torch.tensor([[[1, 2], [2, 3]]]), "event_labels": torch.tensor([0])}
    only_event = model(**batch, mention_labels=torch.tensor([[-100, -100]])).loss
    assert torch.allclose(only_event, model(**batch).loss)
    one = model(**batch, mention_labels=torch.tensor([[1, -100]])).loss
    changed = model(**batch, mention_labels=torch.tensor([[1, 3]])).loss
    assert not torch.allclose(one, only_event) and not torch.allclose(one, changed)


def test_mention_context_uses_nearby_tokens_and_ignores_padding(tiny_backbone):
    torch.manual_seed(0)
    model = EventCoderModel.from_backbone(tiny_backbone, TAX.event_labels, TAX.mention_labels,
                                          mention_context=1).eval()
    assert model.mention_head[0].in_features == 3 * model.encoder.config.hidden_size
    ids = torch.tensor([[101, 2048, 3548, 2020, 2730, 102]])
    spans = torch.tensor([[[1, 2], [0, 0]]])  # second slot is padding
    base = model(input_ids=ids, attention_mask=torch.ones_like(ids), mention_spans=spans).mention_logits
    assert torch.isfinite(base).all()
    padded_ids = torch.cat([ids, torch.zeros(1, 4, dtype=torch.long)], 1)
    mask = torch.cat([torch.ones_like(ids), torch.zeros(1, 4, dtype=torch.long)], 1)
    padded = model(input_ids=padded_ids, attention_mask=mask, mention_spans=spans).mention_logits
    assert torch.allclose(base[0, 0], padded[0, 0], atol=1e-5)
    # the context pool reads the neighbours: zeroing the context part of the head changes the logits
    with torch.no_grad():
        h = model.encoder.config.hidden_size
        model.mention_head[0].weight[:, h:2 * h] = 0
    without = model(input_ids=ids, attention_mask=torch.ones_like(ids), mention_spans=spans).mention_logits
    assert not torch.allclose(base[0, 0], without[0, 0])


def test_windows_cover_a_long_text_and_hold_mentions_whole(tiny_backbone):
    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    text = "The weather was calm. " * 120 + "Later 14 soldiers were killed."
    start = text.index("14")
    wins = article_windows(tok, [text], [[(start, start + 2)]], max_length=64, stride=16)
    assert len(wins) > 5
    holding = [w for w in wins if w["mentions"]]
    assert holding and holding[-1] is wins[-1]
    ids = wins[-1]["input_ids"]
    _, s, e = wins[-1]["mentions"][0]
    assert tok.decode(ids[s:e]) == "14"


def test_window_mentions_bisection_finds_the_tokens_a_scan_finds():
    from eventcoder.features import _window_mentions

    # (token index, char start, char end, sequence): "[CLS] 1,200 were killed [SEP]" cut in word pieces
    tokens = [(1, 0, 1), (2, 1, 2), (3, 2, 5), (4, 6, 10), (5, 11, 17), (6, 17, 18)]
    tokens = [(*t, 0) for t in tokens]
    # several pieces, the last pieces (a piece ends where it starts), one word, inside one, past the end
    spans = [(0, 5), (2, 5), (6, 10), (12, 14), (18, 20), (30, 32)]
    ranges = [(0, 18)]

    def scan(toks):
        out = []
        for mi, (cs, ce) in enumerate(spans):
            hit = [k for k, ts, te, _ in toks if ts < ce and cs < te]
            if any(lo <= cs and ce <= hi for lo, hi in ranges) and hit:
                out.append((mi, hit[0], hit[-1] + 1))
        return out

    assert _window_mentions(tokens, ranges, spans) == scan(tokens) == [(0, 1, 4), (1, 3, 4), (2, 4, 5), (3, 5, 6)]
    shuffled = [tokens[1], tokens[0]] + tokens[2:]  # offsets out of order: the scan is used, same answer
    assert _window_mentions(shuffled, ranges, spans) == scan(shuffled)


def test_headline_windows_add_each_headline_alone_with_its_article_label(tiny_backbone):
    from eventcoder.features import windows_for_training

    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    head = "Gunmen kill 3 police officers in raid"
    texts = [head + "\n\n" + "The raid began at dawn. " * 30, "One paragraph: 5 people died."]
    batch = {"text": texts, "id": ["a", "b"], "event_label": [2, 4],
             "mention_start": [[texts[0].index("3 ")], [15]], "mention_end": [[texts[0].index("3 ") + 1], [16]],
             "mention_label": [[1], [3]]}
    plain = windows_for_training(tok, batch, 64, 16)
    more = windows_for_training(tok, batch, 64, 16, headline_windows=True)
    added = len(more["input_ids"]) - len(plain["input_ids"])
    assert added == 1 and more["input_ids"][:-1] == plain["input_ids"]  # one headline; the text without one adds none
    assert more["input_ids"][-1] == tok(head)["input_ids"]  # the headline alone, as the Predictor reads it
    assert (more["event_labels"][-1], more["article_id"][-1]) == (2, "a")
    assert more["mention_labels"][-1] == [] and more["mention_token_start"][-1] == []


def test_headline_context_repeats_the_headline_in_every_window(tiny_backbone):
    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    head = "Gunmen kill 3 police officers in raid"
    text = head + "\n\n" + "The weather was calm. " * 60 + "Later 14 soldiers were killed. " + "Talks went on. " * 40
    spans = [(text.index("3 "), text.index("3 ") + 1), (text.index("14"), text.index("14") + 2)]
    plain = article_windows(tok, [text, "One paragraph: 5 people died."], [spans, [(15, 16)]], 64, 16)
    wins = article_windows(tok, [text, "One paragraph: 5 people died."], [spans, [(15, 16)]], 64, 16,
                           headline_context=True)
    head_ids = tok(head, add_special_tokens=False)["input_ids"]
    article = [w for w in wins if w["article"] == 0]
    assert len(article) > 3 and all(w["input_ids"][1:1 + len(head_ids)] == head_ids for w in article)
    assert all(w["article"] == 0 for w in wins[:len(article)])  # reading order, article by article
    # the headline's figure belongs to every window; the body's to those holding it, decoded right
    for w in article:
        by_index = {mi: tok.decode(w["input_ids"][s:e]) for mi, s, e in w["mentions"]}
        assert by_index[0] == "3" and by_index.get(1, "14") == "14"
    assert sum(1 for w in article if any(mi == 1 for mi, _, _ in w["mentions"])) >= 1
    # a text without a headline is cut exactly as before
    assert [w["input_ids"] for w in wins if w["article"] == 1] == [w["input_ids"] for w in plain if w["article"] == 1]
    # without the flag the headline appears in the first window only
    assert plain[1]["input_ids"][1:1 + len(head_ids)] != head_ids


def test_predictor_reads_every_window(trained, monkeypatch):
    p = Predictor.from_pretrained(trained)
    text = "Officials met to discuss the budget. " * 150 + "Gunmen killed 14 villagers on Sunday."
    n_windows = len(article_windows(p.tokenizer, [text], [[]], p.config.window_length, p.config.window_stride))
    assert n_windows > 4
    seen = {"windows": 0, "mentions": 0}
    forward = p.model.forward

    def counting(**kw):
        seen["windows"] += kw["input_ids"].shape[0]
        seen["mentions"] += int((kw["mention_spans"][..., 1] > 0).sum())
        return forward(**kw)

    monkeypatch.setattr(p.model, "forward", counting)
    out = p([text], batch_size=3)[0]
    assert seen["windows"] == n_windows  # every window of the long article went through the model
    assert seen["mentions"] >= 1  # the figure in the last paragraph reached the casualty head
    assert abs(sum(out["scores"].values()) - 1) < 1e-3


def test_save_load_round_trip_restores_predictions(trained, tmp_path):
    model = AutoModel.from_pretrained(str(trained))
    assert isinstance(model, EventCoderModel)
    p1 = Predictor.from_pretrained(trained)
    model.save_pretrained(str(tmp_path / "copy"))
    p1.tokenizer.save_pretrained(str(tmp_path / "copy"))
    (tmp_path / "copy" / "label_maps.json").write_text((Path(trained) / "label_maps.json").read_text())
    p2 = Predictor.from_pretrained(tmp_path / "copy")
    texts = ["Two soldiers were killed and 5 civilians hurt in a blast.", "Thousands marched peacefully."]
    assert p1(texts) == p2(texts)


def test_model_card_and_label_maps(trained):
    card = (Path(trained) / "README.md").read_text()
    metrics = json.loads((Path(trained) / "metrics.json").read_text())["validation"]
    assert "eval_event_macro_f1" in metrics and f"{metrics['eval_event_macro_f1']:.4f}" in card
    maps = json.loads((Path(trained) / "label_maps.json").read_text())
    assert maps["event_labels"] == TAX.event_labels


@pytest.mark.parametrize(("victim", "message"), [("model.safetensors", "missing model.safetensors"),
                                                 ("label_maps.json", "missing label_maps.json")])
def test_missing_file_in_model_dir_is_named(trained, tmp_path, victim, message):
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(trained, copy, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    (copy / victim).unlink()
    with pytest.raises(FileNotFoundError, match=message):
        Predictor.from_pretrained(copy)


def test_corrupt_config_is_named(trained, tmp_path):
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(trained, copy, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    (copy / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="config.json is corrupt"):
        Predictor.from_pretrained(copy)


def test_resume_from_last_checkpoint(trained):
    from eventcoder.train import train_model

    ckpts = sorted(Path(trained, "checkpoints").glob("checkpoint-*"))
    assert ckpts, "the tiny run saves checkpoints"
    cfg = compose_train(["experiment=tiny", f"output_dir={trained}", f"dataset_dir={Path(trained).parent / 'data' / 'sample'}",
                         "progress=false", "resume=true", "trainer.max_steps=6", "max_eval_windows=40"])
    out = train_model(cfg)
    state = json.loads((sorted(Path(out, "checkpoints").glob("checkpoint-*"),
                               key=lambda p: int(p.name.split("-")[1]))[-1] / "trainer_state.json").read_text())
    assert state["global_step"] == 6
    first = [h for h in state["log_history"] if "loss" in h]
    assert first[0]["step"] == 1  # history carried over from the first run: resumed, not restarted


def test_resume_skips_a_checkpoint_left_half_written(trained, tmp_path):
    """A run killed while a checkpoint was written leaves its trainer_state.json empty: resume from
    the whole one before it (a reader killed right after the file appeared)."""
    import shutil

    from eventcoder.train import last_complete_checkpoint, train_model

    out = tmp_path / "model"
    shutil.copytree(trained, out)
    ckpts = sorted((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    whole = ckpts[-1]
    step = json.loads((whole / "trainer_state.json").read_text())["global_step"]
    broken = out / "checkpoints" / f"checkpoint-{step + 1}"
    shutil.copytree(whole, broken)
    (broken / "trainer_state.json").write_text("")
    assert last_complete_checkpoint(out / "checkpoints") == whole
    assert last_complete_checkpoint(tmp_path / "none") is None
    shutil.rmtree(broken)
    shutil.copytree(whole, broken)
    for w in broken.glob("*.safetensors"):
        w.unlink()
    assert last_complete_checkpoint(out / "checkpoints") == whole  # no weights: not whole either
    (broken / "trainer_state.json").write_text("")
    cfg = compose_train(["experiment=tiny", f"output_dir={out}", f"dataset_dir={Path(trained).parent / 'data' / 'sample'}",
                         "progress=false", "resume=true", f"trainer.max_steps={step + 2}", "max_eval_windows=40"])
    train_model(cfg)
    state = last_state(out)
    assert state["global_step"] == step + 2
    assert [h for h in state["log_history"] if "loss" in h][0]["step"] == 1  # resumed from `whole`, not restarted


def last_state(model_dir) -> dict:
    ckpts = sorted(Path(model_dir, "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    return json.loads((ckpts[-1] / "trainer_state.json").read_text())


def test_ddp_two_processes_train_and_save(tmp_path, trained):
    """The same command under torchrun (gloo on CPU) trains with 2 processes and rank 0 saves."""
    torchrun = Path(sys.executable).with_name("torchrun")
    proc = subprocess.run([str(torchrun), "--nproc_per_node=2", "-m", "eventcoder.train", "experiment=tiny",
                           "trainer=ddp", f"output_dir={tmp_path / 'model'}", f"dataset_dir={tmp_path / 'data' / 'sample'}",
                           "progress=false", "max_eval_windows=40"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("model saved") == 1  # rank 0 only
    state = last_state(tmp_path / "model")
    single = next(h for h in last_state(trained)["log_history"] if h.get("step") == 4)
    ddp = next(h for h in state["log_history"] if h.get("step") == 4)
    # same steps and per-device batch as the 1-process fixture, twice the data: 2 processes took part
    assert state["global_step"] == 4
    assert abs(ddp["epoch"] / single["epoch"] - 2) < 0.1
    assert (tmp_path / "model" / "model.safetensors").is_file()
    assert Predictor.from_pretrained(tmp_path / "model")(["Two soldiers were killed."])[0]["event_type"]


def _needs_plugin(module: str) -> pytest.MarkDecorator:
    try:
        missing = importlib.util.find_spec(module) is None
    except ModuleNotFoundError:  # not even the plugins' namespace package is installed
        missing = True
    return pytest.mark.skipif(missing, reason="optional extra: pip install eventcoder[slurm]")


LAUNCHERS = [
    pytest.param([], id="sequential"),
    # joblib: our hydra/launcher=local; submitit_local: the SLURM launcher's code path, run on this machine
    pytest.param(["hydra/launcher=local"], id="joblib", marks=_needs_plugin("hydra_plugins.hydra_joblib_launcher")),
    pytest.param(["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10"], id="submitit",
                 marks=_needs_plugin("hydra_plugins.hydra_submitit_launcher")),
]


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_multirun_sweep_trains_one_model_per_value(tmp_path, launcher):
    proc = subprocess.run([sys.executable, "-m", "eventcoder.train", "-m", "experiment=tiny", *launcher,
                           "trainer.learning_rate=1e-5,3e-5", f"output_dir={tmp_path}/lr${{trainer.learning_rate}}",
                           f"dataset_dir={tmp_path / 'data'}", "progress=false", "max_eval_windows=20",
                           f"hydra.sweep.dir={tmp_path / 'multirun'}"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    from omegaconf import OmegaConf

    for lr in ("1e-05", "3e-05"):
        cfg = OmegaConf.load(tmp_path / f"lr{lr}" / "training_config.yaml")
        assert cfg.trainer.learning_rate == float(lr)
        assert (tmp_path / f"lr{lr}" / "model.safetensors").is_file()


def test_a_dataset_built_from_another_data_config_is_rebuilt(tmp_path):
    from omegaconf import OmegaConf

    from eventcoder.train import _build_is_stale

    cfg = compose_train(["experiment=tiny"])
    stored = OmegaConf.to_container(cfg.data, resolve=False)
    (tmp_path / "stats.json").write_text(json.dumps({"config": stored}))
    assert not _build_is_stale(tmp_path, cfg)
    changed = compose_train(["experiment=tiny", "data.sources.sample.weight=2.0"])
    assert _build_is_stale(tmp_path, changed)


def test_a_dataset_whose_input_files_changed_is_rebuilt(tmp_path):
    """Same config, but a record added to a source file: the stored input digest no longer matches."""
    import shutil

    from omegaconf import OmegaConf

    from eventcoder.data.build import input_digests
    from eventcoder.paths import SAMPLE_DIR
    from eventcoder.train import _build_is_stale

    shutil.copytree(SAMPLE_DIR, tmp_path / "sample")
    cfg = compose_train(["experiment=tiny", f"data.sources.sample.path={tmp_path / 'sample'}"])
    (tmp_path / "stats.json").write_text(json.dumps({"config": OmegaConf.to_container(cfg.data, resolve=False),
                                                     "inputs": input_digests(cfg.data)}))
    assert not _build_is_stale(tmp_path, cfg)
    first = sorted((tmp_path / "sample").glob("*.jsonl"))[0]
    first.write_text(first.read_text() + first.read_text().splitlines()[0] + "\n")
    assert _build_is_stale(tmp_path, cfg)


def test_second_stage_continues_from_a_trained_model_on_chosen_sources(trained, tmp_path):
    from safetensors.torch import load_file

    from eventcoder.train import train_model

    data = Path(trained).parent / "data" / "sample"
    cfg = compose_train(["experiment=tiny", f"output_dir={tmp_path / 'stage2'}", f"dataset_dir={data}",
                         "progress=false", "max_eval_windows=20", f"init_from={trained}", "train_sources=[sample]",
                         "trainer.max_steps=1", "trainer.learning_rate=0.0", "model.head_learning_rate=0.0",
                         "model.mention_loss_weight=3.5"])
    out = train_model(cfg)
    # the stage's own loss weighting, not the first stage's, is used and saved
    assert json.loads((Path(trained) / "config.json").read_text())["mention_loss_weight"] != 3.5
    assert json.loads((out / "config.json").read_text())["mention_loss_weight"] == 3.5
    # with a zero learning rate the second stage must hand back exactly the weights it started from
    before, after = load_file(str(Path(trained) / "model.safetensors")), load_file(str(out / "model.safetensors"))
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert f"Continued from the trained model `{trained}`" in (out / "README.md").read_text()

    wrong = compose_train(["experiment=tiny", "taxonomy=ucdp", f"output_dir={tmp_path / 'bad'}",
                           f"dataset_dir={tmp_path / 'ucdp-data'}", "progress=false", f"init_from={trained}"])
    with pytest.raises(ValueError, match="label_maps.json: labels differ from taxonomy 'ucdp'"):
        train_model(wrong)


def test_distillation_loss_is_zero_for_the_teachers_own_scores_and_grows_with_disagreement():
    from eventcoder.train import distillation_loss

    teacher = torch.tensor([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    assert distillation_loss(teacher.clone(), teacher, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    near, far = teacher + torch.tensor([0.3, 0.0, 0.0]), teacher.flip(-1)
    assert 0 < distillation_loss(near, teacher, 2.0) < distillation_loss(far, teacher, 2.0)


def test_student_keeps_chosen_layers_of_its_teacher_and_learns_from_it(trained, tmp_path):
    from safetensors.torch import load_file

    from eventcoder.train import train_model

    data = Path(trained).parent / "data" / "sample"
    base = ["experiment=tiny", f"dataset_dir={data}", "progress=false", "max_eval_windows=20",
            f"init_from={trained}", "keep_layers=[1]", "trainer.max_steps=1", "trainer.learning_rate=0.0",
            "model.head_learning_rate=0.0", "trainer.logging_steps=1"]
    out = train_model(compose_train(base + [f"output_dir={tmp_path / 'student'}", "model.window_stride=16"]))
    teacher, student = load_file(str(Path(trained) / "model.safetensors")), load_file(str(out / "model.safetensors"))
    # the student is the teacher's layer 1 renumbered as layer 0, with the same embeddings and heads
    assert not any(".layer.1." in k for k in student)
    for k, v in student.items():
        assert torch.equal(v, teacher[k.replace(".layer.0.", ".layer.1.")]), k
    loaded = EventCoderModel.from_pretrained(str(out))
    assert len(loaded.encoder.encoder.layer) == 1 and loaded.config.encoder["num_hidden_layers"] == 1
    assert loaded.config.window_stride == 16  # the model reads windows as this run cut them, not as its teacher did
    assert "encoder layers [1] of" in (out / "README.md").read_text()
    assert Predictor.from_pretrained(out)(["Two people were killed in a clash in the town."])[0]["event_type"]

    # distillation changes the loss the trainer reports (same weights, same batch: only the KD term differs)
    def first_loss(run: Path) -> float:
        state = json.loads(sorted(run.glob("checkpoints/checkpoint-*/trainer_state.json"))[-1].read_text())
        return next(e["loss"] for e in state["log_history"] if "loss" in e)

    kd = train_model(compose_train(base + [f"output_dir={tmp_path / 'kd'}", f"distill.teacher={trained}",
                                           "distill.weight=1.0"]))
    assert "Distilled from" in (kd / "README.md").read_text()
    assert first_loss(kd) != pytest.approx(first_loss(out))
    with pytest.raises(ValueError, match="keep_layers needs init_from"):
        train_model(compose_train(["experiment=tiny", f"dataset_dir={data}", "keep_layers=[0]",
                                   f"output_dir={tmp_path / 'bad'}"]))
    with pytest.raises(ValueError, match=r"keep_layers \[3\]"):
        train_model(compose_train(base[:-5] + ["keep_layers=[3]", f"output_dir={tmp_path / 'bad2'}"]))


def test_predictor_cuts_windows_the_way_the_model_was_trained(trained, monkeypatch):
    p = Predictor.from_pretrained(trained)
    head = "Gunmen kill 3 police officers in raid"
    text = head + "\n\n" + "Officials met to discuss the budget. " * 120 + "Gunmen killed 14 villagers on Sunday."
    head_ids = p.tokenizer(head, add_special_tokens=False)["input_ids"]
    monkeypatch.setattr(p.config, "headline_context", True)
    batches = []
    forward = p.model.forward

    def recording(**kw):
        batches.append(kw["input_ids"])
        return forward(**kw)

    monkeypatch.setattr(p.model, "forward", recording)
    scores = p.score([text], batch_size=4)[0]
    windows = [row for ids in batches for row in ids.tolist()]
    assert len(windows) > 4 and all(row[1:1 + len(head_ids)] == head_ids for row in windows)
    held = {m.text: int(n) for m, n in zip(scores.mentions, scores.mention_windows, strict=True)}
    assert held["3"] == len(windows) and 1 <= held["14"] < len(windows)  # headline figure: every window


def test_headline_context_skips_a_headline_too_long_for_the_window(tiny_backbone):
    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    text = "Gunmen kill police officers " * 8 + "in raid\n\n" + "The weather was calm. " * 40
    paired = article_windows(tok, [text], [[]], 32, 8, headline_context=True)
    assert [w["input_ids"] for w in paired] == [w["input_ids"] for w in article_windows(tok, [text], [[]], 32, 8)]


def test_cross_fitting_scores_every_row_with_a_model_that_left_it_out(compose_config, trained, tmp_path):
    from datasets import load_from_disk

    from eventcoder.crossfit import cross_fit, load_oof_scores
    from eventcoder.data.split import fold_index

    data = Path(trained).parent / "data" / "sample"
    cfg = compose_train(["experiment=tiny", f"dataset_dir={data}", "progress=false", "max_eval_windows=20",
                         f"init_from={trained}", "trainer.max_steps=1", f"output_dir={tmp_path / 'final'}",
                         "crossfit.folds=2", "crossfit.sources=[sample]"])
    scores = cross_fit(cfg)
    pool = [r for r in load_from_disk(str(data / "dataset"))["train"] if r["source"] == "sample"]
    predictor = Predictor.from_pretrained(tmp_path / "final-crossfit" / "fold0")
    rows, raw, summary = load_oof_scores(scores, predictor)
    # the leak check scores each fold model on its held-out rows and on validation rows alike
    assert [f["held_out"]["articles"] for f in summary["per_fold"]] == [
        sum(fold_index(r["id"], 2) == f for r in rows) for f in range(2)]
    assert all(set(f["validation"]) == {"articles", "event_accuracy", "killed_exact", "injured_exact"}
               for f in summary["per_fold"])
    # every train row of the source is scored once, by the model of its own fold
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in pool) and len(raw) == len(rows)
    # stored as scoring reads them: gold spans parsed (calibration breaks ties on groups and spans)
    assert any(isinstance(r["gold_casualties"], list) for r in rows)
    assert all(r["gold_casualties"] is None or isinstance(r["gold_casualties"], list) for r in rows)
    held0 = [r for r in rows if fold_index(r["id"], 2) == 0]
    assert 0 < len(held0) < len(rows)
    card = (tmp_path / "final-crossfit" / "fold0" / "README.md").read_text()
    assert f"fold 0 of 2 of the sample train rows left out: {len(held0)} rows" in card  # the fold model never saw them
    again = predictor.score([held0[0]["text"]], headlines=True)[0]
    first = next(sc for r, sc in zip(rows, raw, strict=True) if r["id"] == held0[0]["id"])
    assert torch.allclose(again.mention_probs, first.mention_probs, atol=1e-5)
    assert torch.allclose(again.window_event_log_probs, first.window_event_log_probs, atol=1e-5)
    # a second call finds the fold models and does not train again
    before = {p: p.stat().st_mtime for p in (tmp_path / "final-crossfit").glob("fold*/model.safetensors")}
    cross_fit(cfg)
    assert before == {p: p.stat().st_mtime for p in (tmp_path / "final-crossfit").glob("fold*/model.safetensors")}
    # calibration fits on them beside the validation rows (calibration_oof)
    import shutil

    from eventcoder.evaluate import calibrate

    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    final = Predictor.from_pretrained(d)
    ecfg = compose_config("evaluate", [f"model_dir={d}", "data=sample", f"paths.processed_dir={data.parent}",
                                          f"calibration_oof={scores}"])
    info = calibrate(final, ecfg, d)
    assert info["fitted_on"].endswith(f"+ {len(rows)} out-of-fold training articles ({scores})")
    assert json.loads((d / "decoding.json").read_text())["fitted_on"] == info["fitted_on"]
    assert info["crossfit"] == summary
    own, other = final.mention_labels, TAX.mention_labels[::-1]
    final.mention_labels = other  # scores of another label set are refused, not decoded with wrong names
    with pytest.raises(ValueError, match="its labels are not the model's"):
        load_oof_scores(scores, final)
    final.mention_labels = own
    stale = torch.load(scores, weights_only=False)  # a file of an older version: spans as JSON text
    stale["rows"] = [{**r, "gold_casualties": json.dumps(r["gold_casualties"])} for r in stale["rows"]]
    torch.save(stale, tmp_path / "stale.pt")
    with pytest.raises(ValueError, match="run python -m eventcoder.crossfit again"):
        load_oof_scores(tmp_path / "stale.pt", final)


def test_jobs_sharing_a_dataset_dir_build_it_once(tmp_path, monkeypatch):
    """Sweep jobs side by side (joblib, submitit) share one dataset dir: while one builds, the others
    wait for it and then read its build instead of swapping in their own under its cache files."""
    import threading
    import time

    import datasets
    from filelock import FileLock

    import eventcoder.data.build
    from eventcoder.train import load_or_build_dataset

    builds = []

    def fake_build(cfg, target_dir):
        builds.append(target_dir)
        datasets.DatasetDict({"train": datasets.Dataset.from_dict({"x": [1]})}).save_to_disk(str(target_dir / "dataset"))

    monkeypatch.setattr(eventcoder.data.build, "build_dataset", fake_build)
    cfg = compose_train(["experiment=tiny", f"dataset_dir={tmp_path / 'data'}"])
    results = []
    with FileLock(str(tmp_path / ".data.lock")):  # another job is building
        jobs = [threading.Thread(target=lambda: results.append(load_or_build_dataset(cfg))) for _ in range(2)]
        for job in jobs:
            job.start()
        time.sleep(0.5)
        assert builds == []  # they wait for the lock rather than build beside it
    for job in jobs:
        job.join(timeout=60)
    assert len(builds) == 1 and len(results) == 2  # the first to get the lock builds; the other reads it
    assert all(ds["train"]["x"] == [1] for ds, _ in results)


def test_training_repeats_byte_for_byte(trained, tmp_path):
    """The same config and seed give the same weights (README "Real data": a rebuild is checkable).
    Two runs here, with evaluation, checkpoints and the best model reloaded, as in the real recipes."""
    from eventcoder.train import train_model

    data = Path(trained).parent / "data" / "sample"
    weights = []
    for run in ("a", "b"):
        cfg = compose_train(["experiment=tiny", f"output_dir={tmp_path / run}", f"dataset_dir={data}",
                             "progress=false", "max_eval_windows=40"])
        weights.append((Path(train_model(cfg)) / "model.safetensors").read_bytes())
    assert weights[0] == weights[1]
    cfg = compose_train(["experiment=tiny", f"output_dir={tmp_path / 'c'}", f"dataset_dir={data}",
                         "progress=false", "max_eval_windows=40", "seed=14"])
    assert (Path(train_model(cfg)) / "model.safetensors").read_bytes() != weights[0]  # the seed does matter
