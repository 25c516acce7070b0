"""Evaluation metrics against hand-computed cases, and a full report for a tiny model."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hydra import compose

from eventcoder import metrics as M
from eventcoder.baselines import MajorityBaseline, TfidfLogReg, rule_based_casualties
from eventcoder.paths import CONFIG_DIR


def test_event_metrics_hand_computed():
    gold = ["a", "a", "b", "c"]
    pred = ["a", "b", "b", "b"]
    m = M.event_metrics(gold, pred, ["a", "b", "c"])
    assert m["accuracy"] == pytest.approx(0.5)
    # F1: a = 2*1*0.5/1.5 = 0.667, b = 2*(1/3)*1/(4/3) = 0.5, c = 0 → macro 0.3889
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.5 + 0) / 3)
    assert m["macro_f1_gold_types"] == m["macro_f1"]  # every predicted type is in the gold
    # a stray prediction of a type the gold never has: a class at F1 0 in the first, not the second
    stray = M.event_metrics(["a", "a", "b", "b"], ["a", "a", "b", "c"], ["a", "b", "c"])
    assert stray["macro_f1"] == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert stray["macro_f1_gold_types"] == pytest.approx((1 + 2 / 3) / 2)
    assert m["per_class"]["b"]["precision"] == pytest.approx(1 / 3)
    assert m["confusion_matrix"] == [[1, 1, 0], [0, 1, 0], [0, 1, 0]]


def test_macro_f1_is_event_metrics_macro_f1():
    gold = ["battles", "riots", "riots", "protests", "battles"]
    pred = ["battles", "riots", "none", "protests", "riots"]
    assert M.macro_f1(gold, pred) == M.event_metrics(gold, pred, ["battles", "riots", "protests", "none"])["macro_f1"]


def test_bootstrap_interval_holds_the_figure_narrows_with_more_articles_and_repeats():
    few_gold, few_pred = [1, 2, 3, 4] * 5, [1, 2, 3, 0] * 5  # exact on 3 of 4
    many_gold, many_pred = few_gold * 20, few_pred * 20
    few = M.bootstrap_interval(M.exact_share, few_gold, few_pred)
    many = M.bootstrap_interval(M.exact_share, many_gold, many_pred)
    assert few[0] < 0.75 < few[1] and many[0] < 0.75 < many[1]
    assert many[1] - many[0] < (few[1] - few[0]) / 2  # 20× the articles: about a 4.5× narrower interval
    assert M.bootstrap_interval(M.exact_share, few_gold, few_pred) == few  # seeded
    assert M.bootstrap_interval(M.exact_share, [1], [1]) is None


def test_target_intervals_tell_a_lead_beyond_chance_from_a_tie():
    from eventcoder.evaluate import target_intervals

    n = 60
    rows = [{"event_type": ["battles", "riots", "protests"][i % 3], "killed_total": i % 5, "injured_total": -1}
            for i in range(n)]
    preds = [{"event_type": r["event_type"], "killed": r["killed_total"] if i % 10 else 99}
             for i, r in enumerate(rows)]  # event type always right, killed right on 9 of 10
    base = {"majority": ["battles"] * n, "tfidf_logreg": [r["event_type"] if i % 2 else "riots" for i, r in enumerate(rows)],
            "rule_based": [{"killed": p["killed"]} for p in preds]}  # the rules tie with the model on killed
    scored = {"event": {"tfidf_logreg": {"macro_f1": M.macro_f1([r["event_type"] for r in rows], base["tfidf_logreg"])},
                        "majority": {"macro_f1": 0.2}}}
    out = target_intervals(rows, preds, base, scored)
    # no injured totals in these rows; killed also over the articles whose gold total is above 0
    assert set(out) == {"event macro-F1", "killed exact", "killed exact, reported"}
    assert out["event macro-F1"]["baseline"] == "tfidf_logreg" and out["event macro-F1"]["model"] == [1.0, 1.0]
    assert out["event macro-F1"]["lead"][0] > 0  # always right against a baseline wrong on a third
    assert out["killed exact"]["lead"] == [0.0, 0.0]  # a tie is no lead
    assert out["killed exact"]["model"][0] < 0.9 < out["killed exact"]["model"][1]


def test_ece_hand_computed():
    # bin (0.5,0.6]: conf 0.55 ×2, one right → |0.5-0.55|; bin (0.9,1.0]: conf 0.95 ×2, both right → 0.05
    out = M.expected_calibration_error([0.55, 0.55, 0.95, 0.95], [True, False, True, True], bins=10)
    assert out["ece"] == pytest.approx(0.5 * 0.05 + 0.5 * 0.05)
    assert [b["n"] for b in out["bins"]] == [2, 2]


def test_count_metrics_hand_computed():
    out = M.count_metrics([10, 0, 5, 100], [10, 1, 7, 85])
    assert out["exact"] == 0.25
    assert out["within_1"] == 0.5
    assert out["within_20pct"] == 0.5  # 10 (exact) and 85 vs 100 (within 20); 1 vs 0 and 7 vs 5 are not
    assert out["mae"] == pytest.approx((0 + 1 + 2 + 15) / 4)


def test_by_group_and_mention_prf_hand_computed():
    gold = [{"killed": {"militants": 20}, "injured": {}}, {"killed": {}, "injured": {"civilians": "several"}}]
    pred = [{"killed": {"militants": 20}, "injured": {}}, {"killed": {}, "injured": {"civilians": 3}}]
    assert M.by_group_exact(gold, pred) == 0.5
    g = [[{"outcome": "killed", "group": "militants", "start": 10, "end": 12},
          {"outcome": "killed", "group": "civilians", "start": 30, "end": 31}]]
    p = [[{"outcome": "killed", "group": "militants", "start": 10, "end": 12},
          {"outcome": "injured", "group": "civilians", "start": 30, "end": 31},
          {"outcome": "killed", "group": "unknown", "start": 50, "end": 52}]]
    out = M.mention_prf(g, p)
    assert (out["tp"], out["fp"], out["fn"]) == (1, 2, 1)
    assert out["precision"] == pytest.approx(1 / 3) and out["recall"] == pytest.approx(0.5)


def test_length_buckets():
    assert [M.length_bucket(w) for w in (10, 250, 599, 700)] == ["0-199", "200-399", "400-599", "600+"]


def test_baselines_do_their_job():
    texts = ["bomb blast market", "car bomb exploded", "crowd marched peacefully", "thousands marched"]
    labels = ["explosions_remote_violence"] * 2 + ["protests"] * 2
    assert MajorityBaseline().fit(labels + ["protests"]).predict(["x"]) == ["protests"]
    assert TfidfLogReg().fit(texts, labels).predict(["a bomb exploded"]) == ["explosions_remote_violence"]
    r = rule_based_casualties("Gunmen killed 12 villagers and wounded 3 soldiers. In 2019, 40 died elsewhere.")
    assert r["casualties"]["killed"]["civilians"] == 12 and r["casualties"]["injured"]["security_forces"] == 3


def test_report_for_a_tiny_model_with_bad_rows(compose_config, trained, tmp_path):
    from eventcoder.evaluate import evaluate_model

    good = [json.loads(line) for line in (Path(CONFIG_DIR).parent / "data" / "sample" / "riots.jsonl")
            .read_text().splitlines()[:4]]
    eval_file = tmp_path / "gold.jsonl"
    lines = [json.dumps(r) for r in good]
    lines.insert(1, "{broken json")
    lines.append(json.dumps({"id": "bad-label", "text": "Some text.", "event_type": "war"}))
    lines.append(json.dumps({"id": "totals-only", "text": "Police said 4 people died in the clash.",
                             "event_type": "riots", "killed_total": 4, "injured_total": 0}))
    eval_file.write_text("\n".join(lines) + "\n")
    cfg = compose_config("evaluate", [f"model_dir={trained}", f"eval_sets=[{eval_file},sample]",
                                         f"output_dir={tmp_path / 'report'}", "run_name=tiny",
                                         f"paths.processed_dir={Path(trained).parent / 'data'}",
                                         "command=pytest"])
    out = evaluate_model(cfg)
    result = json.loads((out / "metrics.json").read_text())
    file_sec = result["sections"][str(eval_file)]
    assert file_sec["n_articles"] == 5 and file_sec["bad_rows"] == 2
    bad = [json.loads(x) for x in (out / "bad_rows.jsonl").read_text().splitlines()]
    assert {b["row"] for b in bad} == {2, 6}
    sample = result["sections"]["sample"]
    for system in ("model", "tfidf_logreg", "majority"):
        assert 0 <= sample["event"][system]["macro_f1"] <= 1
    assert set(sample["casualties"]) >= {"killed", "injured", "by_group_exact", "mentions"}
    assert set(sample["intervals"]) >= {"event macro-F1", "killed exact", "injured exact"}
    assert set(sample["intervals"]) <= {"event macro-F1", "killed exact", "injured exact", "killed exact, reported",
                                        "injured exact, reported"}
    assert all(0 <= lo <= hi <= 1 for iv in sample["intervals"].values() for lo, hi in [iv["model"]])
    assert "How sure: intervals" in (out / "report.md").read_text()
    judged = {r["figure"]: r for r in result["targets"]["judged"]["sample"]}  # every target figure judged
    assert set(judged) == {"event macro-F1", "killed exact", "injured exact"}
    assert judged["killed exact"]["value"] == sample["casualties"]["killed"]["model"]["exact"]
    assert judged["killed exact"]["target"] == 0.85 and result["targets"]["summary"].endswith("beyond chance).")
    report = (out / "report.md").read_text()
    assert "## Against the targets" in report and report.index("## Against the targets") < report.index("## Eval set")
    if sample["casualties"]["killed"]["reported"]["model"]["n"]:  # exact over the articles that report deaths too
        assert "| killed — model | reported (gold > 0) |" in report
    for name in ("report.md", "report.html", "confusion_matrix.png", "calibration.png", "casualties.png",
                 "errors.jsonl"):
        assert (out / name).is_file(), name
    html_text = (out / "report.html").read_text()
    srcs = re.findall(r'<img[^>]*src="([^"]+)"', html_text)
    assert len(srcs) == 3 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "http" not in html_text.split("<body>")[0]  # no external stylesheet or script
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert all({"gold", "prediction", "wrong"} <= set(e) for e in errors)
    card = (Path(trained) / "README.md").read_text()
    assert "## Evaluation (`pytest`)" in card and "event macro-F1" in card
    assert re.search(r"sample: \d+ articles; event macro-F1 \d\.\d{3} \[\d\.\d{3}–\d\.\d{3}\]", card)  # its interval


def test_decode_settings_apply_for_one_run_and_are_reported(compose_config, trained, tmp_path):
    from eventcoder.evaluate import apply_decode_settings, evaluate_model
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    with pytest.raises(ValueError, match="decode_settings.nonsense: not a decoding setting"):
        apply_decode_settings(p, {"nonsense": 1})
    assert apply_decode_settings(p, {"casualty_mass": True, "lead_chars": 500}) == {"casualty_mass": True,
                                                                                    "lead_chars": 500}
    assert p.casualty_mass is True and p.lead_chars == 500
    apply_decode_settings(p, {"read_militants_killed": False, "territory_is_battle": False})  # rules set by hand
    assert p.read_militants_killed is False and p.territory_is_battle is False
    cfg = compose_config("evaluate", [f"model_dir={trained}", "eval_sets=[sample]", "command=pytest",
                                         f"output_dir={tmp_path / 'r'}", "run_name=set", "reference=false",
                                         f"paths.processed_dir={Path(trained).parent / 'data'}",
                                         "decode_settings={mention_threshold:0.9,lead_chars:1500,body_threshold:0.999,needs_casualty_word:true}"])
    out = evaluate_model(cfg)
    result = json.loads((out / "metrics.json").read_text())
    assert result["decode_settings"] == {"mention_threshold": 0.9, "lead_chars": 1500, "body_threshold": 0.999,
                                         "needs_casualty_word": True}
    assert result["reference"] == []
    report = (out / "report.md").read_text()
    assert "Set by hand for this run (not fitted, not stored): mention_threshold=0.9, lead_chars=1500" in report
    assert "casualty labels need probability ≥ 0.9 " in report  # the paragraph states the thresholds in use,
    assert "(≥ 0.999 for figures past the first 1500 characters)" in report  # to the digit that was fitted
    assert "in a sentence that says someone died or was hurt" in report


def test_reference_articles_are_scored_without_their_text():
    from eventcoder.evaluate import reference_results
    from eventcoder.seeds import load_seed_cases

    cases = [c for c in load_seed_cases() if c.text is not None]
    if not cases:
        pytest.skip("reference article text (../shared/seeds) not found")

    def right(texts):
        return [{**cases[0].expected, "evidence": [], "vague": []} for _ in texts]

    def wrong(texts):
        return [{**cases[0].expected, "killed": 0, "evidence": [], "vague": []} for _ in texts]

    got = reference_results(right)
    assert [r["id"] for r in got] == [c.id for c in cases] and got[0]["exact"] is True
    assert got[0]["predicted"] == {k: cases[0].expected[k] for k in ("event_type", "killed", "injured", "casualties")}
    assert reference_results(wrong)[0]["exact"] is False
    assert cases[0].text[:40] not in json.dumps(got)  # figures only: the third-party text stays out


def test_fit_temperature_recovers_overconfidence():
    import numpy as np

    rng = np.random.default_rng(0)
    n, k, true_t = 400, 4, 3.0
    logits = rng.normal(size=(n, k)) * 3
    y = np.array([rng.choice(k, p=np.exp(row / true_t) / np.exp(row / true_t).sum()) for row in logits])
    scores = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)  # overconfident by a factor 3
    assert abs(M.fit_temperature(scores, y) - true_t) < 0.8


def test_calibration_is_fitted_and_stored(compose_config, trained, tmp_path):
    import shutil

    from eventcoder.evaluate import evaluate_model
    from eventcoder.predictor import Predictor

    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    cfg = compose_config("evaluate", [f"model_dir={d}", "data=sample", "calibrate=true",
                                         f"output_dir={tmp_path / 'r'}", "run_name=cal", "command=pytest",
                                         f"paths.processed_dir={Path(trained).parent / 'data'}"])
    out = evaluate_model(cfg)
    from eventcoder.settings import DecodeSettings

    settings = DecodeSettings.load(d)  # the model dir states every setting it runs with
    stored = json.loads(json.dumps({**settings.fit, **settings.flat()}))  # as written: tuples are lists
    assert stored["fitted_now"] and 0.25 <= stored["temperature"] <= 8
    from eventcoder.evaluate import CASUALTY_GRID, CASUALTY_SETTINGS

    by_setting = stored["validation_totals_exact_then_groups_and_mentions_by_casualty_settings"]
    assert tuple(stored[name] for name in CASUALTY_SETTINGS) in CASUALTY_GRID
    assert set(by_setting) == {"/".join(map(str, g)) for g in CASUALTY_GRID}
    assert json.loads((out / "metrics.json").read_text())["calibration"]["temperature"] == stored["temperature"]
    assert "/".join(map(str, (stored["lead_weight"], stored["headline_weight"]))) in \
        stored["validation_log_likelihood_by_lead_and_headline_weight"]
    assert stored["prior_correction"] in (0.0, 0.25, 0.5, 0.75, 1.0)
    loaded = Predictor.from_pretrained(d)
    assert len(stored["event_prior"]) == len(loaded.event_labels) and abs(sum(stored["event_prior"]) - 1) < 1e-3
    assert loaded.casualty_mass == stored["casualty_mass"]
    assert (loaded.prior_correction, list(loaded.event_prior)) == (stored["prior_correction"], stored["event_prior"])
    assert (loaded.temperature, loaded.mention_threshold, loaded.lead_weight, loaded.headline_weight, loaded.lead_chars,
            loaded.body_threshold, loaded.body_needs_lead_toll, loaded.needs_casualty_word) == (
        stored["temperature"], stored["mention_threshold"], stored["lead_weight"], stored["headline_weight"],
        stored["lead_chars"],
        stored["body_threshold"], stored["body_needs_lead_toll"], stored["needs_casualty_word"])


def test_crosstune_decodes_each_fold_with_settings_tuned_on_the_others(compose_config, trained, tmp_path):
    import shutil

    from eventcoder.crossfit import fold_index
    from eventcoder.crosstune import cross_tune
    from eventcoder.evaluate import (
        baseline_training_texts,
        evaluate_model,
        fit_decode_settings,
        load_eval_set,
    )
    from eventcoder.predictor import Predictor
    from eventcoder.taxonomy import load_taxonomy

    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    cfg = compose_config("evaluate", [f"model_dir={d}", "tune_set=sample", "tune_folds=2", "tune_store=true",
                                         f"output_dir={tmp_path / 'r'}", "run_name=ct",
                                         f"paths.processed_dir={Path(trained).parent / 'data'}"])
    out = cross_tune(cfg)
    result = json.loads((out / "metrics.json").read_text())
    rows = [r for r in load_eval_set("sample", cfg)[0] if r["event_type"]]
    assert [f["held_out"] for f in result["per_fold"]] == [sum(fold_index(r["id"], 2) == k for r in rows) for k in (0, 1)]
    assert result["out_of_fold"]["n_articles"] == result["in_sample"]["n_articles"] == len(rows)
    assert "event macro-F1" in result["out_of_fold"]["intervals"]  # how sure, out of fold, in the report too
    assert "### out of fold" in (out / "report.md").read_text()
    judged = result["targets"]["judged"]  # the targets judged on the out-of-fold and in-sample figures
    assert set(judged) == {"sample out of fold", "sample in sample"}
    assert [r["value"] for r in judged["sample out of fold"] if r["figure"] == "event macro-F1"] == [
        result["out_of_fold"]["event"]["model"]["macro_f1"]]
    assert "## Against the targets" in (out / "report.md").read_text()
    # fold 0's settings are those tuned on fold 1's articles alone: recomputed here independently
    p = Predictor.from_pretrained(d)
    others = [r for r in rows if fold_index(r["id"], 2) == 1]
    fit_decode_settings(p, others, p.score([r["text"] for r in others], headlines=True, lexical=True),
                        baseline_training_texts(cfg)[1],
                        quiet_candidates=load_taxonomy("acled").non_violent)

    def as_numbers(settings: dict) -> dict:  # the one setting that is a list of types, apart
        return {n: v for n, v in settings.items() if n != "no_casualty_types"}

    fold0 = result["per_fold"][0]["settings"]
    assert as_numbers(fold0) == pytest.approx(as_numbers({n: getattr(p, n) for n in fold0}))
    assert list(fold0["no_casualty_types"]) == list(p.no_casualty_types)
    from eventcoder.settings import DecodeSettings

    stored = DecodeSettings.load(d).fit  # tune_store: the whole set's settings are the model's
    assert stored["crosstune"]["out_of_fold"]["event macro-F1"] == result["out_of_fold"]["event"]["model"]["macro_f1"]
    loaded = Predictor.from_pretrained(d)
    assert as_numbers({n: getattr(loaded, n) for n in result["tuned_on_all"]}) == pytest.approx(
        as_numbers(result["tuned_on_all"]))
    assert list(loaded.no_casualty_types) == list(result["tuned_on_all"]["no_casualty_types"])
    assert "out of fold" in (out / "report.md").read_text()
    assert "casualty settings, searched together, maximise killed + injured total exact" in (out / "report.md").read_text()
    # a report scored with those settings says where they were tuned
    ecfg = compose_config("evaluate", [f"model_dir={d}", "data=sample", f"output_dir={tmp_path / 'e'}",
                                          "run_name=e", "command=pytest", f"paths.processed_dir={Path(trained).parent / 'data'}"])
    assert f"stored with the model, fitted on {stored['fitted_on']}" in (evaluate_model(ecfg) / "report.md").read_text()


def test_lead_weight_decides_between_windows_and_is_fitted(trained):
    import torch

    from eventcoder.evaluate import fit_lead_weight
    from eventcoder.predictor import ArticleScores, Predictor

    p = Predictor.from_pretrained(trained)
    n = len(p.event_labels)
    lead, body = torch.full((n,), -5.0), torch.full((n,), -5.0)
    lead[0], body[1] = -0.1, -0.1  # the lead says label 0; two later windows say label 1
    sc = ArticleScores(torch.stack([lead, body, body]), [], torch.zeros(0, len(p.mention_labels)), torch.zeros(0))
    p.lead_weight = 1.0
    assert int(p.event_probs(sc.window_event_log_probs).argmax()) == 1
    p.lead_weight = 3.0
    assert int(p.event_probs(sc.window_event_log_probs).argmax()) == 0
    # validation says the lead is right: by macro-F1 the smallest weight of the grid that makes it win
    best, by_weight = fit_lead_weight(p, [sc], [0], objective="macro_f1")
    assert best in ((2.0, 0.0), (3.0, 0.0)) and by_weight["1.0/0.0"] < by_weight["/".join(map(str, best))]
    best, _ = fit_lead_weight(p, [sc], [1], objective="macro_f1")
    assert best == (1.0, 0.0)
    # the headline read alone says label 2: it decides once it weighs enough, and is fitted
    head = torch.full((n,), -5.0)
    head[2] = -0.01
    sc = sc._replace(headline_event_log_probs=head)
    p.lead_weight, p.headline_weight = 1.0, 0.0
    assert int(p.event_probs(sc.window_event_log_probs, sc.headline_event_log_probs).argmax()) == 1
    p.headline_weight = 5.0
    assert int(p.event_probs(sc.window_event_log_probs, sc.headline_event_log_probs).argmax()) == 2
    best, by_weight = fit_lead_weight(p, [sc], [2], objective="macro_f1")
    assert best[1] > 0 and by_weight["1.0/0.0"] < by_weight["/".join(map(str, best))]
    assert (p.lead_weight, p.headline_weight) == best


def test_prior_correction_divides_out_the_training_mix_and_is_fitted(trained):
    import torch

    from eventcoder.evaluate import event_prior, fit_prior_correction
    from eventcoder.predictor import ArticleScores, Predictor

    p = Predictor.from_pretrained(trained)
    n = len(p.event_labels)
    prior = event_prior([p.event_labels[0]] * 90 + [p.event_labels[1]] * 10, p.event_labels)
    assert prior[:2] == (0.9, 0.1) and sum(prior) == 1.0
    scores = torch.full((n,), -6.0)
    scores[0], scores[1] = -0.5, -1.0  # the model leans to label 0, which the training mix was full of
    sc = ArticleScores(scores[None], [], torch.zeros(0, len(p.mention_labels)), torch.zeros(0))
    p.event_prior, p.prior_correction = prior, 0.0
    assert int(p.event_probs(sc.window_event_log_probs).argmax()) == 0
    p.prior_correction = 1.0  # log(0.9/0.1) = 2.2 > 0.5: divided out, label 1 wins
    probs = p.event_probs(sc.window_event_log_probs)
    assert int(probs.argmax()) == 1 and abs(float(probs.sum()) - 1) < 1e-5
    assert float(probs[2]) < 0.01  # types the mix never had are not boosted
    # validation says label 1: the smallest α that makes it win is chosen, and set
    best, by_alpha = fit_prior_correction(p, [sc], [1], objective="macro_f1")
    assert best == 0.25 and by_alpha["0.0"] < by_alpha["0.25"] and p.prior_correction == 0.25
    assert fit_prior_correction(p, [sc], [0], objective="macro_f1")[0] == 0.0


def test_headline_is_read_alone_only_when_the_text_has_one(trained):
    import torch

    from eventcoder.features import headline_of
    from eventcoder.predictor import Predictor

    body = "Gunmen attacked a police post on Monday, killing 4 officers. " * 3
    assert headline_of("Gunmen kill four police in raid\n\n" + body) == "Gunmen kill four police in raid"
    assert headline_of(body) is None  # one paragraph (an export summary): no headline
    assert headline_of("Gunmen\n\n" + body) is None  # too short to be a headline
    assert headline_of(body * 2 + "\n" + body) is None  # a long first paragraph is not a headline
    p = Predictor.from_pretrained(trained)
    texts = ["Gunmen kill four police in raid\n\n" + body, body]
    assert all(sc.headline_event_log_probs is None for sc in p.score(texts))  # weight 0: not read
    with_head, without = p.score(texts, headlines=True)
    assert with_head.headline_event_log_probs is not None and without.headline_event_log_probs is None
    alone = p.score(["Gunmen kill four police in raid"])[0].window_event_log_probs[0]
    assert torch.allclose(with_head.headline_event_log_probs, alone, atol=1e-5)


def read_as(predictor, text: str, readings: list[dict[str, float]], event_type: str):
    """A text's count mentions and the raw scores of a model that read the k-th mention with
    `readings[k]` ({casualty label: probability}, O the rest) and the event as `event_type`."""
    import torch

    from eventcoder.numbers import find_mentions
    from eventcoder.predictor import ArticleScores

    mentions = [m for m in find_mentions(text, predictor.numbers) if m.is_count]
    assert len(mentions) == len(readings)
    probs = torch.zeros(len(mentions), len(predictor.mention_labels))
    for k, reading in enumerate(readings):
        for label, prob in reading.items():
            probs[k, predictor.mention_labels.index(label)] = prob
        probs[k, predictor.mention_labels.index("O")] = 1 - sum(reading.values())
    ev = torch.full((1, len(predictor.event_labels)), -5.0)
    ev[0, predictor.event_labels.index(event_type)] = -0.01
    return mentions, ArticleScores(ev, mentions, probs, torch.ones(len(mentions)))


def test_body_threshold_drops_unsure_figures_past_the_lead_and_is_fitted(trained):
    from eventcoder.evaluate import CASUALTY_SETTINGS, fit_casualty_settings
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.mention_threshold, p.lead_weight, p.temperature = 0.5, 1.0, 1.0
    text = "Gunmen killed 12 villagers on Monday. " + "Talks went on. " * 40 + "In 2019, 40 people were killed."
    # the lead's toll is surer than the body's old one
    mentions, sc = read_as(p, text, [{"killed:unknown": 0.97}, {"killed:unknown": 0.8}], "violence_against_civilians")
    assert [m.value for m in mentions] == [12, 40]
    probs, killed = sc.mention_probs, p.mention_labels.index("killed:unknown")
    assert p.decode(text, sc)["killed"] == 40  # the highest figure: the background toll wins
    p.lead_chars, p.body_threshold = 200, 0.9
    assert mentions[1].start > 200 and p.decode(text, sc)["killed"] == 12
    p.lead_chars = 1000  # the whole article is lead: every figure keeps the plain threshold
    assert p.decode(text, sc)["killed"] == 40
    # only when the lead already has a toll of that outcome: here it has (12), so 40 is still doubted
    p.lead_chars, p.body_needs_lead_toll = 200, True
    assert p.decode(text, sc)["killed"] == 12
    probs[0, killed], probs[0, p.mention_labels.index("O")] = 0.3, 0.7  # the lead gives no toll now
    assert p.decode(text, sc)["killed"] == 40  # the body's figure is the event's: plain threshold
    p.body_needs_lead_toll = False
    assert p.decode(text, sc)["killed"] == 0
    probs[0, killed], probs[0, p.mention_labels.index("O")] = 0.97, 0.03
    # validation says the lead's figure is right: the rule is switched on; says 40: it stays off
    best, by_setting = fit_casualty_settings(p, [{"text": text, "killed_total": 12, "injured_total": 0}], [sc])
    assert best[3] > 0 and tuple(getattr(p, name) for name in CASUALTY_SETTINGS) == best
    assert by_setting["/".join(map(str, (*best[:2], 0, 0.0, False)))] < by_setting["/".join(map(str, best))]
    best, _ = fit_casualty_settings(p, [{"text": text, "killed_total": 40, "injured_total": 0}], [sc])
    assert best[2:] == (0, 0.0, False) and tuple(getattr(p, name) for name in CASUALTY_SETTINGS) == best


def test_casualty_error_kinds_hand_made():
    text = "Rebels killed 12 soldiers; 3 civilians were hurt. In 2019, 40 died."
    gold = [{"outcome": "killed", "group": "security_forces", "count": 12, "start": 14, "end": 16},
            {"outcome": "injured", "group": "civilians", "count": 3, "start": 27, "end": 28}]
    pred = [{"outcome": "killed", "group": "militants", "count": 12, "start": 14, "end": 16},
            {"outcome": "killed", "group": "unknown", "count": 40, "start": 59, "end": 61}]
    kinds = M.casualty_error_kinds(gold, pred, {"killed": 12, "injured": 3}, {"killed": 52, "injured": 0}, text)
    assert sorted(kinds) == ["group confusion", "missed mention", "spurious or background figure"]
    assert M.casualty_error_kinds(None, [], {"killed": 4}, {"killed": 5}, "x") == ["total wrong (no gold spans)"]


@pytest.mark.parametrize("text, total, statement", [
    ("Rebels killed 12 soldiers on Monday.", 12, "stated"),
    ("Rebels killed twelve soldiers on Monday.", 12, "stated"),
    ("Rebels killed 7 soldiers and 5 police officers on Monday.", 12, "not stated"),
    ("Clashes were reported in the north on Monday.", 3, "not stated"),
    ("Clashes were reported in the north on Monday.", 0, "zero"),
    ("The 12th brigade lost two men in 2012.", 12, "not stated"),
])
def test_a_total_is_stated_where_a_count_in_the_text_has_its_value(text, total, statement):
    assert M.total_statement(text, total) == statement


def test_totals_are_scored_apart_where_the_text_states_them_and_where_not():
    from eventcoder.evaluate import score_set

    rows = [{"id": str(i), "text": t, "event_type": "battles", "killed_total": k, "injured_total": -1,
             "gold_casualties": None}
            for i, (t, k) in enumerate([("Rebels killed 12 soldiers.", 12), ("Rebels killed 9 soldiers.", 9),
                                        ("Fighting in the north.", 4), ("A quiet day.", 0)])]
    killed = [12, 8, 0, 0]
    preds = [{"event_type": "battles", "score": 0.9, "killed": k, "injured": 0, "casualties": {}, "evidence": [],
              "vague": []} for k in killed]
    base = {"majority": ["battles"] * 4, "tfidf_logreg": ["battles"] * 4,
            "rule_based": [{"killed": k, "injured": 0, "casualties": {}, "evidence": []} for k in (12, 9, 4, 1)]}
    strata = score_set(rows, preds, ["battles", "none"], base)["casualties"]["killed"]["by_statement"]
    assert {k: (v["model"]["n"], v["model"]["exact"], v["rule_based"]["exact"]) for k, v in strata.items()} == {
        "stated": (2, 0.5, 1.0), "not stated": (1, 0.0, 1.0), "zero": (1, 1.0, 0.0)}


def test_exact_match_is_also_scored_over_the_articles_that_report_casualties():
    """Always answering 0 is right on every quiet article and scores 0 where casualties are reported."""
    from eventcoder.evaluate import score_set
    from eventcoder.targets import figure

    totals = [12, 9, 0, 0]
    rows = [{"id": str(i), "text": f"Rebels killed {k} soldiers.", "event_type": "battles", "killed_total": k,
             "injured_total": 0, "gold_casualties": None} for i, k in enumerate(totals)]
    preds = [{"event_type": "battles", "score": 0.9, "killed": k, "injured": 0, "casualties": {}, "evidence": [],
              "vague": []} for k in (12, 8, 0, 0)]
    base = {"majority": ["battles"] * 4, "tfidf_logreg": ["battles"] * 4,
            "rule_based": [{"killed": 0, "injured": 0, "casualties": {}, "evidence": []}] * 4}
    sec = score_set(rows, preds, ["battles", "none"], base)
    killed = sec["casualties"]["killed"]
    assert (killed["model"]["exact"], killed["rule_based"]["exact"]) == (0.75, 0.5)
    assert (killed["reported"]["model"]["n"], killed["reported"]["model"]["exact"]) == (2, 0.5)
    assert killed["reported"]["rule_based"]["exact"] == 0.0
    assert sec["casualties"]["injured"]["reported"]["model"]["n"] == 0
    assert figure(sec, "killed exact, reported") == 0.5
    assert "killed exact, reported" in sec["intervals"] and "injured exact, reported" not in sec["intervals"]


def test_a_figure_in_an_unannotated_headline_is_neither_right_nor_wrong():
    from eventcoder.evaluate import score_set

    text = "12 soldiers killed\n\nRebels killed 12 soldiers on Monday."
    gold = [{"outcome": "killed", "group": "security_forces", "count": 12, "start": 34, "end": 36}]
    fig = {"outcome": "killed", "group": "security_forces", "count": 12, "vague": None}
    pred = {"event_type": "battles", "score": 0.9, "killed": 12, "injured": 0, "casualties": {},
            "evidence": [{**fig, "start": 0, "end": 2}, {**fig, "start": 34, "end": 36}], "vague": []}
    base = {"majority": ["battles"], "tfidf_logreg": ["battles"],
            "rule_based": [{"killed": 12, "injured": 0, "casualties": {}, "evidence": [{**fig, "start": 0, "end": 2}]}]}
    row = {"id": "a", "text": text, "event_type": "battles", "killed_total": 12, "injured_total": 0,
           "gold_casualties": gold}
    unlabelled_head = score_set([{**row, "labelled_from": 20}], [pred], ["battles", "none"], base)
    labelled_head = score_set([{**row, "labelled_from": 0}], [pred], ["battles", "none"], base)
    assert unlabelled_head["casualties"]["mentions"]["model"]["precision"] == 1.0
    assert unlabelled_head["casualties"]["mentions"]["rule_based"]["fp"] == 0
    assert "spurious or background figure" not in unlabelled_head["error_kinds"]
    assert labelled_head["casualties"]["mentions"]["model"]["precision"] == 0.5
    assert labelled_head["error_kinds"]["spurious or background figure"] == 1


def test_a_missing_eval_dataset_is_built_inside_a_running_hydra_app(hydra_configs, tmp_path):
    """`python -m eventcoder.evaluate` runs under Hydra: building a missing set must not start a second Hydra."""

    from eventcoder.evaluate import load_eval_set

    with hydra_configs():
        cfg = compose("evaluate", overrides=[f"paths.processed_dir={tmp_path}"])
        rows, bad = load_eval_set("sample", cfg, "test")
    assert (tmp_path / "sample" / "dataset").is_dir() and not bad
    assert len(rows) == 35 and all(r["event_type"] and r["text"] for r in rows)


def test_casualty_mass_reads_a_figure_whose_groups_share_the_probability(trained):
    from eventcoder.evaluate import fit_casualty_settings
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.4
    text = "Troops clashed with fighters on Monday; 20 died."
    # O (0.4) is the likeliest label, but a casualty (0.6 over two groups) is likelier
    mentions, sc = read_as(p, text, [{"killed:militants": 0.35, "killed:unknown": 0.25}], "battles")
    assert [m.value for m in mentions] == [20]
    assert abs(float(sc.mention_probs[0, p.mention_labels.index("O")]) - 0.4) < 1e-6
    p.casualty_mass = False
    assert p.decode(text, sc)["killed"] == 0
    p.casualty_mass = True
    out = p.decode(text, sc)
    assert out["killed"] == 20 and out["casualties"]["killed"] == {"militants": 20}
    assert out["evidence"][0]["score"] == 0.6  # the sureness that was thresholded: 1 - P(O)
    p.mention_threshold = 0.7
    assert p.decode(text, sc)["killed"] == 0
    best, by_setting = fit_casualty_settings(p, [{"text": text, "killed_total": 20, "injured_total": 0}], [sc])
    assert best[1] is True and (p.mention_threshold, p.casualty_mass) == best[:2]
    assert by_setting["0.4/False/0/0.0/False"] < by_setting["/".join(map(str, best))]
    best, _ = fit_casualty_settings(p, [{"text": text, "killed_total": 0, "injured_total": 0}], [sc])
    assert best[1] is False and p.decode(text, sc)["killed"] == 0  # O stays O: the plain argmax rule


def test_casualty_settings_that_tie_on_totals_are_told_apart_by_groups_and_spans(trained):
    """A repeated toll is counted once, so reading the repeat leaves the total right; only the spans
    show it was a second, unannotated reading. The search keeps the setting that does not read it."""
    from eventcoder.evaluate import CASUALTY_SETTINGS, fit_casualty_settings
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Gunmen killed 12 villagers on Monday. Relatives buried the 12 villagers on Tuesday."
    mentions, sc = read_as(p, text, [{"killed:civilians": 0.97}, {"killed:civilians": 0.55}],
                           "violence_against_civilians")
    assert [m.value for m in mentions] == [12, 12]
    gold = [{"outcome": "killed", "group": "civilians", "count": 12, "vague": None,
             "start": mentions[0].start, "end": mentions[0].end}]
    row = {"text": text, "killed_total": 12, "injured_total": 0, "gold_casualties": gold}
    best, by_setting = fit_casualty_settings(p, [row], [sc])
    read_both = by_setting["0.0/False/0/0.0/False"]
    assert read_both[0] == by_setting["/".join(map(str, best))][0] == 2.0  # both totals right either way
    assert read_both[1] < by_setting["/".join(map(str, best))][1]
    assert [e["start"] for e in p.decode(text, sc)["evidence"]] == [mentions[0].start]
    assert tuple(getattr(p, name) for name in CASUALTY_SETTINGS) == best and best[0] > 0.55
    del row["gold_casualties"]  # without spans the totals alone decide: the first setting in the grid
    assert fit_casualty_settings(p, [row], [sc])[0] == (0.0, False, 0, 0.0, False)


def test_a_figure_needs_a_casualty_word_in_its_sentence_when_validation_says_so(trained):
    """Counts of people questioned or clashing are read as tolls on short notes; with
    `needs_casualty_word` a figure's sentence must say someone died or was hurt (counts of people
    arrested are dropped by `other_fates_are_no_casualties` in any sentence)."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Police shot dead 2 gang members on Monday. Officers questioned 5 others at the scene."
    mentions, sc = read_as(p, text, [{"killed:militants": 0.9}] * 2, "battles")  # both read as killed
    assert [m.value for m in mentions] == [2, 5]
    assert p.decode(text, sc)["killed"] == 5
    p.needs_casualty_word = True
    out = p.decode(text, sc)
    assert out["killed"] == 2 and [e["count"] for e in out["evidence"]] == [2]
    assert_switch_is_fitted(p, "needs_casualty_word", text, sc, killed_on=2, killed_off=5)


