"""The evaluation report as a researcher reads it: the headline set on one screen first, a linked
table of contents, settings in an appendix, aligned tables, a confusion matrix and a reliability
diagram per set in that set's colour, and a re-render from metrics.json that changes no figure."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf
from PIL import Image

from eventcoder.report import TOTALS_FILE, render_report
from eventcoder.report.doc import is_numeric, slug
from eventcoder.report.plots import file_stems, set_colours
from eventcoder.report.rerender import rerender
from eventcoder.scoring import judge_targets, score_set

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["battles", "explosions_remote_violence", "violence_against_civilians", "riots", "protests",
          "strategic_developments", "none"]
SETS = ("alpha_set", "beta:set")


def _article(i: int, right: bool) -> tuple[dict, dict]:
    """A gold row and a prediction: gunmen kill k villagers and wound w police; wrong ones misread."""
    k, w = 2 + i % 4, i % 3
    text = f"Gunmen killed {k} villagers and wounded {w} police officers in the north."
    ks, ws = text.index(str(k)), text.index(f"wounded {w}") + len("wounded ")
    gold = [{"outcome": "killed", "group": "civilians", "count": k, "start": ks, "end": ks + 1},
            {"outcome": "injured", "group": "security_forces", "count": w, "start": ws, "end": ws + 1}]
    row = {"id": f"a{i}", "text": text, "event_type": LABELS[i % 3], "killed_total": k, "injured_total": w,
           "gold_casualties": gold, "labelled_from": 0}
    pk = k if right else k + 1
    evidence = [{"outcome": "killed", "group": "civilians", "count": pk, "start": ks, "end": ks + 1},
                {"outcome": "injured", "group": "security_forces", "count": w, "start": ws, "end": ws + 1}]
    pred = {"event_type": row["event_type"] if right else "riots", "score": 0.9 if right else 0.6,
            "killed": pk, "injured": w, "evidence": evidence, "vague": [],
            "casualties": {"killed": {"civilians": pk}, "injured": {"security_forces": w}}}
    return row, pred


def _scored_set(s: int) -> tuple[dict, dict]:
    """Set number `s`: 24 articles, a quarter of them misread (a different quarter per set)."""
    pairs = [_article(i, right=(i + s) % 4 != 0) for i in range(24)]
    rows, preds = [p[0] for p in pairs], [p[1] for p in pairs]
    base = {"majority": ["battles"] * len(rows), "tfidf_logreg": [LABELS[i % 2] for i in range(len(rows))],
            "rule_based": [{"killed": 0, "injured": 0, "casualties": {"killed": {}, "injured": {}},
                            "evidence": [], "vague": []} for _ in rows]}
    totals = {f"{w}_{o}": [r[f"{o}_total"] if w == "gold" else p[o] for r, p in pairs]
              for w in ("gold", "pred") for o in ("killed", "injured")}
    return {**score_set(rows, preds, LABELS, base), "bad_rows": 0}, totals


def fake_result() -> tuple[dict, dict]:
    """An evaluation result of two sets scored by `score_set` on synthetic articles (no model), and
    the per-article totals the casualty plot reads; 50 bootstrap resamples (the report, not the
    intervals, is under test here)."""
    from functools import partial
    from unittest import mock

    from eventcoder import metrics

    sections, totals = {}, {}
    with mock.patch.object(metrics, "bootstrap_interval", partial(metrics.bootstrap_interval, n_resamples=50)):
        for s, name in enumerate(SETS):
            sections[name], totals[name] = _scored_set(s)
    cfg = OmegaConf.create({"targets": {"event_macro_f1": 0.85, "killed_exact": 0.85, "injured_exact": 0.8}})
    result = {"run": "fake", "model": "models/fake", "command": "python -m eventcoder.evaluate model=models/fake",
              "eval_sets": list(SETS), "split": "test", "decode_settings": {}, "reference": [],
              "calibration": {"temperature": 1.0, "fitted_now": False, "fitted_on": "alpha_set validation"},
              "baseline_train": "sample", "sections": sections, "targets": judge_targets(sections, cfg),
              "vague_table": {"dozens": 12}, "count_vague_in_totals": False}
    return result, totals


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("report")
    result, totals = fake_result()
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / TOTALS_FILE).write_text(json.dumps(totals) + "\n")
    render_report(result, totals, out)
    return result, out


def _h2(md: str) -> list[str]:
    return [line[3:] for line in md.splitlines() if line.startswith("## ")]


def test_summary_comes_first_with_the_headline_sets_figures_and_targets(report):
    result, out = report
    md = (out / "report.md").read_text()
    assert _h2(md)[0] == "Summary" and md.splitlines()[0].startswith("# Evaluation of")
    summary = md.split("## Summary", 1)[1].split("**Contents**", 1)[0]
    sec = result["sections"]["alpha_set"]
    assert "`alpha_set`" in summary and "beta:set" not in summary  # the first set only
    ev, cas = sec["event"], sec["casualties"]
    best = max(("tfidf_logreg", "majority"), key=lambda b: ev[b]["macro_f1"])
    f1 = ev["model"]["macro_f1"]
    assert f"| event macro-F1 | {f1:.3f} |" in summary and f"| {best} | {ev[best]['macro_f1']:.3f} | 0.850 |" in summary
    assert ("met" if f1 >= 0.85 else "missed") + f" by {abs(f1 - 0.85):.3f}" in summary
    for o, target in (("killed", 0.85), ("injured", 0.8)):
        exact = cas[o]["model"]["exact"]
        assert f"| {o} exact | {exact:.3f} |" in summary and f"| {target:.3f} |" in summary
        n = cas[o]["reported"]["model"]["n"]
        assert f"| {o} exact where gold > 0 ({n} articles) | {cas[o]['reported']['model']['exact']:.3f} |" in summary
    assert f"| by-group exact | {cas['by_group_exact']['model']:.3f} |" in summary
    html = (out / "report.html").read_text()
    body = html.split("<body>", 1)[1]
    assert body.index('<section class="summary">') < body.index("<nav>") < body.index('id="against-the-targets"')


def test_summary_of_a_result_written_before_intervals_and_targets_leaves_their_columns_out(report):
    from eventcoder.report.summary import summary_lead, summary_table

    result, _ = report
    old = {**result, "targets": {}, "sections": {k: {kk: v for kk, v in sec.items() if kk != "intervals"}
                                                 for k, sec in result["sections"].items()}}
    header, rows = summary_table(old)
    assert header == ["figure", "model", "best baseline", "its figure"] and len(rows) == 6
    assert "judged no targets" in summary_lead(old)
    assert summary_table(result)[0][-2:] == ["target", "against the target"]


def test_contents_link_every_h2_by_githubs_anchor(report):
    _, out = report
    md = (out / "report.md").read_text()
    contents = md.split("**Contents**", 1)[1].split("\n## ", 1)[0]
    heads = _h2(md)
    assert len(heads) >= 5
    for head in heads:
        assert f"- [{head}](#{slug(head)})" in contents
    html = (out / "report.html").read_text()
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == len(heads) and all(f'href="#{i}"' in nav for i in ids)
    # GitHub's anchors: lower case, punctuation dropped, spaces as hyphens
    assert slug("Eval set `real_quick:gtd` (190 articles, 0 bad rows reported)") == \
        "eval-set-real_quickgtd-190-articles-0-bad-rows-reported"


def test_settings_are_in_the_appendix_at_the_end(report):
    _, out = report
    md = (out / "report.md").read_text()
    assert _h2(md)[-1] == "Appendix: command and settings"
    head, appendix = md.split("## Appendix: command and settings", 1)
    for said in ("Produced by:", "event scores use temperature", "Vague quantities"):
        assert said in appendix and said not in head


def test_tables_align_numbers_right_and_text_left(report):
    _, out = report
    md = (out / "report.md").read_text().splitlines()
    rows = [i for i, line in enumerate(md) if line.startswith("|")]
    aligns = [md[i] for i in rows if i - 1 in rows and (i - 2 not in rows)]
    assert aligns and all(re.fullmatch(r"\|((:---|---:)\|)+", a) for a in aligns)
    assert "| system | accuracy | macro-F1 | macro-F1 over the gold's types |\n|:---|---:|---:|---:|" in "\n".join(md)
    html = (out / "report.html").read_text()
    assert '<th class="num">accuracy</th>' in html and "<th>system</th>" in html and ".num{text-align:right" in html
    assert is_numeric([0.5, 3, None, "0.533 to 0.721", "-0.02", "12%"]) and not is_numeric(["battles", 0.5])
    assert not is_numeric([True, False]) and not is_numeric(["", None])


def _colour_fraction(png: Path, hex_colour: str, blend: float = 1.0, tol: int = 2) -> float:
    """Share of the image's pixels of a colour (blended over white by `blend`)."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    want = blend * rgb + (1 - blend) * 255
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=float).reshape(-1, 3)
    return float((np.abs(pixels - want).max(axis=1) <= tol).mean())


