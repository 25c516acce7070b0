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
    from eventcoder.scoring import target_intervals

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
    assert set(judged) == set(sample["intervals"])  # the figures over the articles that report casualties too
    assert judged["killed exact"]["value"] == sample["casualties"]["killed"]["model"]["exact"]
    assert judged["killed exact, reported"]["target"] == 0.75  # the sample's test split reports deaths
    assert judged["killed exact, reported"]["value"] == sample["casualties"]["killed"]["reported"]["model"]["exact"]
    assert judged["killed exact"]["target"] == 0.85 and result["targets"]["summary"].endswith("beyond chance).")
    report = (out / "report.md").read_text()
    assert "## Against the targets" in report and report.index("## Against the targets") < report.index("## Eval set")
    if sample["casualties"]["killed"]["reported"]["model"]["n"]:  # exact over the articles that report deaths too
        assert "| killed — model | reported (gold > 0) |" in report
    from eventcoder.report.plots import file_stems

    stems = file_stems(list(result["sections"]))  # a confusion matrix and a reliability diagram per set
    plots = [f"{kind}-{stems[s]}.png" for s in result["sections"] for kind in ("confusion", "calibration")]
    for name in ("report.md", "report.html", "casualties.png", "errors.jsonl", "casualty_totals.json", *plots):
        assert (out / name).is_file(), name
    totals = json.loads((out / "casualty_totals.json").read_text())  # what the casualty plot is drawn from
    assert len(totals["sample"]["gold_killed"]) == sample["n_articles"]
    html_text = (out / "report.html").read_text()
    srcs = re.findall(r'<img[^>]*src="([^"]+)"', html_text)
    assert len(srcs) == len(plots) + 1 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "http" not in html_text.split("<body>")[0]  # no external stylesheet or script
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert all({"gold", "prediction", "wrong"} <= set(e) for e in errors)
    card = (Path(trained) / "README.md").read_text()
    assert "## Evaluation (`pytest`)" in card and "event macro-F1" in card
    assert re.search(r"sample: \d+ articles; event macro-F1 \d\.\d{3} \[\d\.\d{3}–\d\.\d{3}\]", card)  # its interval


def test_reference_articles_are_scored_without_their_text():
    from eventcoder.scoring import reference_results
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


def test_lead_weight_decides_between_windows_and_is_fitted(trained):
    import torch

    from eventcoder.fitting import fit_lead_weight
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
    from eventcoder.scoring import score_set

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
    from eventcoder.scoring import score_set
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
    from eventcoder.scoring import score_set

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

    from eventcoder.eval_sets import load_eval_set

    with hydra_configs():
        cfg = compose("evaluate", overrides=[f"paths.processed_dir={tmp_path}"])
        rows, bad = load_eval_set("sample", cfg, "test")
    assert (tmp_path / "sample" / "dataset").is_dir() and not bad
    assert len(rows) == 35 and all(r["event_type"] and r["text"] for r in rows)


def test_event_settings_maximise_the_gold_types_likelihood_where_macro_f1_is_flat(trained):
    """Both windows of each article already put the gold type first, so every lead weight gives the
    same macro-F1 and that objective keeps the first grid value; the likelihood still prefers the
    weight that trusts the surer lead window, and a wrong objective name is refused."""
    import torch

    from eventcoder.fitting import LEAD_GRID, fit_decode_settings, fit_lead_weight
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
        fit_decode_settings(p, [], raw, objective="accuracy")


def test_a_script_gets_the_model_its_config_and_any_split_of_a_set(trained):
    from eventcoder.eval_sets import load_eval_set, load_set, scoring_cli
    from eventcoder.predictor import Predictor

    predictor, cfg, sets = scoring_cli("scores sets", ["--model", str(trained), "--sets", "sample@validation", "sample"])
    assert isinstance(predictor, Predictor) and cfg.model_dir == str(trained)
    assert sets == ["sample@validation", "sample"]
    cfg.paths.processed_dir = str(Path(trained).parent / "data")  # the fixture's built sample set
    validation, test = (load_set(spec, cfg) for spec in sets)
    assert [r["id"] for r in validation] == [r["id"] for r in load_eval_set("sample", cfg, "validation")[0]]
    assert [r["id"] for r in test] == [r["id"] for r in load_eval_set("sample", cfg, "test")[0]]  # no @: test
    assert validation and test and not {r["id"] for r in validation} & {r["id"] for r in test}