def test_a_suicide_bomber_is_counted_on_top_of_the_toll_when_asked(trained):
    """GTD and our annotators count a suicide bomber who set off the charge as a killed militant;
    the news toll counts the victims. With `count_bombers` the bomber comes on top, with evidence
    that names the rule, the mention and the sentence."""
    from eventcoder.evaluate import fit_casualty_switch
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "A suicide bomber set off his vest at the bus depot, killing 12 passengers."
    mentions, sc = read_as(p, text, [{}, {"killed:civilians": 0.9}], "explosions_remote_violence")
    assert [m.text for m in mentions] == ["A suicide bomber", "12"]
    assert p.decode(text, sc)["killed"] == 12
    p.count_bombers = True
    out = p.decode(text, sc)
    assert out["killed"] == 13 and out["casualties"]["killed"] == {"civilians": 12, "militants": 1}
    bomber = [e for e in out["evidence"] if e["on_top"]]
    assert len(bomber) == 1 and bomber[0]["implied"] and bomber[0]["text"] == "A suicide bomber"
    assert bomber[0]["start"] == 0 and bomber[0]["sentence"] == text and bomber[0]["group"] == "militants"
    with pytest.raises(ValueError, match="casualty switch 'count_bombers'"):  # set by hand, not searched
        fit_casualty_switch(p, [{"text": text, "killed_total": 13, "injured_total": 0}], [sc], "count_bombers")
    _, none_sc = read_as(p, text, [{}, {"killed:civilians": 0.9}], "none")
    assert p.decode(text, none_sc)["killed"] == 0  # no event, no figures: not even an implied one
    # the model read the bomber as killed: that figure, not another, comes on top of the toll
    _, read_sc = read_as(p, text, [{"killed:militants": 0.9}, {"killed:unknown": 0.9}], "explosions_remote_violence")
    out = p.decode(text, read_sc)
    assert out["killed"] == 13 and [(e["count"], e["on_top"], e["implied"]) for e in out["evidence"]] == [
        (1, True, False), (12, False, False)]
    # the attackers' deaths are told in another figure: nothing is added
    text = "A suicide bomber set off his vest at the gate and 3 gunmen were killed; 12 guards died."
    _, other_sc = read_as(p, text, [{}, {"killed:militants": 0.9}, {"killed:security_forces": 0.9}],
                          "explosions_remote_violence")
    assert p.decode(text, other_sc)["killed"] == 15


