"""Yes/no benchmarks: what an answer implies of a record, how each system is scored, bad rows kept apart."""
from __future__ import annotations

import gzip

import pytest

from eventcoder.data.exports import clean_text
from eventcoder.indicators import (
    evidence_hits,
    holds,
    load_rows,
    run_benchmark,
    score_check,
    word_rates,
)
from eventcoder.paths import SHARED_DIR as SHARED
from eventcoder.schema import RecordError


def rec(event="battles", killed=0, injured=0, evidence=()):
    return {"event_type": event, "killed": killed, "injured": injured, "evidence": list(evidence)}


def test_holds_reads_each_implication_off_the_record():
    assert holds("killed", rec(killed=2)) and not holds("killed", rec(injured=3))
    assert holds("injured", rec(injured=1)) and not holds("injured", rec(killed=1))
    assert holds("casualties", rec(injured=1)) and not holds("casualties", rec())
    assert holds("event", rec("riots")) and not holds("event", rec("none"))
    types = {"event_type": ["battles", "violence_against_civilians"]}
    assert holds(types, rec("battles")) and not holds(types, rec("explosions_remote_violence"))
    assert holds("killed", {"event_type": "battles"}) is None  # a type-only baseline says nothing of counts
    assert holds("event", {"killed": 1, "injured": 0}) is None  # the rules say nothing of types
    with pytest.raises(ValueError, match="implies"):
        holds("arrested", rec())


def test_score_check_recall_rate_when_no_and_iff_precision():
    answers = [True, True, True, False, False]
    records = [rec("explosions_remote_violence"), rec("explosions_remote_violence"), rec("battles"),
               rec("explosions_remote_violence"), rec("none")]
    check = {"column": "bomb", "implies": {"event_type": ["explosions_remote_violence"]}}
    one_way = score_check(check, answers, records)
    assert one_way == {"recall": 2 / 3, "rate_when_no": 1 / 2}
    both = score_check({**check, "iff": True}, answers, records)
    assert both["precision"] == pytest.approx(2 / 3)
    assert both["f1"] == pytest.approx(2 / 3)
    assert score_check({"column": "k", "implies": "killed"}, answers, [{"event_type": "none"}] * 5) is None


def test_clean_repairs_mojibake_and_drops_the_scraper_dateline():
    raw = "This story is from March 10, 2002\n\nahmedabad: police said \u00e2\u20ac\u02dccalm\u00e2\u20ac\u2122 returned."
    out = clean_text(raw, ["ftfy", "strip_dateline"])
    assert out.startswith("ahmedabad:") and "\u00e2" not in out and "calm" in out
    assert clean_text(raw, []).startswith("This story")
    with pytest.raises(ValueError, match="known steps"):
        clean_text(raw, ["lowercase"])


def test_load_rows_keeps_good_rows_and_reports_bad_ones(tmp_path):
    path = tmp_path / "docs.csv.gz"
    with gzip.open(path, "wt") as f:
        f.write("doc_id,doc_text,KILL\n1,police fired and two died,1\n2,,0\n3,a march passed off calmly,x\n"
                "4,a march passed off calmly,0\n5,a row with,0,one field too many\n")
    spec = {"path": str(path), "id_column": "doc_id", "text_column": "doc_text",
            "checks": [{"column": "KILL", "implies": "killed"}]}
    rows, errors = load_rows(spec)
    assert [r["id"] for r in rows] == ["1", "4"] and rows[0]["answers"] == {"KILL": True}
    assert [(e["row"], e["field"]) for e in errors] == [(2, "doc_text"), (3, "KILL"), (5, None)]
    assert all(e["file"] == str(path) for e in errors)
    with pytest.raises(RecordError, match="'FORCE' missing"):
        load_rows({**spec, "checks": [{"column": "FORCE", "implies": "event"}]})


def test_evidence_counts_a_figure_only_inside_a_labelled_sentence():
    text = "Riots spread. Police fired and killed two men. Earlier, five died in a fire."
    rows = [{"id": "a", "text": text, "answers": {"KILL": True}},
            {"id": "b", "text": text, "answers": {"KILL": True}},
            {"id": "c", "text": text, "answers": {"KILL": False}}]
    inside = {"outcome": "killed", "start": text.index("two"), "end": text.index("two") + 3}
    outside = {"outcome": "killed", "start": text.index("five"), "end": text.index("five") + 4}
    sentences = {"a": ["police fired and killed two men."], "b": ["Police fired and killed two men."],
                 "c": ["Police fired and killed two men."]}
    got = evidence_hits(rows, [rec(evidence=[inside]), rec(evidence=[outside]), rec(evidence=[inside])],
                        sentences, "KILL")
    assert got == {"texts": 2, "share_with_figure_in_labelled_sentence": 0.5}


def test_run_benchmark_scores_every_system_it_can(tmp_path):
    path = tmp_path / "satp.csv"
    path.write_text("text,label_1\nA bomb went off in the market.,1\nGunmen opened fire.,0\n")
    spec = {"name": "toy", "path": str(path), "text_column": "text",
            "checks": [{"column": "label_1", "implies": {"event_type": ["explosions_remote_violence"]}, "iff": True},
                       {"column": "label_1", "question": "casualties?", "implies": "casualties"}]}
    model = lambda ts: [rec("explosions_remote_violence" if "bomb" in t else "battles", killed=1) for t in ts]  # noqa: E731
    types = lambda ts: {"tfidf_logreg": ["battles" for _ in ts]}  # noqa: E731
    out = run_benchmark(spec, model, types)
    bomb, cas = out["checks"]
    assert bomb["yes"] == 1 and bomb["no"] == 1
    assert bomb["systems"]["model"]["f1"] == 1.0 and bomb["systems"]["tfidf_logreg"]["recall"] == 0.0
    assert set(cas["systems"]) == {"model"}  # the type-only baseline is not scored on counts
    shooting = {"column": "label_0", "implies": {"event_type": ["battles"]}, "unless": ["label_1"]}
    path.write_text("text,label_0,label_1\nA bomb and gunfire.,1,1\nGunmen opened fire.,1,0\nA rally.,0,0\n")
    out = run_benchmark({**spec, "checks": [shooting]}, model, types)
    assert (out["checks"][0]["yes"], out["checks"][0]["no"]) == (1, 1)  # the bombing left out
    assert out["checks"][0]["systems"]["model"]["recall"] == 1.0


def test_word_rates_read_a_label_column_off_its_texts(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,label_0\nA blast hit.,1\nA bomb and a blast.,1\nShots fired.,0\n")
    rates = word_rates(path, ["blast", "shot"])
    assert rates["label_0"]["blast"] == (1.0, 0.0) and rates["label_0"]["shot"] == (0.0, 1.0)
    assert rates["label_0"]["(texts)"] == (2, 1)


def test_configs_compose_and_read_the_real_corpora(compose_config):
    from omegaconf import OmegaConf

    cfg = compose_config("indicators", [f"paths.shared_dir={SHARED}"])
    specs = OmegaConf.to_container(cfg.benchmarks, resolve=True)
    assert set(specs) == {"india_police_events", "satp"}
    if not (SHARED / "data" / "conflibert_satp_relevant").is_dir():
        pytest.skip("../shared/data is not beside the repository")
    rows, errors = load_rows(specs["satp"])
    assert len(rows) + len(errors) == 233 and len(rows) > 200
    assert all(set(r["answers"]) == {"label_0", "label_1", "label_2"} for r in rows)
