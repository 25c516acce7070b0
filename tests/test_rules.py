"""The rules registry: every rule has its switch in DecodeSettings, and the predictor runs it."""
from __future__ import annotations

from eventcoder.casualties import sentence_spans
from eventcoder.rules import RULES, apply_rules
from eventcoder.settings import Rules


def _figure(text: str, word: str, outcome: str = "killed") -> dict:
    start = text.index(word)
    return {"outcome": outcome, "group": "civilians", "count": 1, "start": start, "end": start + len(word)}


def test_every_rule_is_switched_by_a_setting_and_says_what_it_reads():
    switches = set(Rules.model_fields)
    assert RULES and {r.name for r in RULES} <= switches
    assert all(r.reads and r.applies for r in RULES)


def test_drop_background_drops_a_toll_dated_to_another_time_only_when_switched_on():
    text = ("Gunmen killed four villagers on Sunday. Last year an attack on the same village killed 30 people.")
    figures = [_figure(text, "four"), _figure(text, "30")]
    kept = apply_rules(text, [dict(f) for f in figures], sentence_spans(text), {"drop_background": True})
    assert [text[f["start"]:f["end"]] for f in kept] == ["four"]
    untouched = apply_rules(text, [dict(f) for f in figures], sentence_spans(text), {"drop_background": False})
    assert [text[f["start"]:f["end"]] for f in untouched] == ["four", "30"]