def test_a_lone_victim_without_a_number_is_counted_when_validation_says_so(trained):
    """"Gunmen shot and killed Karim Dost" has no number mention for the model to read; with
    `count_lone_victims` the predictor counts one killed, with evidence on the name (implied, score 0),
    only where no killed figure was read and the article reports an event."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Gunmen shot and killed Karim Dost near the market gate on Monday evening."
    _, sc = read_as(p, text, [], "violence_against_civilians")
    assert p.decode(text, sc)["killed"] == 0
    p.count_lone_victims = True
    out = p.decode(text, sc)
    assert out["killed"] == 1 and out["casualties"]["killed"] == {"unknown": 1}
    (e,) = out["evidence"]
    assert (e["text"], e["start"], e["implied"], e["score"], e["sentence"]) == ("Karim Dost", text.index("Karim"),
                                                                              True, 0.0, text)
    _, none_sc = read_as(p, text, [], "none")
    assert p.decode(text, none_sc)["killed"] == 0
    told = text + " Police said 3 people died in the attack."
    _, told_sc = read_as(p, told, [{"killed:unknown": 0.9}], "violence_against_civilians")
    out = p.decode(told, told_sc)
    assert out["killed"] == 3 and not any(e["implied"] for e in out["evidence"])
    assert_switch_is_fitted(p, "count_lone_victims", text, sc, killed_on=1, killed_off=0)
    # the group a noun of the phrase names
    p.count_lone_victims = True
    text = "Rebels shot and killed soldier Tomas Reyes at the river crossing on Sunday."
    _, sc = read_as(p, text, [], "battles")
    assert p.decode(text, sc)["casualties"]["killed"] == {"security_forces": 1}


@pytest.mark.parametrize("switch, text, readings, killed", [
    ("read_death_tolls", "Gunmen raided Ukora village. The governor puts the death toll at 42 on Monday.",
     [{}, {}], (0, 42)),  # "The governor" is a count too
    ("doers_are_no_victims", "A reporter was shot dead by two men on a motorcycle at his gate.",
     [{}, {"killed:civilians": 0.9}], (2, 0)),
    ("other_fates_are_no_casualties", "Gunmen killed 3 villagers and abducted 12 girls in Ukora.",
     [{"killed:civilians": 0.9}, {"killed:civilians": 0.8}], (12, 3)),
    ("outcome_by_verb", "A gunman fired on a patrol in Ukora, wounding 2 soldiers, and fled.",
     [{}, {"killed:security_forces": 0.9}], (2, 0)),
    ("read_left_dead", "The blast left 6 soldiers dead in Ukora on Monday.", [{}], (0, 6)),
    ("read_left_dead", "A blast in Ukora last year left 6 guards dead.", [{}], (0, 0)),  # dated: another event
    ("attackers_are_no_victims", "About 20 rebels from the Hill Front attacked a bus in Ukora, killing 9 passengers.",
     [{"killed:militants": 0.9}, {"killed:civilians": 0.9}], (29, 9)),
])
def test_switches_set_by_hand_that_read_or_drop_a_count_by_its_words(trained, switch, text, readings, killed):
    """`read_death_tolls`: a lead count given as a death toll, read as O by the model, is a killed
    figure (unknown: its noun names no group), marked `read_by_words`; `doers_are_no_victims`: a
    count after a passive's "by" is no figure whatever the model read. Both off by default.
    `other_fates_are_no_casualties` (on by default): a count told as abducted is no figure;
    `outcome_by_verb` (on): a count told as wounded is an injured figure of the group the model read;
    `read_left_dead` (on): a lead count told as the dead an event left, at no other time, is read as killed;
    `attackers_are_no_victims` (on): a count told as those who attacked is no figure."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.5
    assert getattr(p, switch) is (switch in ("other_fates_are_no_casualties", "outcome_by_verb", "read_left_dead",
                                             "attackers_are_no_victims"))
    setattr(p, switch, False)
    _, sc = read_as(p, text, readings, "violence_against_civilians")
    off = p.decode(text, sc)
    setattr(p, switch, True)
    on = p.decode(text, sc)
    assert (off["killed"], on["killed"]) == killed
    if switch == "read_death_tolls":
        assert on["casualties"]["killed"] == {"unknown": 42} and on["evidence"][-1]["read_by_words"]
    if switch == "outcome_by_verb":
        assert on["injured"] == 2 and on["casualties"]["injured"] == {"security_forces": 2}
        assert on["evidence"][-1]["outcome_by_verb"] and not off["evidence"][-1]["outcome_by_verb"]


