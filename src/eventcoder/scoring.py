"""Scoring one evaluation set: the model's predictions against the gold beside the baselines' (the
majority class and TF-IDF + logistic regression for the event type, the rule-based extractor for
casualty figures), with 95 % bootstrap intervals of the target figures, error kinds and scores by
article length; the targets judged on every scored set; and the reference articles' records.
"""
from __future__ import annotations

from typing import Any

from omegaconf import DictConfig

from eventcoder.metrics import annotated_figures, gold_groups
from eventcoder.paths import repo_path


def baseline_training_texts(cfg: DictConfig) -> tuple[list[str], list[str]]:
    """Train split used to fit the TF-IDF baseline (the same data the model learned from)."""
    import datasets

    from eventcoder.lexical import training_rows

    ddir = repo_path(cfg.paths.processed_dir) / str(cfg.baseline_train) / "dataset"
    return training_rows(datasets.load_from_disk(str(ddir))["train"])


def baseline_predictions(texts: list[str], majority: Any, tfidf: Any) -> dict[str, list]:
    """The three baselines' predictions for `score_set`: fitted majority class and TF-IDF + LR, and the rules."""
    from eventcoder.baselines import rule_based_casualties

    return {"majority": majority.predict(texts), "tfidf_logreg": tfidf.predict(texts) if texts else [],
            "rule_based": [rule_based_casualties(t) for t in texts]}


