"""Fuzzing: readers and the Predictor never crash on odd input; they answer or name the problem."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.data.readers import read_records
from eventcoder.inputs import iter_inputs
from eventcoder.schema import RecordError
from eventcoder.taxonomy import load_taxonomy

TAX = load_taxonomy("acled")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def consume(path):
    """Every item is an Article or a RecordError; a RecordError raised must name the file."""
    try:
        items = list(read_records(path, TAX))
    except RecordError as e:
        assert str(path) in str(e)
        return []
    for it in items:
        assert hasattr(it, "text") or isinstance(it, RecordError)
    return items


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_jsonl_and_csv(tmp_path_factory, data):
    d = tmp_path_factory.mktemp("fz")
    for name in ("x.jsonl", "x.csv"):
        (d / name).write_bytes(data)
        consume(d / name)
        try:
            rows = list(iter_inputs(d / name))
        except RecordError as e:
            assert str(d / name) in str(e)
            continue
        assert all(isinstance(r, int) for r, _ in rows)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["id", "text", "event_type", "killed_total", "casualties", "extra"]),
                                st.one_of(st.none(), st.integers(-5, 10**12), st.text(max_size=50),
                                          st.lists(st.dictionaries(st.sampled_from(["outcome", "group", "count", "quote"]),
                                                                   st.one_of(st.text(max_size=8), st.integers(-3, 50)),
                                                                   max_size=4), max_size=3)),
                                max_size=6), max_size=8))
def test_random_records_are_kept_or_rejected_with_reasons(tmp_path_factory, records):
    import json

    d = tmp_path_factory.mktemp("fz")
    (d / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    items = consume(d / "r.jsonl")
    assert len(items) == len(records)  # one item per row, nothing lost
    for it in items:
        if isinstance(it, RecordError):
            assert it.row is not None and it.reason


@FUZZ
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=1, max_size=4),
       st.integers(0, 3))
def test_csv_quoting_and_extra_columns(tmp_path_factory, cells, extra):
    import csv

    d = tmp_path_factory.mktemp("fz")
    with open(d / "c.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        for i, c in enumerate(cells):
            w.writerow([f"r{i}", c, *["x"] * extra])
        fh.write('r9,"unterminated quote\n')
    items = consume(d / "c.csv")
    assert len(items) >= 1


@pytest.fixture(scope="module")
def tiny_predictor(trained):
    from eventcoder.predictor import Predictor

    return Predictor.from_pretrained(trained, backend="torch")


@pytest.mark.parametrize("text", [
    "<html><body><p>Gunmen killed <b>12</b> people.</p><script>x=1</script></body></html>",
    "Des hommes armés ont tué 12 personnes à Mopti. 武装分子杀死了12人。 قتل 12 شخصا",
    "Control\x00chars\x07 and \u202e bidi \ufeff marks: 5 soldiers\u200b died.",
    "The budget is 1,000,000,000 dollars and 1,000,000,000 people.",
    "1" * 5000,
])
def test_predictor_on_odd_texts(tiny_predictor, text):
    out = tiny_predictor([text])[0]
    assert out["event_type"] in tiny_predictor.event_labels
    for e in out["evidence"] + out["vague"]:
        assert text[e["start"]:e["end"]] == e["text"]


@pytest.mark.parametrize("bad", ["", "   \n\t "])
def test_predictor_refuses_empty_texts_by_index(tiny_predictor, bad):
    with pytest.raises(ValueError, match="text 0 is empty"):
        tiny_predictor([bad])


def test_predictor_on_a_one_megabyte_text(tiny_predictor):
    text = ("Police said 3 people were hurt in the clash near the market on Friday. A suicide bomber "
            "detonated a vest and killed Karim Dost. " * 8000)[:1_000_000]
    from eventcoder.toll import FEATURES, TollStep

    n = len(FEATURES)  # a toll step that counts every candidate: each figure's sentence and time words are read
    tiny_predictor.toll_step = TollStep(features=list(FEATURES), mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n,
                                        intercept=50.0)
    try:
        out = tiny_predictor([text])[0]
    finally:
        tiny_predictor.toll_step = None
    assert out["event_type"] in tiny_predictor.event_labels
