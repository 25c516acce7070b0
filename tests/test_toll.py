"""The learned toll step: candidates and their features, gold labels, the fit, its file, and the
predictor deciding the toll with it."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from eventcoder.numbers import find_mentions
from eventcoder.toll import FEATURES, TollStep, candidates, fit, gold_label

LABELS = ["O", "killed:civilians", "killed:security_forces", "killed:militants", "killed:unknown",
          "injured:civilians", "injured:security_forces", "injured:militants", "injured:unknown"]
TEXT = ("Market bomb kills 12 in northern town\n"
        "A bomb killed 12 people at a market on Sunday, police said. "
        "Last year an attack on the same market killed 30 people.")


def _scores(text: str, reads: dict[str, dict[str, float]]):
    """Count mentions and a probability table: each mention's text (its n-th occurrence as
    "12#1") given some labels' probabilities, the rest to O."""
    mentions = [m for m in find_mentions(text) if m.is_count]
    probs = np.zeros((len(mentions), len(LABELS)))
    seen: dict[str, int] = {}
    for k, m in enumerate(mentions):
        n = seen[m.text] = seen.get(m.text, 0) + 1
        for label, p in reads.get(f"{m.text}#{n}", {}).items():
            probs[k, LABELS.index(label)] = p
        probs[k, 0] = 1.0 - probs[k].sum()
    return mentions, probs, np.ones(len(mentions))


def _by_key(cands):
    return {(c.outcome, c.group, c.value): dict(zip(FEATURES, c.features, strict=True)) for c in cands}


def test_candidates_pool_a_figure_over_its_mentions_and_say_where_and_when_it_is_told():
    mentions, probs, seen = _scores(TEXT, {"12#1": {"killed:unknown": 0.6, "killed:civilians": 0.3},
                                           "12#2": {"killed:civilians": 0.9},
                                           "30#1": {"killed:unknown": 0.8}})
    feats = _by_key(candidates(TEXT, mentions, probs, seen, LABELS))
    civ, unk, old = feats["killed", "civilians", 12], feats["killed", "unknown", 12], feats["killed", "unknown", 30]
    assert civ["mentions (log)"] == pytest.approx(np.log1p(2)) and civ["in headline"] == 1.0
    assert civ["group probability max"] == pytest.approx(0.9) and civ["group probability mean"] == pytest.approx(0.6)
    # one figure told twice: civilians hold most of its probability, so it is the value's top group
    assert civ["value's top group"] == 1.0 and unk["value's top group"] == 0.0
    assert civ["share of the value's mass"] == pytest.approx(1.2 / 1.8)
    assert old["another time (share)"] == 1.0 and civ["another time (share)"] == 0.0
    assert old["largest strong value"] == 1.0 and civ["below largest strong value"] == 1.0
    assert old["in headline"] == 0.0 and old["first position"] > civ["first position"]
    # a group the head gives next to nothing on every mention is no candidate; nor is another outcome's
    assert ("killed", "militants", 12) not in feats and ("injured", "unknown", 30) not in feats


def test_vague_and_unread_mentions_are_no_candidates():
    text = "Dozens were killed and 5 wounded in the raid."
    mentions, probs, seen = _scores(text, {"Dozens#1": {"killed:unknown": 0.9}, "5#1": {"injured:unknown": 0.9}})
    assert [(c.outcome, c.value) for c in candidates(text, mentions, probs, seen, LABELS)] == [("injured", 5)]
    assert candidates(text, mentions, probs, np.zeros(len(mentions)), LABELS) == []


def test_gold_label_is_an_overlapping_gold_span_of_the_same_outcome_and_group():
    mentions, probs, seen = _scores(TEXT, {"12#2": {"killed:civilians": 0.9, "killed:unknown": 0.05}})
    cands = {(c.group, c.value): c for c in candidates(TEXT, mentions, probs, seen, LABELS)}
    body = TEXT.index("killed 12") + len("killed ")
    gold = [{"outcome": "killed", "group": "civilians", "count": 12, "start": body, "end": body + 2}]
    assert gold_label(cands["civilians", 12], mentions, gold) is True
    assert gold_label(cands["unknown", 12], mentions, gold) is False
    # mentions before labelled_from (an unannotated headline) only: unknown, left out of fitting
    head_only = [m for m in mentions if m.start < TEXT.index("\n")]
    assert head_only and gold_label(cands["civilians", 12], mentions, gold, labelled_from=len(TEXT)) is None