def test_decode_settings_apply_for_one_run_and_are_reported(compose_config, trained, tmp_path):
    from eventcoder.evaluate import evaluate_model
    from eventcoder.fitting import apply_decode_settings
    from eventcoder.predictor import Predictor

    p = Predictor.from_pretrained(trained)
    with pytest.raises(ValueError, match="decode_settings.nonsense: not a decoding setting"):
        apply_decode_settings(p, {"nonsense": 1})
    assert apply_decode_settings(p, {"lead_weight": "3", "lexical_weight": 0.5}) == {
        "lead_weight": "3", "lexical_weight": 0.5}
    assert p.lead_weight == 3.0 and p.lexical_weight == 0.5
    apply_decode_settings(p, {"learned_toll": False})  # a switch set by hand
    assert p.learned_toll is False
    cfg = compose_config("evaluate", [f"model_dir={trained}", "eval_sets=[sample]", "command=pytest",
                                      f"output_dir={tmp_path / 'r'}", "run_name=set", "reference=false",
                                      f"paths.processed_dir={Path(trained).parent / 'data'}",
                                      "decode_settings={lead_weight:4.0,headline_weight:2.5,learned_toll:false}"])
    out = evaluate_model(cfg)
    result = json.loads((out / "metrics.json").read_text())
    assert result["decode_settings"] == {"lead_weight": 4.0, "headline_weight": 2.5, "learned_toll": False}
    assert result["reference"] == []
    report = (out / "report.md").read_text()
    assert "Set by hand for this run (not fitted, not stored): lead_weight=4.0, headline_weight=2.5" in report
    # the paragraph states the settings in use, to the digit that was fitted
    assert "weighs its first window (headline and lead) 4× each later window and its headline read alone 2.5×" in report
    assert "a number is a casualty figure when the model's likeliest label for it is one" in report
    assert result["toll_step"] is None  # the tiny model's dir has no step


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
    assert json.loads((out / "metrics.json").read_text())["calibration"]["temperature"] == stored["temperature"]
    assert "/".join(map(str, (stored["lead_weight"], stored["headline_weight"]))) in \
        stored["validation_log_likelihood_by_lead_and_headline_weight"]
    loaded = Predictor.from_pretrained(d)
    for name in ("temperature", "lead_weight", "headline_weight", "lexical_weight"):
        assert getattr(loaded, name) == stored[name], name


def test_crosstune_decodes_each_fold_with_settings_tuned_on_the_others(compose_config, trained, tmp_path):
    import shutil

    from eventcoder.crosstune import cross_tune
    from eventcoder.data.split import fold_index
    from eventcoder.eval_sets import load_eval_set
    from eventcoder.evaluate import evaluate_model
    from eventcoder.fitting import fit_decode_settings
    from eventcoder.predictor import Predictor

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
    fit_decode_settings(p, others, p.score([r["text"] for r in others], headlines=True, lexical=True))
    fold0 = result["per_fold"][0]["settings"]
    assert fold0 == pytest.approx({n: getattr(p, n) for n in fold0})
    from eventcoder.settings import DecodeSettings

    stored = DecodeSettings.load(d).fit  # tune_store: the whole set's settings are the model's
    assert stored["crosstune"]["out_of_fold"]["event macro-F1"] == result["out_of_fold"]["event"]["model"]["macro_f1"]
    loaded = Predictor.from_pretrained(d)
    assert {n: getattr(loaded, n) for n in result["tuned_on_all"]} == pytest.approx(result["tuned_on_all"])
    assert "out of fold" in (out / "report.md").read_text()
    # a report scored with those settings says where they were tuned
    ecfg = compose_config("evaluate", [f"model_dir={d}", "data=sample", f"output_dir={tmp_path / 'e'}",
                                          "run_name=e", "command=pytest", f"paths.processed_dir={Path(trained).parent / 'data'}"])
    assert f"stored with the model, fitted on {stored['fitted_on']}" in (evaluate_model(ecfg) / "report.md").read_text()


def test_fixed_event_settings_are_held_not_tuned(compose_config, trained, tmp_path):
    from eventcoder.eval_sets import load_eval_set
    from eventcoder.fitting import fit_decode_settings
    from eventcoder.predictor import Predictor

    cfg = compose_config("evaluate", [f"model_dir={trained}", f"paths.processed_dir={Path(trained).parent / 'data'}"])
    rows = [r for r in load_eval_set("sample", cfg)[0] if r["event_type"]][:12]
    p = Predictor.from_pretrained(trained)
    raw = p.score([r["text"] for r in rows], headlines=True)
    info = fit_decode_settings(p, rows, raw, {"lead_weight": 7.0, "headline_weight": 0.5, "lexical_weight": 0.25})
    assert (p.lead_weight, p.headline_weight, p.lexical_weight) == (7.0, 0.5, 0.25)
    assert info["fixed"] == {"lead_weight": 7.0, "headline_weight": 0.5, "lexical_weight": 0.25}
    assert "validation_log_likelihood_by_lead_and_headline_weight" not in info  # no grid was searched
    with pytest.raises(ValueError, match="lead_weight with headline_weight"):
        fit_decode_settings(p, rows, raw, {"lead_weight": 2.0})
    with pytest.raises(ValueError, match="fixable"):
        fit_decode_settings(p, rows, raw, {"temperature": 2.0})