def target_intervals(rows: list[dict], preds: list[dict], baselines: dict[str, list],
                     scored: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """95 % bootstrap intervals (`metrics.bootstrap_interval`, articles resampled) of the figures the
    targets are set on, event macro-F1 and killed and injured exact match, and of the model's lead
    over the best baseline in this run on each (the lead's interval above 0: ahead beyond what the
    set's size leaves to chance)."""
    from eventcoder import metrics as M

    def interval(statistic: Any, gold: list, pred: list, base: list, baseline: str) -> dict[str, Any]:
        """The model's interval of `statistic` and that of its lead over `baseline`."""
        return {"model": M.bootstrap_interval(statistic, gold, pred), "baseline": baseline,
                "lead": M.bootstrap_interval(lambda g, p, b: statistic(g, p) - statistic(g, b), gold, pred, base)}

    out: dict[str, dict[str, Any]] = {}
    ev = [i for i, r in enumerate(rows) if r["event_type"]]
    if ev:
        best = max(("tfidf_logreg", "majority"), key=lambda n: scored["event"][n]["macro_f1"])
        out["event macro-F1"] = interval(M.macro_f1, [rows[i]["event_type"] for i in ev],
                                         [preds[i]["event_type"] for i in ev], [baselines[best][i] for i in ev], best)
    for outcome in ("killed", "injured"):
        idx = [i for i, r in enumerate(rows) if r[f"{outcome}_total"] >= 0]
        # all articles with a gold total, then those whose total is above 0 (that report such casualties)
        for name, keep in ((f"{outcome} exact", idx), (f"{outcome} exact, reported",
                                                        [i for i in idx if rows[i][f"{outcome}_total"] > 0])):
            if keep:
                out[name] = interval(M.exact_share, [rows[i][f"{outcome}_total"] for i in keep],
                                     [preds[i][outcome] for i in keep],
                                     [baselines["rule_based"][i][outcome] for i in keep], "rule_based")
    return out


def score_set(rows: list[dict], preds: list[dict], labels: list[str], baselines: dict[str, list]) -> dict[str, Any]:
    """All metrics of one eval set for the model and the baselines."""
    from eventcoder import metrics as M

    out: dict[str, Any] = {"n_articles": len(rows)}
    ev = [i for i, r in enumerate(rows) if r["event_type"]]
    gold_ev = [rows[i]["event_type"] for i in ev]
    if ev:
        out["event"] = {"model": M.event_metrics(gold_ev, [preds[i]["event_type"] for i in ev], labels)}
        for name in ("majority", "tfidf_logreg"):
            out["event"][name] = M.event_metrics(gold_ev, [baselines[name][i] for i in ev], labels)
        conf = [preds[i]["score"] for i in ev]
        ok = [preds[i]["event_type"] == rows[i]["event_type"] for i in ev]
        out["calibration"] = M.expected_calibration_error(conf, ok)
    cas: dict[str, Any] = {}
    for outcome in ("killed", "injured"):
        idx = [i for i, r in enumerate(rows) if r[f"{outcome}_total"] >= 0]
        if not idx:
            continue
        gold = [rows[i][f"{outcome}_total"] for i in idx]
        cas[outcome] = {"model": M.count_metrics(gold, [preds[i][outcome] for i in idx]),
                        "rule_based": M.count_metrics(gold, [baselines["rule_based"][i][outcome] for i in idx])}
        # the articles that report such casualties: a model that always says 0 scores 0 here
        pos = [i for i in idx if rows[i][f"{outcome}_total"] > 0]
        cas[outcome]["reported"] = {
            sys_: M.count_metrics([rows[i][f"{outcome}_total"] for i in pos],
                                  [(preds if sys_ == "model" else baselines["rule_based"])[i][outcome] for i in pos])
            for sys_ in ("model", "rule_based")}
        strata: dict[str, list[int]] = {}
        for i in idx:
            strata.setdefault(M.total_statement(rows[i]["text"], rows[i][f"{outcome}_total"]), []).append(i)
        cas[outcome]["by_statement"] = {
            k: {sys_: M.count_metrics([rows[i][f"{outcome}_total"] for i in strata[k]],
                                      [(preds if sys_ == "model" else baselines["rule_based"])[i][outcome]
                                       for i in strata[k]]) for sys_ in ("model", "rule_based")}
            for k in ("stated", "zero", "not stated") if k in strata}
    spans = [i for i, r in enumerate(rows) if r["gold_casualties"] is not None]
    if spans:
        gg = [gold_groups(rows[i]["gold_casualties"]) for i in spans]
        cas["by_group_exact"] = {
            "model": M.by_group_exact(gg, [preds[i]["casualties"] for i in spans]),
            "rule_based": M.by_group_exact(gg, [baselines["rule_based"][i]["casualties"] for i in spans])}
        gm = [rows[i]["gold_casualties"] for i in spans]
        cas["mentions"] = {
            "model": M.mention_prf(gm, [annotated_figures(rows[i], preds[i]) for i in spans]),
            "rule_based": M.mention_prf(gm, [annotated_figures(rows[i], baselines["rule_based"][i]) for i in spans])}
    out["casualties"] = cas
    out["intervals"] = target_intervals(rows, preds, baselines, out)
    kinds: dict[str, int] = {}
    for i, r in enumerate(rows):
        if r["event_type"] and preds[i]["event_type"] != r["event_type"]:
            key = f"event type: {r['event_type']} → {preds[i]['event_type']}"
            kinds[key] = kinds.get(key, 0) + 1
        totals = {o: r[f"{o}_total"] for o in ("killed", "injured")}
        for k in M.casualty_error_kinds(r["gold_casualties"], annotated_figures(r, preds[i]), totals,
                                        {o: preds[i][o] for o in ("killed", "injured")}, r["text"]):
            kinds[k] = kinds.get(k, 0) + 1
    out["error_kinds"] = dict(sorted(kinds.items(), key=lambda kv: -kv[1]))
    buckets: dict[str, dict[str, list]] = {}
    for i, r in enumerate(rows):
        b = buckets.setdefault(M.length_bucket(len(r["text"].split())), {"event": [], "killed": []})
        if r["event_type"]:
            b["event"].append(preds[i]["event_type"] == r["event_type"])
        if r["killed_total"] >= 0:
            b["killed"].append(preds[i]["killed"] == r["killed_total"])
    out["by_length"] = {k: {"articles": max(len(v["event"]), len(v["killed"])),
                            "event_accuracy": sum(v["event"]) / len(v["event"]) if v["event"] else None,
                            "killed_exact": sum(v["killed"]) / len(v["killed"]) if v["killed"] else None}
                        for k, v in sorted(buckets.items(), key=lambda kv: int(kv[0].split("-")[0].rstrip("+")))}
    return out


def judge_targets(sections: dict[str, dict[str, Any]], cfg: DictConfig) -> dict[str, Any]:
    """Every scored set judged against `cfg.targets` (`eventcoder.targets`), with the one-line summary."""
    from eventcoder.targets import judge, summary

    targets = {k: float(v) for k, v in (cfg.get("targets") or {}).items()}
    judged = {spec: judge(sec, targets) for spec, sec in sections.items()}
    return {"targets": targets, "judged": judged, "summary": summary(judged),
            "history": cfg.get("targets_history")}


def reference_results(predictor: Any) -> list[dict[str, Any]]:
    """The reference articles (`seeds/`) whose text is found: expected and predicted record, and
    whether event type, totals and figures by group are all exactly right. No article text is kept."""
    from eventcoder.seeds import load_seed_cases

    out = []
    for case in load_seed_cases():
        if case.text is None:
            continue
        p = predictor([case.text])[0]
        got = {"event_type": p["event_type"], "killed": p["killed"], "injured": p["injured"],
               "casualties": p["casualties"]}
        want = {k: case.expected[k] for k in got}
        out.append({"id": case.id, "expected": want, "predicted": got, "exact": got == want,
                    "evidence": [{k: e[k] for k in ("outcome", "group", "count", "vague", "start", "end", "score")}
                                 for e in p["evidence"] + p["vague"]]})
    return out


def article_counts(rows: list[dict], preds: list[dict]) -> dict[str, Any]:
    """What a decoding change is judged by, over one set's articles, in articles: event types right,
    killed and injured totals exact (also where gold reports any), by-group exact, and their sum."""
    from eventcoder import metrics as M

    out: dict[str, Any] = {"articles": len(rows)}
    ev = [(r["event_type"], p["event_type"]) for r, p in zip(rows, preds, strict=True) if r["event_type"]]
    out["event right"] = sum(g == p for g, p in ev)
    out["event macro-F1"] = round(M.macro_f1([g for g, _ in ev], [p for _, p in ev]), 4)
    for o in ("killed", "injured"):
        pairs = [(r[f"{o}_total"], p[o]) for r, p in zip(rows, preds, strict=True) if r[f"{o}_total"] >= 0]
        out[f"{o} exact"] = sum(g == p for g, p in pairs)
        out[f"{o} exact, reported"] = sum(g == p for g, p in pairs if g > 0)
        out[f"{o} reported"] = sum(1 for g, _ in pairs if g > 0)
    spans = [(r, p) for r, p in zip(rows, preds, strict=True) if r["gold_casualties"] is not None]
    out["by-group exact"] = round(M.by_group_exact([gold_groups(r["gold_casualties"]) for r, _ in spans],
                                                   [p["casualties"] for _, p in spans]) * len(spans))
    out["articles gained"] = out["event right"] + out["killed exact"] + out["injured exact"]
    return out