def test_a_strategic_development_whose_lead_tells_ground_retaken_is_a_battle(trained):
    """ACLED codes regaining or overtaking territory by force as a battle: an article the model reads
    as a strategic development is decoded as a battle when its headline and lead tell a side
    retaking or seizing ground (`territory_is_battle`, on by default), its figures read as a battle's;
    not when the words come only past the lead, nor with the rule off, nor for another reading."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.no_casualty_types = 1.0, 1.0, ("strategic_developments",)
    text = "Army units retook the hill town of Velmora from the rebels on Friday; 4 soldiers were killed."
    _, sc = read_as(p, text, [{"killed:security_forces": 0.9}], "strategic_developments")
    out = p.decode(text, sc)
    assert out["event_type"] == "battles" and out["killed"] == 4
    assert out["scores"]["strategic_developments"] > out["scores"]["battles"]  # the scores stay the model's
    assert out["event_cue"] == {"rule": "territory", "text": "retook", "start": text.index("retook"),
                                "end": text.index("retook") + 6}
    p.territory_is_battle = False
    out = p.decode(text, sc)
    assert out["event_type"] == "strategic_developments" and out["killed"] == 0 and out["event_cue"] is None
    p.territory_is_battle = True
    handover = "The two parties signed a ceasefire in the capital on Friday. "
    p.lead_chars = len(handover) + 5
    late = handover + "Months earlier, army units retook the town."
    _, late_sc = read_as(p, late, [], "strategic_developments")
    assert p.decode(late, late_sc)["event_type"] == "strategic_developments"
    _, vac_sc = read_as(p, text, [{"killed:security_forces": 0.9}], "violence_against_civilians")
    assert p.decode(text, vac_sc)["event_type"] == "violence_against_civilians"


def test_a_battle_whose_headline_names_a_device_is_an_explosion(trained):
    """ACLED codes harm done by an explosive or remote weapon as explosions/remote violence: an article
    the model reads as a battle whose headline names one (`device_is_explosion`, on) is decoded so,
    with the cue's word and offsets; not without a headline, not with the rule off, not for another
    reading."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Patrol hits landmine near Orvale\n\nThree soldiers were killed on Monday when their patrol struck a mine."
    _, sc = read_as(p, text, [{"killed:security_forces": 0.9}], "battles")
    out = p.decode(text, sc)
    assert out["event_type"] == "explosions_remote_violence" and out["killed"] == 3
    start = text.index("landmine")
    assert out["event_cue"] == {"rule": "device", "text": "landmine", "start": start, "end": start + 8}
    assert out["scores"]["battles"] > out["scores"]["explosions_remote_violence"]  # the scores stay the model's
    p.device_is_explosion = False
    assert p.decode(text, sc)["event_type"] == "battles"
    p.device_is_explosion = True
    no_headline = text.replace("\n\n", " ")
    _, nh_sc = read_as(p, no_headline, [{"killed:security_forces": 0.9}], "battles")
    assert p.decode(no_headline, nh_sc)["event_type"] == "battles"
    _, vac_sc = read_as(p, text, [{"killed:security_forces": 0.9}], "violence_against_civilians")
    assert p.decode(text, vac_sc)["event_type"] == "violence_against_civilians"


