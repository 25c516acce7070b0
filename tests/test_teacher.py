"""Distillation from a teacher with another tokenizer: its scores read once, per article and candidate."""
from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
import torch
from transformers import AutoTokenizer, BertConfig, BertModel, BertTokenizerFast

from conftest import compose_train
from eventcoder.features import WindowCollator, windows_for_training
from eventcoder.teacher import same_tokenizer, teacher_scores


@pytest.fixture(scope="module")
def char_backbone(tmp_path_factory) -> Path:
    """A tiny BERT whose tokenizer spells words out letter by letter: ids unlike MiniLM's."""
    path = tmp_path_factory.mktemp("char-bert")
    chars = string.ascii_letters + string.digits + string.punctuation
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *(f"##{c}" for c in chars)]
    tok = BertTokenizerFast(vocab={v: i for i, v in enumerate(vocab)}, do_lower_case=False)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512)
    torch.manual_seed(0)
    BertModel(cfg, add_pooling_layer=False).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def test_tokenizers_are_told_apart(trained, char_backbone):
    minilm = AutoTokenizer.from_pretrained(str(trained))
    chars = AutoTokenizer.from_pretrained(str(char_backbone))
    assert same_tokenizer(minilm, AutoTokenizer.from_pretrained(str(trained)))
    assert not same_tokenizer(minilm, chars)


def test_teacher_scores_are_log_probabilities_per_article_and_candidate(trained):
    texts = ["Gunmen killed 5 villagers and wounded 12 on Sunday.", "Protesters marched in the capital."]
    spans = [[(14, 15), (44, 46), (5_000, 5_002)], []]  # the last span lies in no window of its text
    events, mentions = teacher_scores(trained, texts, spans, batch_size=4)
    n_events = len(json.loads((Path(trained) / "label_maps.json").read_text())["event_labels"])
    assert [len(e) for e in events] == [n_events, n_events]
    for e in events:
        assert sum(torch.tensor(e).exp()) == pytest.approx(1.0, abs=1e-4)
    assert [len(m) for m in mentions] == [3, 0]
    assert sum(torch.tensor(mentions[0][0]).exp()) == pytest.approx(1.0, abs=1e-4)
    assert mentions[0][2] == [0.0] * len(mentions[0][2])  # never read: no scores, left out of the loss


def test_windows_carry_their_articles_teacher_scores(trained):
    tok = AutoTokenizer.from_pretrained(str(trained))
    long_text = "Officials met to discuss the budget. " * 60 + "Gunmen killed 14 villagers."
    start = long_text.index("14")
    batch = {"text": [long_text, "Two died."], "mention_start": [[start], [0]], "mention_end": [[start + 2], [3]],
             "event_label": [1, 2], "mention_label": [[3], [4]], "id": ["a", "b"],
             "teacher_event": [[-0.1, -2.3], [-1.2, -0.4]], "teacher_mentions": [[[-0.2, -1.7]], [[-0.9, -0.5]]]}
    out = windows_for_training(tok, batch, 64, 16)
    assert len(out["input_ids"]) > 2  # the long article is cut into several windows
    for aid, ev, tm, ml in zip(out["article_id"], out["teacher_event"], out["teacher_mentions"],
                               out["mention_labels"], strict=True):
        assert ev == batch["teacher_event"][["a", "b"].index(aid)]
        assert len(tm) == len(ml)  # one teacher row per candidate the window holds
    held = [tm for aid, tm in zip(out["article_id"], out["teacher_mentions"], strict=True) if aid == "a" and tm]
    assert held and all(tm == [[-0.2, -1.7]] for tm in held)
    rows = [{k: out[k][i] for k in out} for i in range(len(out["input_ids"]))]
    batch_t = WindowCollator(tok.pad_token_id)(rows)
    assert batch_t["teacher_event"].shape == (len(rows), 2)
    assert batch_t["teacher_mentions"].shape[:2] == batch_t["mention_spans"].shape[:2]


def test_student_with_another_tokenizer_learns_from_the_teachers_scores(trained, char_backbone, tmp_path):
    from eventcoder.train import train_model

    data = Path(trained).parent / "data" / "sample"
    base = ["experiment=tiny", f"dataset_dir={data}", "progress=false", "max_eval_windows=20",
            f"model.backbone={char_backbone}", "trainer.max_steps=1", "trainer.logging_steps=1"]

    def first_loss(run: Path) -> float:
        state = json.loads(sorted(run.glob("checkpoints/checkpoint-*/trainer_state.json"))[-1].read_text())
        return next(e["loss"] for e in state["log_history"] if "loss" in e)

    plain = train_model(compose_train(base + [f"output_dir={tmp_path / 'plain'}"]))
    kd = train_model(compose_train(base + [f"output_dir={tmp_path / 'kd'}", f"distill.teacher={trained}",
                                           "distill.weight=1.0"]))
    assert "Distilled from" in (kd / "README.md").read_text()
    # same seed, weights and batch: only the loss term differs, the teacher's scores alone at weight 1
    assert first_loss(kd) != pytest.approx(first_loss(plain))
    assert AutoTokenizer.from_pretrained(str(kd)).tokenize("killed") == ["k", "##i", "##l", "##l", "##e", "##d"]


def test_candidates_the_teacher_never_read_are_left_out_of_the_loss(trained):
    from types import SimpleNamespace

    from eventcoder.model import EventCoderModel
    from eventcoder.train import _trainer_class, distillation_loss

    model = EventCoderModel.from_pretrained(str(trained)).eval()
    tok = AutoTokenizer.from_pretrained(str(trained))
    n_ev, n_men = len(model.config.event_labels), len(model.config.mention_labels)
    text = "Gunmen killed 5 villagers."
    batch = {"text": [text], "mention_start": [[14]], "mention_end": [[15]], "event_label": [1],
             "mention_label": [[2]], "id": ["a"], "teacher_event": [[-float(n_ev)] * n_ev],
             "teacher_mentions": [[[0.0] * n_men]]}  # the one candidate: a row of zeros, never read
    out = windows_for_training(tok, batch, 64, 16)
    inputs = WindowCollator(tok.pad_token_id)([{k: out[k][0] for k in out}])
    _, distilling = _trainer_class()
    me = SimpleNamespace(distill_temperature=2.0, distill_weight=1.0, teacher=None)
    teacher_event = inputs["teacher_event"].clone()
    with torch.no_grad():
        loss = distilling.compute_loss(me, model, dict(inputs))
        event_logits = model(**{k: v for k, v in inputs.items() if not k.startswith("teacher")}).event_logits
    assert loss.item() == pytest.approx(distillation_loss(event_logits, teacher_event, 2.0).item(), rel=1e-5)
    read = dict(inputs, teacher_mentions=torch.full_like(inputs["teacher_mentions"], -2.0))
    with torch.no_grad():
        assert distilling.compute_loss(me, model, read).item() > loss.item()  # a read candidate adds its term