def test_each_set_has_its_own_confusion_matrix_and_reliability_diagram_in_its_colour(report):
    result, out = report
    colours, stems = set_colours(list(SETS)), file_stems(list(SETS))
    html = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    for name in SETS:
        other = colours[SETS[1 - SETS.index(name)]]
        for kind in ("confusion", "calibration"):
            png = out / f"{kind}-{stems[name]}.png"
            assert png.is_file()
            assert _colour_fraction(png, colours[name]) > 0.001 and _colour_fraction(png, other) == 0
        section = md.split(f"## Eval set `{name}`", 1)[1].split("\n## ", 1)[0]  # beside the set's tables
        assert f"(confusion-{stems[name]}.png)" in section and f"(calibration-{stems[name]}.png)" in section
    for name in SETS:  # both sets in the casualty plot, each in its colour (points at alpha 0.5)
        assert _colour_fraction(out / "casualties.png", colours[name], blend=0.5, tol=3) > 0
    srcs = re.findall(r'<img[^>]*src="([^"]+)"', html)
    assert len(srcs) == 5 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # no external asset


def test_set_colours_are_fixed_per_set_and_distinct():
    names = ["dev_world", "dev_articles", "case2021", "real_quick:gtd"]
    assert set_colours(names) == set_colours(list(names))
    assert len(set(set_colours(names).values())) == len(names)
    many = [f"set{i}" for i in range(30)]
    assert len(set(set_colours(many).values())) == 30
    assert file_stems(["a:b", "a-b", "/tmp/x/gold.jsonl"]) == {"a:b": "a-b", "a-b": "a-b-2", "/tmp/x/gold.jsonl": "gold"}


