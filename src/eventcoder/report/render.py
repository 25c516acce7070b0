"""Render an evaluation result (see `eventcoder.evaluate`) as report.md, report.html and PNG plots.

Both documents are built from the same tables, so they always say the same thing; the HTML embeds
its images as data URIs and opens offline. The order is the reader's: the headline set against
the targets on one screen, the contents, the targets over every set, each set with its plots, and
the command and settings last.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from eventcoder.report.doc import Doc
from eventcoder.report.plots import report_plots
from eventcoder.report.summary import summary_lead, summary_table

__all__ = ["Doc", "intervals_table", "render_report", "targets_section"]


def _span(interval: list[float] | None) -> str:
    return "–" if interval is None else f"{interval[0]:.3f} to {interval[1]:.3f}"


def intervals_table(doc: Doc, sec: dict[str, Any]) -> None:
    """The targets' figures of one scored set with their 95 % bootstrap intervals, and the model's
    lead over the best baseline with its interval (`scoring.target_intervals`)."""
    from eventcoder.metrics import BOOTSTRAP_RESAMPLES
    from eventcoder.targets import figure

    rows = []
    for name, iv in sec.get("intervals", {}).items():
        model, base = figure(sec, name), figure(sec, name, iv["baseline"])
        rows.append([name, model, _span(iv["model"]), iv["baseline"], base, round(model - base, 4), _span(iv["lead"])])
    if rows:
        doc.para(f"95 % intervals: percentile bootstrap over the set's articles ({BOOTSTRAP_RESAMPLES:,} resamples, "
                 "seeded; gold, model and baseline of an article resampled together). A lead whose interval "
                 "lies above 0 is one the set's size does not leave to chance.")
        doc.table(["figure", "model", "95 % interval", "best baseline", "its figure", "model lead",
                   "lead's 95 % interval"], rows)


def targets_section(doc: Doc, targets: dict[str, Any], tuned_on: str | None = None) -> None:
    """Each set's target figures: met or missed and how sure, the lead over the best baseline, and
    what the set measures about a miss (`eventcoder.targets`)."""
    from eventcoder.targets import FIGURES, label

    if not targets or not targets.get("targets"):
        return
    doc.heading("Against the targets")
    wanted = ", ".join(f"{label(FIGURES[k])} ≥ {v:.2f}" for k, v in targets["targets"].items())
    doc.para(f"Targets (config `targets`): {wanted}. {targets['summary']} A verdict reads the figure's 95 % "
             "interval too (\"How sure\" under each set): beyond chance when the whole interval lies on one side "
             "of the target, or, for a lead, above 0."
             + (f" Decoding settings were tuned on `{tuned_on}`: its figures here are in sample." if tuned_on else "")
             + (f" What was tried against each miss, with its command and figures: {targets['history']}."
                if targets.get("history") else ""))
    rows = []
    for spec, judged in targets["judged"].items():
        for r in judged:
            rows.append([spec, label(r["figure"]), r["value"], _span(r["interval"]), r["target"], r["verdict"],
                         f"{r['lead']:+.3f} over {r['baseline']} ({_span(r['lead_interval'])}): {r['ahead']}",
                         "; ".join(r["limits"]) or "–"])
    doc.table(["eval set", "figure", "model", "95 % interval", "target", "verdict", "lead over the best baseline",
               "what limits a miss (measured on the set)"], rows)


def _record(r: dict[str, Any]) -> str:
    groups = "; ".join(f"{o} {g} {v}" for o, gs in r["casualties"].items() for g, v in gs.items())
    return f"{r['event_type']}, killed {r['killed']}, injured {r['injured']}" + (f" ({groups})" if groups else "")


def settings_appendix(doc: Doc, result: dict[str, Any]) -> None:
    """The command that produced the report, the vague-word table and the decoding settings in use."""
    doc.heading("Appendix: command and settings")
    doc.para(f"Produced by: `{result['command']}` — eval sets: {', '.join(result['eval_sets'])}; TF-IDF and "
             f"majority baselines fitted on the train split of `{result['baseline_train']}` in the same run.")
    vague = ", ".join(f"{k}→{v}" for k, v in result["vague_table"].items() if v is not None)
    doc.para(f"Vague quantities are reported beside totals and {'are' if result['count_vague_in_totals'] else 'are not'}"
             f" added to them; the vague table for users who count them: {vague}.")
    hand = result.get("decode_settings") or {}
    cal = {**(result.get("calibration") or {}), **hand}  # the settings in use: fitted, then any set by hand
    doc.para(f"An article's event type weighs its first window (headline and lead) {cal.get('lead_weight', 1.0):g}× "
             f"each later window"
             + (f" and its headline read alone {cal['headline_weight']:g}×" if cal.get("headline_weight") else "")
             + (f", plus {cal['lexical_weight']:g}× the log-probabilities of the lexical model (TF-IDF + logistic "
                f"regression on the training rows' words, stored with the model)" if cal.get("lexical_weight") else "")
             + f"; event scores use temperature {cal.get('temperature', 1.0):.3f}; "
             + (f"the learned toll step picks the figures of the event's toll (fitted on {result['toll_step']})"
                if result.get("toll_step") else "a number is a casualty figure when the model's likeliest label for it is one")
             + (f", fitted in this run on {cal['fitted_on']}" + (" except those set by hand below." if hand else ".")
                if cal.get("fitted_now") else
                f", stored with the model, fitted on {cal['fitted_on']}." if cal.get("fitted_on") else "."))
    if hand:
        doc.para("Set by hand for this run (not fitted, not stored): "
                 + ", ".join(f"{k}={v}" for k, v in result["decode_settings"].items()) + ".")


def _set_section(doc: Doc, name: str, sec: dict[str, Any], plots: dict[str, Path]) -> None:
    """One eval set: event type (with its confusion matrix and reliability diagram), casualties,
    intervals, error kinds and length strata."""
    doc.heading(f"Eval set `{name}` ({sec['n_articles']} articles, {sec['bad_rows']} bad rows reported)")
    if "event" in sec:
        ev = sec["event"]
        doc.heading("Event type", 3)
        rows = [[sys_, ev[sys_]["accuracy"], ev[sys_]["macro_f1"], ev[sys_].get("macro_f1_gold_types")]
                for sys_ in ("model", "tfidf_logreg", "majority")]
        doc.table(["system", "accuracy", "macro-F1", "macro-F1 over the gold's types"], rows)
        lead = ev["model"]["macro_f1"] - max(ev["tfidf_logreg"]["macro_f1"], ev["majority"]["macro_f1"])
        doc.para(f"Model lead in macro-F1 over the best baseline: {lead:+.3f}. Expected calibration error: "
                 f"{sec['calibration']['ece']:.3f}.")
        pc = ev["model"]["per_class"]
        doc.table(["class", "precision", "recall", "F1", "support"],
                  [[k, v["precision"], v["recall"], v["f1"], v["support"]] for k, v in pc.items()])
        doc.images([(plots[key], f"{alt}: {name}") for key, alt in
                    (("confusion", "Event type confusion matrix"),
                     ("calibration", "Reliability diagram (articles per confidence bin)")) if key in plots])
    cas = sec["casualties"]
    if cas:
        doc.heading("Casualties", 3)
        rows = []
        for o in ("killed", "injured"):
            if o in cas:
                for scope, key in (("all", None), ("reported (gold > 0)", "reported")):
                    for sys_ in ("model", "rule_based"):
                        c = cas[o].get(key, {}).get(sys_) if key else cas[o][sys_]
                        if not c or not c["n"]:
                            continue
                        rows.append([f"{o} — {sys_}", scope, c["n"], c["exact"], c["within_1"],
                                     c["within_20pct"], c["mae"]])
        if rows:
            doc.para("Exact match over all articles, and over the articles whose gold total is above 0 "
                     "(those that report such casualties: always answering 0 scores 0 there).")
            doc.table(["total", "scope", "articles", "exact", "±1", "±20%", "MAE"], rows)
        strata = [[f"{o} — {k}", c["model"]["n"], c["model"]["exact"], c["rule_based"]["exact"]]
                  for o in ("killed", "injured") if o in cas
                  for k, c in cas[o].get("by_statement", {}).items()]
        if strata:
            doc.para("By whether the text states the gold total: a count in it has the total's value "
                     "(stated), the total is 0 (zero), or neither (not stated: a sum of parts, or a count "
                     "the coder took from elsewhere).")
            doc.table(["total — the text", "articles", "model exact", "rule_based exact"], strata)
        if "by_group_exact" in cas:
            doc.table(["system", "by-group exact", "mention P", "mention R", "mention F1"],
                      [[s, cas["by_group_exact"][s], cas["mentions"][s]["precision"],
                        cas["mentions"][s]["recall"], cas["mentions"][s]["f1"]] for s in ("model", "rule_based")])
    if sec.get("intervals"):
        doc.heading("How sure: intervals", 3)
        intervals_table(doc, sec)
    if sec.get("error_kinds"):
        doc.heading("Error kinds (counts over this set)", 3)
        doc.table(["kind", "count"], [[k, v] for k, v in list(sec["error_kinds"].items())[:15]])
    doc.heading("By article length (words)", 3)
    doc.table(["length", "articles", "event accuracy", "killed exact"],
              [[k, v["articles"], v["event_accuracy"], v["killed_exact"]] for k, v in sec["by_length"].items()])


def render_report(result: dict[str, Any], totals: dict[str, Any] | None, out: Path,
                  casualty_plot: Path | None = None) -> None:
    """Write report.md, report.html and the plots into `out` from an evaluation result (metrics.json)
    and the per-article casualty totals of its sets (plot_data.json; None when not kept: then
    `casualty_plot`, an already drawn casualties.png in `out`, is shown if given)."""
    files = report_plots(result, totals, out)
    drawn = files.get("", {}).get("casualties")
    casualties = drawn or casualty_plot
    doc = Doc()
    doc.heading(f"Evaluation of `{result['model']}`", 1)
    if result["sections"]:
        doc.box(True)
        doc.heading("Summary")
        doc.para(summary_lead(result))
        doc.table(*summary_table(result))
        doc.box(False)
    doc.contents_here()
    if result.get("reference"):
        doc.heading("Reference articles")
        doc.table(["article", "exactly right", "expected", "predicted"],
                  [[r["id"], "yes" if r["exact"] else "no", _record(r["expected"]), _record(r["predicted"])]
                   for r in result["reference"]])
    fitted_on = str((result.get("calibration") or {}).get("fitted_on") or "")
    targets_section(doc, result.get("targets") or {},
                    next((s for s in result["sections"] if fitted_on.startswith(f"{s} {result.get('split', 'test')} ")), None))
    for name, sec in result["sections"].items():
        _set_section(doc, name, sec, files.get(name, {}))
    if casualties is not None:
        doc.heading("Casualties: predicted against gold")
        doc.image(casualties, "Predicted vs gold casualties (log scale), a colour per eval set as in the other plots"
                  if casualties is drawn else "Predicted vs gold casualties (log scale), as the evaluate run drew it "
                  "(its colours follow the sets that have totals, not the other plots')")
    doc.para("Every article the model got wrong is listed in errors.jsonl with gold, prediction and evidence.")
    settings_appendix(doc, result)
    doc.write(out, f"eventcoder evaluation {result['run']}")