def test_fit_learns_a_separable_rule_and_the_step_file_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES)))
    y = x[:, FEATURES.index("another time (share)")] < 0  # figures of another time are not the event's
    step = fit(x, y, fitted_on="synthetic")
    assert ((step.probability(x) > 0.5) == y).mean() > 0.95
    step.save(tmp_path)
    again = TollStep.load(tmp_path)
    assert np.allclose(again.probability(x), step.probability(x)) and again.fitted_on == "synthetic"
    assert TollStep.load(tmp_path / "nowhere") is None
    stale = json.loads((tmp_path / "toll_step.json").read_text())
    stale["features"] = stale["features"][:-1]
    (tmp_path / "toll_step.json").write_text(json.dumps(stale))
    with pytest.raises(ValueError, match="toll_step.json.*fit it again"):
        TollStep.load(tmp_path)
    with pytest.raises(ValueError, match="all of one label"):
        fit(x, np.ones(len(x), dtype=bool))


def _step(intercept: float) -> TollStep:
    n = len(FEATURES)
    return TollStep(features=list(FEATURES), mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n, intercept=intercept)


def test_the_predictor_takes_its_figures_from_the_step_while_learned_toll_is_on(trained):
    import torch

    from eventcoder.predictor import Predictor
    from eventcoder.toll import candidates as toll_candidates

    p = Predictor.from_pretrained(trained)
    p.toll_step = None
    texts = ["Gunmen killed 7 villagers and wounded 12 others on Sunday, police said.",
             "Three soldiers were killed and 4 wounded when a roadside bomb hit their convoy."]
    battles = torch.full((1, len(p.event_labels)), -5.0)
    battles[0, p.event_labels.index("battles")] = -0.1  # an event, so that figures are reported
    raw = [sc._replace(window_event_log_probs=battles) for sc in p.score(texts)]
    without = [p.decode(t, sc) for t, sc in zip(texts, raw, strict=True)]
    p.toll_step = _step(-50.0)  # counts nothing
    nothing = [p.decode(t, sc) for t, sc in zip(texts, raw, strict=True)]
    assert all(d["evidence"] == [] and d["killed"] == d["injured"] == 0 for d in nothing)
    p.toll_step = _step(50.0)  # counts every candidate
    everything = [p.decode(t, sc) for t, sc in zip(texts, raw, strict=True)]
    for t, sc, d in zip(texts, raw, everything, strict=True):
        cands = {(c.outcome, c.group, c.value) for c in toll_candidates(
            t, sc.mentions, sc.mention_probs.numpy(), sc.mention_windows.numpy(), p.mention_labels)}
        assert cands and {(e["outcome"], e["group"], e["count"]) for e in d["evidence"]} == cands
    p.learned_toll = False  # the switch: the step is not used
    assert [p.decode(t, sc) for t, sc in zip(texts, raw, strict=True)] == without


def test_fit_toll_step_scores_the_sets_and_stores_a_step_the_predictor_loads(trained, tmp_path, compose_config):
    from eventcoder.fit_toll import fit_toll_step
    from eventcoder.predictor import Predictor

    model_dir = tmp_path / "model"
    shutil.copytree(trained, model_dir)
    cfg = compose_config("toll", [f"model_dir={model_dir}", f"paths.processed_dir={trained.parent / 'data'}",
                                  "fit_sets=[sample@validation,sample@test]"])
    path = fit_toll_step(cfg)
    assert path == model_dir / "toll_step.json"
    stored = json.loads(path.read_text())
    assert stored["examples"] > 0 and "sample@validation" in stored["fitted_on"]
    assert Predictor.from_pretrained(model_dir).toll_step is not None
    assert Predictor.from_pretrained(trained).toll_step is None


def test_a_figure_told_twice_with_two_groups_counts_once_with_every_telling_as_evidence(trained):
    """The mention head reads the headline's 12 as militants and the body's as civilians: without the
    step the two groups are added (24); a step that counts the civilians reading gives 12, and both places
    the figure is told are its evidence."""
    import torch

    from eventcoder.predictor import ArticleScores, Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.headline_weight, p.lexical_weight = 1.0, 0.0, 0.0
    mentions, probs, seen = _scores(TEXT, {"12#1": {"killed:militants": 0.5, "killed:civilians": 0.4},
                                           "12#2": {"killed:civilians": 0.55, "killed:militants": 0.3}})
    battles = torch.full((1, len(p.event_labels)), -5.0)
    battles[0, p.event_labels.index("battles")] = -0.1
    order = [p.mention_labels.index(label) for label in LABELS]  # the test's label order → the model's
    table = torch.zeros(len(mentions), len(p.mention_labels))
    table[:, order] = torch.tensor(probs, dtype=torch.float32)
    sc = ArticleScores(battles, mentions, table, torch.tensor(seen, dtype=torch.float32))
    p.toll_step = None
    assert p.decode(TEXT, sc)["killed"] == 24  # militants 12 and civilians 12, read one number at a time
    step = _step(-5.0)
    step.coef[FEATURES.index("group civilians")] = 10.0  # counts the civilians candidates only
    p.toll_step = step
    out = p.decode(TEXT, sc)
    assert out["killed"] == 12 and out["casualties"]["killed"] == {"civilians": 12}
    assert sorted(e["start"] for e in out["evidence"]) == sorted(m.start for m in mentions if m.text == "12")