def test_rerender_from_metrics_json_gives_the_same_report_and_keeps_the_other_files(report, tmp_path):
    import shutil

    _, first = report
    out = tmp_path / "copy"
    shutil.copytree(first, out)
    (out / "errors.jsonl").write_text('{"id": "a1"}\n')
    (out / "confusion_matrix.png").write_bytes((first / "casualties.png").read_bytes())  # a plot of an old layout
    metrics = (out / "metrics.json").read_bytes()
    rerender(out)
    assert (out / "metrics.json").read_bytes() == metrics and (out / "errors.jsonl").read_text() == '{"id": "a1"}\n'
    assert (out / "report.md").read_text() == (first / "report.md").read_text()
    assert not (out / "confusion_matrix.png").exists()
    # without the per-article totals the casualty plot is kept as it was drawn, and said so
    (out / TOTALS_FILE).unlink()
    drawn = (out / "casualties.png").read_bytes()
    done = rerender(out)
    assert (out / "casualties.png").read_bytes() == drawn and any("casualties.png kept" in d for d in done)
    assert "as the evaluate run drew it" in (out / "report.md").read_text()


def test_casualty_totals_of_a_run_that_did_not_keep_them_are_rebuilt_and_checked(report):
    from eventcoder.report.totals import rebuild_totals

    result, _ = report
    _, totals = fake_result()
    rows, errors = {}, []
    for s, name in enumerate(SETS):  # the articles of `_scored_set`, and errors.jsonl as evaluate writes it
        pairs = [_article(i, right=(i + s) % 4 != 0) for i in range(24)]
        rows[name] = [r for r, _ in pairs]
        errors += [{"eval_set": name, "id": r["id"], "prediction": p} for r, p in pairs
                   if (p["event_type"], p["killed"], p["injured"]) != (r["event_type"], r["killed_total"],
                                                                       r["injured_total"])]
    assert rebuild_totals(result, errors, rows.__getitem__) == totals
    errors[0]["prediction"] = {**errors[0]["prediction"], "killed": errors[0]["prediction"]["killed"] + 5}
    with pytest.raises(ValueError, match=r"eval set alpha_set: rebuilt killed totals \(all articles\)"):
        rebuild_totals(result, errors, rows.__getitem__)  # not the predictions scored: refused
    with pytest.raises(ValueError, match="eval set alpha_set: 23 articles now, 24 when scored"):
        rebuild_totals(result, errors, lambda name: rows[name][1:])


def test_rerender_names_the_missing_or_bad_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "metrics.json"))):
        rerender(tmp_path)
    (tmp_path / "metrics.json").write_text('{"sections": {}}')
    with pytest.raises(ValueError, match="metrics.json: not an evaluation result.*no run"):
        rerender(tmp_path)
    run = subprocess.run([sys.executable, "-m", "eventcoder.report", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2 and "not an evaluation result" in run.stderr


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").is_file(), reason="/usr/bin/chromium not installed")
def test_screenshot_of_a_report_in_headless_chromium_is_not_blank(report, tmp_path):
    _, out = report
    png = tmp_path / "shot.png"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshot_report.py"), str(out / "report.html"),
                          str(png)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    pixels = np.asarray(Image.open(png).convert("RGB"))
    assert pixels.shape[:2] == (2000, 1280) and len(np.unique(pixels.reshape(-1, 3), axis=0)) > 10
    # the summary's frame (#444) is drawn: the page rendered the report, not an error page
    assert (np.abs(pixels.reshape(-1, 3).astype(int) - 0x44).max(axis=1) <= 2).any()
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><img src="https://example.org/x.png"></body></html>')
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshot_report.py"), str(bad), str(png)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "external assets" in run.stderr