def test_a_riot_whose_article_tells_no_violence_of_the_crowds_is_a_protest(trained):
    """ACLED codes a protest met with force as a protest: an article the model reads as a riot that
    tells a protest and no violent act of the crowd's own (`calm_crowd_is_protest`, on) is decoded
    as a protest, with the cue; not when the crowd threw stones, not with the rule off."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Police fire tear gas at marchers\n\nOfficers fired tear gas at a protest of farmers in Velmora on Monday."
    _, sc = read_as(p, text, [], "riots")
    out = p.decode(text, sc)
    start = text.index("marchers")  # the first word of a protest
    assert out["event_type"] == "protests"
    assert out["event_cue"] == {"rule": "calm-crowd", "text": "marchers", "start": start, "end": start + 8}
    p.calm_crowd_is_protest = False
    assert p.decode(text, sc)["event_type"] == "riots"
    p.calm_crowd_is_protest = True
    stones = text.replace("on Monday.", "on Monday after farmers threw stones.")
    _, st_sc = read_as(p, stones, [], "riots")
    assert p.decode(stones, st_sc)["event_type"] == "riots"


@pytest.mark.parametrize("switch, rule, reading, target, text, word, undone, undone_reading", [
    ("seized_weapons_are_development", "disrupted-weapons", "battles", "strategic_developments",
     "Police in Orvale seized 12 rifles and a box of grenades from a lorry at a checkpoint on Monday.", "seized",
     "; the driver was shot dead.", {"killed:civilians": 0.9}),
    ("seized_weapons_are_development", "disrupted-weapons", "explosions_remote_violence", "strategic_developments",
     "Army engineers in Orvale found a cache of mortar bombs under a bridge on Monday.", "found",
     " after another cache exploded nearby.", None),
    ("seized_weapons_are_development", "disrupted-weapons", "violence_against_civilians", "strategic_developments",
     "Police in Orvale seized 12 rifles and a box of grenades from a lorry at a checkpoint on Monday.", "seized",
     "; the driver was shot dead.", {"killed:civilians": 0.9}),
    ("chemical_weapon_is_explosion", "chemical-weapon", "violence_against_civilians",
     "explosions_remote_violence", "Medics in Orvale said a chlorine attack on the suburb left residents choking.",
     "chlorine attack", None, None),
    ("new_base_is_development", "new-base", "battles", "strategic_developments",
     "Army units set up a new observation post on the ridge above Orvale on Monday.", "set up",
     " after a firefight with rebels.", None),
    ("handover_is_development", "handover", "battles", "strategic_developments",
     "The militia handed the border crossing at Orvale over to army units on Monday.", "handed",
     " after a gunfight.", None),
    ("group_change_is_development", "group-activity", "battles", "strategic_developments",
     "Militiamen of the hill brigade defected to the government side near Orvale on Monday.", "defected",
     " and then clashed with rebels.", None),
    ("abduction_is_violence", "abduction", "strategic_developments", "violence_against_civilians",
     "Gunmen abducted farmers from their fields outside Orvale on Monday.", "abducted",
     " and released them the next day.", None),
    ("diplomacy_is_none", "diplomacy", "strategic_developments", "none",
     "The foreign ministry in Orvale recalled its envoys over the border remarks on Monday.", "foreign ministry",
     " after troops crossed the line.", None),
    ("accident_is_none", "accident", "explosions_remote_violence", "none",
     "A boiler exploded at a dye works in Orvale on Monday.", "boiler",
     ", and police said militants had planted a charge.", None),
])
def test_codebook_cues_that_settle_a_development_or_no_event(trained, switch, rule, reading, target, text, word,
                                                             undone, undone_reading):
    """ACLED codes weapons seized or found ("disrupted weapons use"), a base set up and
    ground handed over without a fight and fighters defecting as strategic developments, a chemical weapon as an explosion
    or remote violence, and no accident at all: an article the model reads as `reading` whose
    lead tells the cue and no harm, fight or attack is decoded as `target` with the cue (each switch
    on); not when the lead goes on to the harm or attack, not with the switch off, not past the lead."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    _, sc = read_as(p, text, [], reading)
    out = p.decode(text, sc)
    assert out["event_type"] == target
    assert out["event_cue"]["rule"] == rule and out["event_cue"]["start"] == text.index(word)
    assert out["scores"][reading] > out["scores"][target]  # the scores stay the model's
    setattr(p, switch, False)
    assert p.decode(text, sc)["event_type"] == reading
    setattr(p, switch, True)
    if undone:  # a weapon named is the cue whatever else the lead tells
        told = text[:-1] + undone
        _, told_sc = read_as(p, told, [undone_reading] if undone_reading else [], reading)
        assert p.decode(told, told_sc)["event_type"] == reading
    lead = "Crowds gathered in the square of Orvale on Sunday to hear a speech. "
    p.lead_chars = len(lead) + 5
    late = lead + text
    _, late_sc = read_as(p, late, [], reading)
    assert p.decode(late, late_sc)["event_type"] == reading


