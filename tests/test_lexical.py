"""The lexical event-type model: stored as arrays, read back the same as scikit-learn's pipeline,
and blended into the Predictor's event scores by a fitted weight."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

TEXTS = ["Protesters marched to parliament demanding reforms", "Demonstrators rallied peacefully in the square",
         "A car bomb exploded near the market", "An explosive device detonated beside a convoy",
         "Troops clashed with rebels for hours", "Soldiers and insurgents exchanged fire near the border"] * 3
LABELS = ["protests", "protests", "explosions_remote_violence", "explosions_remote_violence",
          "battles", "battles"] * 3


def test_lexical_model_reads_texts_as_the_fitted_sklearn_pipeline_does(tmp_path):
    from eventcoder.baselines import TfidfLogReg
    from eventcoder.lexical import LexicalModel

    lex = LexicalModel.fit(TEXTS, LABELS)
    classes, proba = TfidfLogReg().fit(TEXTS, LABELS).predict_proba(NEW := ["A bomb exploded at the rally",
                                                                             "Rebels clashed with troops"])
    labels = ["battles", "riots", "explosions_remote_violence", "protests"]
    lex.save(tmp_path)
    back = LexicalModel.load(tmp_path)
    for model in (lex, back):
        lp = model.log_probs(NEW, labels)
        for j, lab in enumerate(labels):
            if lab in classes:
                assert np.allclose(lp[:, j], np.log(proba[:, classes.index(lab)]), atol=1e-4)
        # riots never occurred in training: each text's lowest log-probability, not a veto
        assert np.allclose(lp[:, 1], np.min(lp[:, [0, 2, 3]], axis=1))
    assert back.log_probs(NEW, labels).argmax(1).tolist() == [2, 0]


def test_lexical_files_are_optional_but_must_come_in_pairs(tmp_path):
    from eventcoder.lexical import LEXICAL_FILES, LexicalModel

    assert LexicalModel.load(tmp_path) is None
    LexicalModel.fit(TEXTS, LABELS).save(tmp_path)
    (tmp_path / LEXICAL_FILES[1]).unlink()
    with pytest.raises(FileNotFoundError, match="lexical.npz"):
        LexicalModel.load(tmp_path)
    (tmp_path / LEXICAL_FILES[1]).write_bytes(b"not an npz")
    with pytest.raises(ValueError, match="unreadable"):
        LexicalModel.load(tmp_path)
    with pytest.raises(ValueError, match="two event types"):
        LexicalModel.fit(TEXTS[:1], LABELS[:1])


def test_the_lexical_reading_is_blended_by_its_weight_and_the_weight_is_fitted(trained, tmp_path):
    import torch

    from eventcoder.fitting import fit_lexical_weight
    from eventcoder.lexical import LEXICAL_FILES, LexicalModel
    from eventcoder.predictor import Predictor

    model_dir = tmp_path / "model"
    shutil.copytree(trained, model_dir)
    assert all((model_dir / name).is_file() for name in LEXICAL_FILES)  # training fits one
    for name in LEXICAL_FILES:
        (model_dir / name).unlink()
    assert Predictor.from_pretrained(model_dir).score(["Troops clashed."])[0].lexical_log_probs is None
    LexicalModel.fit(TEXTS, LABELS).save(model_dir)
    p = Predictor.from_pretrained(model_dir)
    texts = ["A car bomb exploded near the market.", "Troops clashed with rebels for hours."]
    assert all(sc.lexical_log_probs is None for sc in p.score(texts))  # weight 0: not read
    raw = p.score(texts, lexical=True)  # as calibration reads them, to fit the weight
    assert all(sc.lexical_log_probs is not None for sc in raw)
    p.lexical_weight = 0.5
    assert all(sc.lexical_log_probs is not None for sc in p.score(texts))  # a weight: read
    # the windows lean to riots; the words of each text say its own type
    riots = p.event_labels.index("riots")
    windows = torch.full((1, len(p.event_labels)), -2.0)
    windows[0, riots] = -1.0
    raw = [sc._replace(window_event_log_probs=windows) for sc in raw]
    gold = [p.event_labels.index(t) for t in ("explosions_remote_violence", "battles")]
    p.lexical_weight = 0.0
    assert [int(p.article_event_probs(sc).argmax()) for sc in raw] == [riots, riots]
    p.lexical_weight = 1.0
    assert [int(p.article_event_probs(sc).argmax()) for sc in raw] == gold
    best, by_weight = fit_lexical_weight(p, raw, gold, objective="macro_f1")
    assert best > 0 and by_weight["0.0"] < by_weight[str(best)] and p.lexical_weight == best
    assert fit_lexical_weight(p, raw, [riots, riots], objective="macro_f1")[0] == 0.0
    # scores without a lexical reading (a model dir without one) keep the weight at 0
    assert fit_lexical_weight(p, [sc._replace(lexical_log_probs=None) for sc in raw], gold)[0] == 0.0


def test_add_lexical_fits_on_the_datasets_train_split(trained, tmp_path):
    import datasets

    from eventcoder.lexical import LEXICAL_FILES, LexicalModel, add_lexical

    model_dir = tmp_path / "model"
    shutil.copytree(trained, model_dir)
    for name in LEXICAL_FILES:
        (model_dir / name).unlink()
    data_dir = trained.parent / "data" / "sample"
    add_lexical(model_dir, data_dir)
    lex = LexicalModel.load(model_dir)
    train = datasets.load_from_disk(str(data_dir / "dataset"))["train"]
    assert sorted(lex.classes) == sorted({e for e in train["event_type"] if e})
    assert "protesters" in lex.vocabulary or "protest" in lex.vocabulary
    with pytest.raises(FileNotFoundError, match="does not exist"):
        add_lexical(tmp_path / "nowhere", data_dir)


def test_training_without_a_lexical_model_leaves_none_behind(trained, tmp_path):
    from conftest import compose_train
    from eventcoder.lexical import LEXICAL_FILES, LexicalModel
    from eventcoder.train import train_model

    out = tmp_path / "model"
    out.mkdir()
    LexicalModel.fit(TEXTS, LABELS).save(out)  # an earlier run's, in the same output dir
    cfg = compose_train(["experiment=tiny", f"output_dir={out}", f"dataset_dir={trained.parent / 'data' / 'sample'}",
                         "progress=false", "max_eval_windows=40", "lexical=false"])
    train_model(cfg)
    assert not any((out / name).exists() for name in LEXICAL_FILES)
    assert "lexical" not in (out / "README.md").read_text()
    assert "lexical" in (trained / "README.md").read_text()  # the default run has one, and its card says so
