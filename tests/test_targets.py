"""Scored sets judged against the targets (`eventcoder.targets`), built by `scoring.score_set`."""
import pytest

from eventcoder.scoring import score_set
from eventcoder.targets import judge, summary, verdict

TARGETS = {"event_macro_f1": 0.85, "killed_exact": 0.85, "injured_exact": 0.80}
LABELS = ["battles", "riots", "protests", "none"]


def scored(n: int, killed_right: int, stated: bool = True, types: tuple[str, ...] = ("battles", "riots", "protests"),
           read_as: str | None = None) -> dict:
    """n articles whose event types are all right (or all read as `read_as`), killed right on the first
    `killed_right`; each text states its toll, or not."""
    rows, preds = [], []
    for i in range(n):
        k = 3 + i % 4
        rows.append({"id": str(i), "text": f"Rebels killed {k} soldiers." if stated else "Fighting went on.",
                     "event_type": types[i % len(types)], "killed_total": k, "injured_total": -1,
                     "gold_casualties": None})
        preds.append({"event_type": read_as or rows[-1]["event_type"], "score": 0.9,
                      "killed": k if i < killed_right else k + 10, "injured": 0, "casualties": {},
                      "evidence": [], "vague": []})
    base = {"majority": ["battles"] * n, "tfidf_logreg": ["battles"] * n,
            "rule_based": [{"killed": 0, "injured": 0, "casualties": {}, "evidence": []}] * n}
    return score_set(rows, preds, LABELS, base)


@pytest.mark.parametrize("value, interval, expected", [
    (0.90, [0.86, 0.95], "met beyond chance"), (0.90, [0.80, 0.95], "met; its interval reaches below"),
    (0.80, [0.70, 0.88], "missed; its interval reaches the target"), (0.60, [0.50, 0.70], "missed beyond chance"),
    (0.90, None, "met"), (0.60, None, "missed")])
def test_a_verdict_reads_the_interval_as_well_as_the_figure(value, interval, expected):
    assert verdict(value, interval, 0.85) == expected


@pytest.fixture(scope="module")
def large():
    return scored(120, killed_right=118)


@pytest.fixture(scope="module")
def small():
    return scored(17, killed_right=13)


def test_figures_past_their_targets_on_a_large_set_are_met_beyond_chance_and_ahead(large):
    rows = {r["figure"]: r for r in judge(large, TARGETS)}
    assert set(rows) == {"event macro-F1", "killed exact"}  # no injured totals: no injured verdict
    assert rows["killed exact"]["value"] == pytest.approx(118 / 120)
    assert rows["killed exact"]["verdict"] == "met beyond chance" and rows["killed exact"]["limits"] == []
    assert rows["killed exact"]["ahead"] == "ahead beyond chance" and rows["killed exact"]["baseline"] == "rule_based"
    assert rows["event macro-F1"]["lead"] > 0.5


def test_a_miss_on_totals_the_text_does_not_state_says_so():
    rows = {r["figure"]: r for r in judge(scored(20, killed_right=2, stated=False), TARGETS)}
    killed = rows["killed exact"]
    assert killed["verdict"] == "missed beyond chance"
    assert any(s.startswith("20 of 20 gold totals are not stated") for s in killed["limits"])


def test_a_near_miss_on_a_small_set_names_its_size(small):
    killed = {r["figure"]: r for r in judge(small, TARGETS)}["killed exact"]
    assert killed["verdict"] == "missed; its interval reaches the target"
    assert any("17 articles: one article moves an exact-match share by 0.059" in s for s in killed["limits"])


def test_an_event_miss_names_its_confusions_and_types_read_but_not_in_the_gold():
    event = {r["figure"]: r for r in judge(scored(20, killed_right=20, types=("battles", "riots"), read_as="protests"),
                                           TARGETS)}["event macro-F1"]
    assert event["verdict"] == "missed beyond chance"
    assert any("battles → protests 10" in s and "riots → protests 10" in s for s in event["limits"])
    assert any(s.startswith("read but not in the gold, each a class at F1 0: protests") for s in event["limits"])


def test_the_summary_counts_every_set(large, small):
    # the small set: every event type right (met beyond chance), killed 13 of 17 (missed, within chance)
    judged = {"large": judge(large, TARGETS), "small": judge(small, TARGETS)}
    assert summary(judged) == ("3 of 4 target figures met (3 beyond chance); the model ahead of the best baseline "
                               "on 4 of 4 (4 beyond chance).")


def test_a_target_over_the_articles_that_report_deaths_ignores_the_zero_totals():
    # 10 articles with no deaths, all read 0 (right), and 10 with deaths, 5 of them read right: 0.75 over
    # all articles, 0.5 over those that report deaths; only the second misses its target
    rows, preds = [], []
    for i in range(20):
        k = 0 if i < 10 else 3 + i % 4
        rows.append({"id": str(i), "text": f"Rebels killed {k} soldiers." if k else "Talks went on.",
                     "event_type": "battles", "killed_total": k, "injured_total": -1, "gold_casualties": None})
        preds.append({"event_type": "battles", "score": 0.9, "killed": k if i < 15 else k + 1, "injured": 0,
                      "casualties": {}, "evidence": [], "vague": []})
    base = {"majority": ["battles"] * 20, "tfidf_logreg": ["battles"] * 20,
            "rule_based": [{"killed": 0, "injured": 0, "casualties": {}, "evidence": []}] * 20}
    sec = score_set(rows, preds, LABELS, base)
    rows_by = {r["figure"]: r for r in judge(sec, {"killed_exact": 0.70, "killed_exact_reported": 0.70})}
    assert rows_by["killed exact"]["value"] == pytest.approx(0.75)
    assert rows_by["killed exact, reported"]["value"] == pytest.approx(0.5)
    assert rows_by["killed exact"]["value"] >= 0.70 > rows_by["killed exact, reported"]["value"]
    assert rows_by["killed exact, reported"]["lead"] == pytest.approx(0.5)  # always-0 rules score 0 there
    # a near miss names the size of the set the figure is taken over: the 10 that report deaths
    assert any(s.startswith("10 articles: one article moves an exact-match share by 0.100")
               for s in rows_by["killed exact, reported"]["limits"])