def test_a_count_a_killing_took_is_read_when_the_model_reads_o_and_the_switch_is_set(trained):
    """"Troops killed 20 villagers" read as O by the model: with `read_killing_clauses` (set by hand)
    it is a killed figure of the group its noun names, in the lead only; a count the model read stays
    as read; calibration does not search it."""
    from eventcoder.evaluate import fit_casualty_switch
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.5
    text = "Troops killed 20 villagers in the hills on Sunday, and 4 soldiers were wounded."
    _, sc = read_as(p, text, [{"killed:civilians": 0.1}, {"injured:security_forces": 0.9}], "battles")
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"]) == (0, 4)
    p.read_killing_clauses = True
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"]) == (20, 4) and out["casualties"]["killed"] == {"civilians": 20}
    p.lead_chars, p.body_threshold = 5, 0.0  # past the lead: the words alone do not make a figure
    assert p.decode(text, sc)["killed"] == 0
    with pytest.raises(ValueError, match="casualty switch 'read_killing_clauses'"):
        fit_casualty_switch(p, [{"text": text, "killed_total": 20, "injured_total": 4}], [sc], "read_killing_clauses")


@pytest.mark.parametrize("text, killed", [
    ("Troops killed 20 extremists in the hills on Sunday, and 4 soldiers were wounded.", 20),
    ("On Sunday 20 insurgents were killed in the hills, and 4 soldiers were wounded.", 20),
    ("Troops killed 20 villagers in the hills on Sunday, and 4 soldiers were wounded.", 0),
    ("Last year troops killed 20 extremists in the hills, and 4 soldiers were wounded.", 0),
    ("Troops arrested 20 extremists in the hills on Sunday, and 4 soldiers were wounded.", 0),
])
def test_militants_told_killed_are_read_where_the_model_reads_o(trained, text, killed):
    """`read_militants_killed` (on): a lead count the model reads as O, told as killed by its clause,
    whose noun names militants, at no other time, is a killed militant figure, marked `read_by_words`
    and scored as the model scored it; villagers, another time or another verb: not read."""
    from eventcoder.predictor import Predictor
    from eventcoder.schema import Evidence

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.5
    assert p.read_militants_killed and not p.read_killing_clauses
    _, sc = read_as(p, text, [{"killed:militants": 0.1}, {"injured:security_forces": 0.9}], "battles")
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"]) == (killed, 4)
    by_words = [Evidence(**e) for e in out["evidence"] if e["read_by_words"]]
    assert [(e.outcome, e.group, e.count, e.text) for e in by_words] == ([("killed", "militants", 20, "20")] if killed else [])
    assert all(e.score < 0.5 for e in by_words)
    p.read_militants_killed = False
    assert p.decode(text, sc)["killed"] == 0
    if killed:
        p.read_militants_killed, p.lead_chars, p.body_threshold = True, 3, 0.0  # past the lead: not read
        assert p.decode(text, sc)["killed"] == 0


