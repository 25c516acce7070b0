from __future__ import annotations

import json
import textwrap

import pytest

from eventcoder.cli import main as cli_main
from eventcoder.data.readers import read_records, split_items
from eventcoder.schema import RecordError, parse_article
from eventcoder.taxonomy import load_taxonomy


def test_validation_error_names_file_row_and_field(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = {"id": "a", "text": "Two soldiers were killed.", "event_type": "battles",
            "casualties": [{"outcome": "killed", "group": "security_forces", "count": 2, "quote": "Two"}]}
    rows = [good, {**good, "id": "b", "casualties": [{"outcome": "killed", "group": "army", "count": 2,
                                                       "quote": "Two"}]},
            {**good, "id": "c", "killed_total": -3}, {"id": "d", "text": "   "}]
    bad.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n")
    ok, errors = split_items(read_records(bad, load_taxonomy("acled")))
    assert [a.id for a in ok] == ["a"]
    by_row = {e.row: e for e in errors}
    assert set(by_row) == {2, 3, 4, 5}
    assert by_row[2].field == "casualties.0.group" and "army" in str(by_row[2])
    assert by_row[3].field == "killed_total"
    assert by_row[4].field == "text"
    assert all(str(bad) in str(e) and f"row {e.row}" in str(e) for e in errors)


def test_parse_article_rejects_unknown_event_type():
    with pytest.raises(RecordError) as err:
        parse_article({"id": "x", "text": "t", "event_type": "war"}, file="f.jsonl", row=7,
                      taxonomy=load_taxonomy("acled"))
    assert (err.value.file, err.value.row, err.value.field) == ("f.jsonl", 7, "event_type")


def test_schema_command_writes_json_schemas(tmp_path):
    assert cli_main(["schema", "--out", str(tmp_path)]) == 0
    article = json.loads((tmp_path / "Article.schema.json").read_text())
    prediction = json.loads((tmp_path / "Prediction.schema.json").read_text())
    assert {"id", "text"} <= set(article["required"])
    assert {"event_type", "killed", "injured", "casualties", "evidence"} <= set(prediction["properties"])


def test_taxonomy_swaps_without_python_changes(tmp_path):
    """A new YAML file defines a new label space; records are checked against it."""
    yaml_file = tmp_path / "plover_lite.yaml"
    yaml_file.write_text(textwrap.dedent("""
        name: plover_lite
        event_types: [assault, protest, coerce]
        none_label: other
        outcomes: [killed, injured]
        groups: [civilians, combatants, unknown]
        unknown_group: unknown
    """))
    tax = load_taxonomy(yaml_file)
    assert tax.event_labels == ["assault", "protest", "coerce", "other"]
    assert "killed:combatants" in tax.mention_labels and "killed:militants" not in tax.mention_labels
    rec = {"id": "p", "text": "Three fighters died.", "event_type": "assault",
           "casualties": [{"outcome": "killed", "group": "combatants", "count": 3, "quote": "Three"}]}
    assert parse_article(rec, taxonomy=tax).event_type == "assault"
    with pytest.raises(RecordError):
        parse_article(rec, taxonomy=load_taxonomy("acled"))
    ucdp = load_taxonomy("ucdp")
    assert ucdp.event_labels[-1] == "none" and "killed:side_a" in ucdp.mention_labels


def test_invalid_taxonomy_file_is_reported(tmp_path):
    f = tmp_path / "broken.yaml"
    f.write_text("name: broken\nevent_types: [a, a]\ngroups: [x]\nunknown_group: x\n")
    with pytest.raises(ValueError, match="broken.yaml"):
        load_taxonomy(f)
    f.write_text("name: broken\nevent_types: [a, b]\ngroups: [x]\nunknown_group: x\nnon_violent: [c]\n")
    with pytest.raises(ValueError, match="non_violent names types outside"):
        load_taxonomy(f)
