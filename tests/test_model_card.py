"""The model card: intended use, training data with its counts, limitations and measured results, from
a model dir and an evaluation's metrics.json; docs/model_card.md in step with the report it names."""
from __future__ import annotations

import json
import re
from pathlib import Path

from eventcoder.cli import main
from eventcoder.model_card import TRAINING_DATA, render_card

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "reports" / "real" / "metrics.json"


def test_training_keeps_its_data_counts_and_the_card_states_them(trained):
    stats = json.loads((Path(trained) / TRAINING_DATA).read_text())
    card = render_card(trained)
    for heading in ("## Intended use", "## Training data", "## Validation metrics", "## Evaluation", "## Limitations"):
        assert heading in card
    assert f"Dataset `{stats['name']}`" in card and f"{stats['rows']} rows" in card
    for source, counts in stats["rows_per_source_and_split"].items():
        assert f"| {source} | `data/sample` | {counts.get('train', 0)} | {counts.get('validation', 0)} |" in card
    assert "Not evaluated yet" in card


def test_card_carries_an_evaluations_results_and_its_shortfalls(trained):
    result = json.loads(REPORT.read_text())
    card = render_card(trained, result)
    assert f"## Evaluation (`{result['command']}`)" in card and "Not evaluated yet" not in card
    head = next(iter(result["sections"]))
    assert f"in the evaluation's order (`{head}` first)" in card
    for spec, items in result["targets"]["judged"].items():
        for j in items:
            assert f"| {spec} | {result['sections'][spec]['n_articles']} | {j['figure']} | {j['value']:.3f} |" in card
    missed = [(s, j) for s, items in result["targets"]["judged"].items() for j in items if j["value"] < j["target"]]
    limits = card.split("## Limitations")[1]
    assert missed and all(f"- {s}: {j['figure']} {j['value']:.3f} against a target" in limits for s, j in missed)


def test_card_command_writes_a_card_apart_and_names_itself(trained, tmp_path, capsys):
    readme = (Path(trained) / "README.md").read_text()
    out = tmp_path / "card.md"
    assert main(["card", "--model", str(trained), "--metrics", str(REPORT), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text()
    assert f"written by `eventcoder card --model {trained} --metrics {REPORT} --out {out}`" in text
    assert (Path(trained) / "README.md").read_text() == readme  # the model's own card is left as it was


def test_committed_model_card_matches_the_report_it_names():
    doc = (ROOT / "docs" / "model_card.md").read_text()
    made = re.search(r"written by `eventcoder card --model (\S+) --metrics (\S+) --out docs/model_card.md`", doc)
    assert made and made.group(2) == "reports/real-mpnet/metrics.json"
    result = json.loads((ROOT / made.group(2)).read_text())
    assert f"## Evaluation (`{result['command']}`)" in doc
    for spec, items in result["targets"]["judged"].items():
        for j in items:
            assert f"| {spec} | {result['sections'][spec]['n_articles']} | {j['figure']} | {j['value']:.3f} |" in doc


def test_evaluation_keeps_the_text_of_a_card_it_did_not_write(tmp_path):
    from eventcoder.model_card import update_card

    result = json.loads(REPORT.read_text())
    soup = "# eventcoder model `soup`\n\nThe mean of these models' weights:\n\n- `models/a`\n- `models/b`\n"
    (tmp_path / "README.md").write_text(soup + "\n## Evaluation (`an earlier run`)\n\n- old figures\n")
    card = update_card(tmp_path, result).read_text()
    assert card.startswith(soup)
    assert card.count("## Evaluation") == 1 and f"## Evaluation (`{result['command']}`)" in card
    assert "old figures" not in card and "## Limitations" in card