def test_a_figures_group_is_the_one_its_noun_names(trained):
    """`group_by_noun` (on): "three soldiers were wounded" read as unknown is a security-forces
    figure, marked `group_by_noun`, and so is "several" in "Six police officers were shot dead,
    several hurt" read as civilians; "27 people" keeps the model's group; off, the model's groups."""
    from eventcoder.predictor import Predictor
    from eventcoder.schema import Evidence

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.5
    text = "Gunmen attacked a post on Monday. At least 27 people were killed and three soldiers were wounded."
    _, sc = read_as(p, text, [{"killed:unknown": 0.9}, {"injured:unknown": 0.9}], "battles")
    out = p.decode(text, sc)
    assert out["casualties"]["killed"] == {"unknown": 27} and out["casualties"]["injured"] == {"security_forces": 3}
    marked = [(e.text, e.group) for e in map(Evidence.model_validate, out["evidence"]) if e.group_by_noun]
    assert marked == [("three", "security_forces")]
    gapped = "Troops fought gunmen on Monday. Six police officers were shot dead, several hurt."
    _, gapped_sc = read_as(p, gapped, [{"killed:security_forces": 0.9}, {"injured:civilians": 0.9}], "battles")
    assert p.decode(gapped, gapped_sc)["casualties"]["injured"] == {"security_forces": "several"}
    p.group_by_noun = False
    out = p.decode(text, sc)
    assert out["casualties"]["injured"] == {"unknown": 3} and not any(e["group_by_noun"] for e in out["evidence"])
    assert p.decode(gapped, gapped_sc)["casualties"]["injured"] == {"civilians": "several"}


def test_a_toll_across_several_incidents_gives_the_event_its_share(trained):
    """`share_across_incidents` (on): an outcome whose figures are all told as summed across N
    incidents gets its even share in totals and groups, and `shared_across` names the words; an
    outcome told for this incident alone keeps its toll; off, the whole toll."""
    from eventcoder.predictor import Predictor
    from eventcoder.schema import Prediction

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.5
    text = ("Gunmen stormed a police post on Monday, one of three coordinated attacks in the district. "
            "Nine police officers and 12 gunmen were killed across the attacks. Two officers were wounded here.")
    _, sc = read_as(p, text, [{}, {"killed:security_forces": 0.9}, {"killed:militants": 0.9},
                              {"injured:security_forces": 0.9}], "battles")  # "one of three": O
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"]) == (7, 2)  # 21 over 3; the wounded are this post's
    assert out["casualties"]["killed"] == {"security_forces": 3, "militants": 4}
    cue = Prediction(**out).shared_across["killed"]
    assert cue.incidents == 3 and text[cue.start:cue.end] == cue.text == "across the attacks"
    assert "injured" not in out["shared_across"]
    p.share_across_incidents = False
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"], out["shared_across"]) == (21, 2, {})


def assert_switch_is_fitted(p, attr: str, text: str, sc, killed_on: int, killed_off: int) -> None:
    """`fit_casualty_switch` turns the decoding switch `attr` on when validation's killed toll is the
    one it gives (`killed_on`), and leaves it off when the toll is the one without it."""
    from eventcoder.evaluate import fit_casualty_switch

    setattr(p, attr, False)
    best, by_setting = fit_casualty_switch(p, [{"text": text, "killed_total": killed_on, "injured_total": 0}], [sc], attr)
    assert best is True and getattr(p, attr) is True and by_setting["False"] < by_setting["True"]
    best, _ = fit_casualty_switch(p, [{"text": text, "killed_total": killed_off, "injured_total": 0}], [sc], attr)
    assert best is False and getattr(p, attr) is False


def test_a_toll_dated_to_another_time_is_dropped_when_validation_says_so(trained):
    """A lead that recalls an earlier attack's toll ("a day after a bomb killed 11") gives the model
    a second figure it reads as this event's; with `drop_background` it is left out."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Two guards were killed by a car bomb on Friday, a day after a bomb in the capital killed 11 people."
    _, sc = read_as(p, text, [{"killed:security_forces": 0.9}, {"killed:unknown": 0.9}], "explosions_remote_violence")
    assert p.decode(text, sc)["killed"] == 11  # the unknown-group 11 taken to contain the two guards
    p.drop_background = True
    out = p.decode(text, sc)
    assert out["killed"] == 2 and [e["count"] for e in out["evidence"]] == [2]
    assert "another_time" not in out["evidence"][0]
    assert_switch_is_fitted(p, "drop_background", text, sc, killed_on=2, killed_off=11)
    from eventcoder.evaluate import fit_casualty_switch

    with pytest.raises(ValueError, match="casualty switch 'temperature'"):  # not a switch: said, not set
        fit_casualty_switch(p, [], [], "temperature")


def test_a_non_violent_event_reports_no_casualties_when_validation_says_so(trained):
    """A protest article that also tells of a shooting elsewhere: with `no_casualty_types` holding
    protests, its figures are left out as they are for `none`; calibration picks the types among the
    taxonomy's non-violent ones."""
    from eventcoder.evaluate import fit_no_casualty_types
    from eventcoder.predictor import Predictor
    from eventcoder.taxonomy import load_taxonomy

    candidates = load_taxonomy("acled").non_violent
    assert set(candidates) == {"protests", "strategic_developments"}
    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "Students marched peacefully on Monday against the shooting, in which 3 people were wounded."
    _, sc = read_as(p, text, [{"injured:unknown": 0.9}], "protests")
    assert p.decode(text, sc)["injured"] == 3
    p.no_casualty_types = ("protests",)
    out = p.decode(text, sc)
    assert (out["event_type"], out["injured"], out["evidence"]) == ("protests", 0, [])
    p.no_casualty_types = ()
    best, by_setting = fit_no_casualty_types(p, [{"text": text, "killed_total": 0, "injured_total": 0}], [sc], candidates)
    assert best == ("protests",) and p.no_casualty_types == ("protests",) and by_setting[""] < by_setting["protests"]
    best, _ = fit_no_casualty_types(p, [{"text": text, "killed_total": 0, "injured_total": 3}], [sc], candidates)
    assert best == () and p.no_casualty_types == ()


def test_the_predictor_reads_listed_figures_as_items_and_can_be_told_not_to(trained):
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature = 1.0, 1.0
    text = "In addition to the bomber, 5 people were killed. Two guards and a civilian were injured in the blast."
    _, sc = read_as(p, text, [{"killed:militants": 0.9}, {"killed:unknown": 0.9}, {"injured:unknown": 0.9},
                              {"injured:unknown": 0.9}], "explosions_remote_violence")
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"]) == (6, 3)
    items = [e for e in out["evidence"] if e["outcome"] == "injured"]
    assert [e["part_of"] for e in items] == [items[0]["start"]] * 2
    p.read_lists = p.read_on_top = False  # the ablation switches of scripts/rule_ablation.py
    p.group_by_noun = False  # else "guards" and "civilian" name two groups, which add without the list
    out = p.decode(text, sc)
    assert (out["killed"], out["injured"]) == (5, 2)


def test_fixed_event_settings_are_held_not_tuned(compose_config, trained, tmp_path):
    from eventcoder.evaluate import baseline_training_texts, fit_decode_settings, load_eval_set
    from eventcoder.predictor import Predictor

    cfg = compose_config("evaluate", [f"model_dir={trained}", f"paths.processed_dir={Path(trained).parent / 'data'}"])
    rows = [r for r in load_eval_set("sample", cfg)[0] if r["event_type"]][:12]
    p = Predictor.from_pretrained(trained)
    raw = p.score([r["text"] for r in rows], headlines=True)
    labels = baseline_training_texts(cfg)[1]
    info = fit_decode_settings(p, rows, raw, labels, {"lead_weight": 7.0, "headline_weight": 0.5, "prior_correction": 0.25})
    assert (p.lead_weight, p.headline_weight, p.prior_correction) == (7.0, 0.5, 0.25)
    assert info["fixed"] == {"lead_weight": 7.0, "headline_weight": 0.5, "prior_correction": 0.25}
    assert "validation_log_likelihood_by_lead_and_headline_weight" not in info  # no grid was searched
    assert "validation_totals_exact_then_groups_and_mentions_by_casualty_settings" in info  # still tuned
    assert "validation_totals_exact_then_groups_and_mentions_by_needs_casualty_word" in info
    assert "validation_totals_exact_then_groups_and_mentions_by_drop_background" in info
    with pytest.raises(ValueError, match="lead_weight with headline_weight"):
        fit_decode_settings(p, rows, raw, labels, {"lead_weight": 2.0})
    with pytest.raises(ValueError, match="fixable"):
        fit_decode_settings(p, rows, raw, labels, {"temperature": 2.0})


def test_casualty_settings_are_refitted_until_a_round_changes_none(trained, monkeypatch):
    """The casualty settings are fitted with every switch off, then the switches; a switch turned on
    can make other settings better, so the fit goes round again: here lone victims score best with
    lead_chars 500, which the first round, with them off, could not see."""
    import eventcoder.evaluate as E
    from eventcoder.predictor import Predictor

    def score(p, rows, raw):
        if p.count_lone_victims:
            return (3.0 if p.lead_chars == 500 else 2.0), 0.0
        return (1.0 if p.lead_chars == 1500 else 0.0), 0.0

    monkeypatch.setattr(E, "_casualty_score", score)
    p = Predictor.from_pretrained(trained)
    text = "Gunmen killed 3 villagers in Ukora."
    _, sc = read_as(p, text, [{"killed:civilians": 0.9}], "violence_against_civilians")
    row = {"id": "a", "text": text, "event_type": "violence_against_civilians", "killed_total": 3, "injured_total": 0}
    info = E.fit_decode_settings(p, [row], [sc], ["violence_against_civilians"],
                                 {"lead_weight": 1.0, "headline_weight": 0.0, "lexical_weight": 0.0, "prior_correction": 0.0})
    assert (info["lead_chars"], info["count_lone_victims"], info["casualty_fit_rounds"]) == (500, True, 3)
    assert (p.lead_chars, p.count_lone_victims) == (500, True)
    monkeypatch.setattr(E, "CASUALTY_FIT_ROUNDS", 1)  # one round: the settings of the switches-off fit
    info = E.fit_decode_settings(p, [row], [sc], ["violence_against_civilians"],
                                 {"lead_weight": 1.0, "headline_weight": 0.0, "lexical_weight": 0.0, "prior_correction": 0.0})
    assert (info["lead_chars"], info["count_lone_victims"]) == (1500, True)


def test_event_settings_maximise_the_gold_types_likelihood_where_macro_f1_is_flat(trained):
    """Both windows of each article already put the gold type first, so every lead weight gives the
    same macro-F1 and that objective keeps the first grid value; the likelihood still prefers the
    weight that trusts the surer lead window, and a wrong objective name is refused."""
    import torch

    from eventcoder.evaluate import LEAD_GRID, fit_decode_settings, fit_lead_weight
    from eventcoder.predictor import ArticleScores, Predictor

    p = Predictor.from_pretrained(trained)
    n = len(p.event_labels)

    def article(gold: int) -> ArticleScores:
        lead, body = torch.full((n,), 0.02), torch.full((n,), 0.05)
        lead[gold], body[gold] = 1 - 0.02 * (n - 1), 1 - 0.05 * (n - 1)
        windows = torch.stack([lead, body]).log()
        return ArticleScores(windows, [], torch.zeros(0, len(p.mention_labels)), torch.zeros(0))

    raw, gold = [article(g % n) for g in range(6)], [g % n for g in range(6)]
    best_f1, by_f1 = fit_lead_weight(p, raw, gold, objective="macro_f1")
    assert len(set(by_f1.values())) == 1 and best_f1 == LEAD_GRID[0]
    best_ll, by_ll = fit_lead_weight(p, raw, gold, objective="log_likelihood")
    assert best_ll[0] == max(lead for lead, _ in LEAD_GRID) and by_ll["/".join(map(str, best_ll))] > by_ll["1.0/0.0"]
    with pytest.raises(ValueError, match="log_likelihood, macro_f1"):
        fit_decode_settings(p, [], raw, [], objective="accuracy")


def test_a_script_gets_the_model_its_config_and_any_split_of_a_set(trained):
    from eventcoder.evaluate import load_eval_set, load_set, scoring_cli
    from eventcoder.predictor import Predictor

    predictor, cfg, sets = scoring_cli("scores sets", ["--model", str(trained), "--sets", "sample@validation", "sample"])
    assert isinstance(predictor, Predictor) and cfg.model_dir == str(trained)
    assert sets == ["sample@validation", "sample"]
    cfg.paths.processed_dir = str(Path(trained).parent / "data")  # the fixture's built sample set
    validation, test = (load_set(spec, cfg) for spec in sets)
    assert [r["id"] for r in validation] == [r["id"] for r in load_eval_set("sample", cfg, "validation")[0]]
    assert [r["id"] for r in test] == [r["id"] for r in load_eval_set("sample", cfg, "test")[0]]  # no @: test
    assert validation and test and not {r["id"] for r in validation} & {r["id"] for r in test}


def test_a_count_of_people_is_no_sides_figure(trained):
    """`people_take_no_side` (on): "7 people were hurt" that the model read as security forces (its
    sentence names the police as who spoke) is the unknown group's figure; one read as civilians stays
    so; with the switch off the model's group stays."""
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    p.lead_weight, p.temperature, p.mention_threshold = 1.0, 1.0, 0.5
    text = "Police in Ukora said 7 people were hurt when officers cleared the square."
    _, sc = read_as(p, text, [{"injured:security_forces": 0.9}], "protests")
    assert p.people_take_no_side
    out = p.decode(text, sc)
    assert out["casualties"]["injured"] == {"unknown": 7} and out["evidence"][0]["group_by_noun"]
    p.people_take_no_side = False
    assert p.decode(text, sc)["casualties"]["injured"] == {"security_forces": 7}
    p.people_take_no_side = True
    _, civ_sc = read_as(p, text, [{"injured:civilians": 0.9}], "protests")
    assert p.decode(text, civ_sc)["casualties"]["injured"] == {"civilians": 7}
