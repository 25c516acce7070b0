"""Evaluate a model on held-out sets with baselines beside it: `python -m eventcoder.evaluate model=DIR data=NAME`.

`data=` names a data config (the test split of its built dataset, built if missing), `NAME:SOURCE`
(only that source's rows of a mixed dataset, e.g. `real_quick:acled`), or a JSONL/CSV file of
articles with gold labels (gold totals alone are enough); `eval_sets=[a,b]` scores several sets in
one run, one section each. Writes `output_dir` (default `outputs/reports/<run>/`) atomically: metrics.json, report.md,
report.html (self-contained), confusion_matrix.png, calibration.png, casualties.png, errors.jsonl.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from eventcoder.fitting import fit_decode_settings, store_fit
from eventcoder.metrics import annotated_figures, gold_groups
from eventcoder.paths import repo_path


def load_eval_set(spec: str, cfg: DictConfig, split: str = "test") -> tuple[list[dict[str, Any]], list[dict]]:
    """Articles with gold labels as plain dicts, and the bad rows (file, row, field, reason)."""
    path = repo_path(spec)
    if path.suffix in (".jsonl", ".json", ".csv") or path.is_file():
        from eventcoder.data.readers import read_records, split_items
        from eventcoder.taxonomy import load_taxonomy

        articles, errors = split_items(read_records(path, load_taxonomy(cfg.taxonomy)))
        rows = [{"id": a.id, "text": a.text, "event_type": a.event_type or "",
                 "killed_total": -1 if a.killed_total is None else a.killed_total,
                 "injured_total": -1 if a.injured_total is None else a.injured_total,
                 "gold_casualties": [c.model_dump(exclude_none=True) for c in a.casualties]
                 if a.casualties is not None else None, "labelled_from": a.labelled_from} for a in articles]
        return rows, [e.to_dict() for e in errors]
    import datasets

    from eventcoder.data.build import build_dataset
    from eventcoder.paths import CONFIG_DIR

    spec, _, only_source = spec.partition(":")  # "real_quick:acled" = that dataset's ACLED rows; "a+b": both
    ddir = repo_path(cfg.paths.processed_dir) / spec
    if not (ddir / "dataset").is_dir():
        from hydra import compose, initialize_config_dir
        from hydra.core.global_hydra import GlobalHydra

        overrides = [f"data={spec}", "progress=false"]
        if GlobalHydra.instance().is_initialized():  # under `python -m eventcoder.evaluate`: Hydra's own configs
            build_cfg = compose("build_data", overrides=overrides)
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                build_cfg = compose("build_data", overrides=overrides)
        build_dataset(build_cfg, output_dir=ddir.parent)
    ds = datasets.load_from_disk(str(ddir / "dataset"))[split]
    if only_source:
        keep = set(only_source.split("+"))
        ds = ds.filter(lambda r: r["source"] in keep)
    rows = [eval_row(r) for r in ds]
    errors = [json.loads(x) for x in (ddir / "errors.jsonl").read_text().splitlines() if x.strip()]
    return rows, errors


def eval_row(r: dict[str, Any]) -> dict[str, Any]:
    """A dataset row as scoring and calibration read it: the gold spans parsed, None where the
    row's casualties are not span-annotated gold (export rows: totals only)."""
    gold = json.loads(r["gold_casualties"]) if r["casualty_status"].startswith("gold") else None
    return {"id": r["id"], "source": r["source"], "text": r["text"], "event_type": r["event_type"],
            "killed_total": r["killed_total"], "injured_total": r["injured_total"],
            "gold_casualties": gold, "labelled_from": r.get("labelled_from", 0)}


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


def evaluate_model(cfg: DictConfig) -> Path:
    """Score the model and the baselines on every eval set; write the report; return its dir."""
    from eventcoder.baselines import MajorityBaseline, TfidfLogReg
    from eventcoder.io import atomic_dir, atomic_write_jsonl
    from eventcoder.predictor import Predictor
    from eventcoder.report import render_report

    model_dir = repo_path(cfg.model_dir)
    predictor = Predictor.from_pretrained(model_dir)
    from eventcoder.taxonomy import load_taxonomy

    wanted = load_taxonomy(cfg.taxonomy)
    if predictor.event_labels != wanted.event_labels or predictor.mention_labels != wanted.mention_labels:
        raise ValueError(f"{model_dir / 'config.json'}: the model's labels are of taxonomy "
                         f"{(predictor.config.taxonomy or {}).get('name')!r}, not {wanted.name!r}")
    labels = predictor.event_labels
    train_texts, train_labels = baseline_training_texts(cfg)
    calibration = None
    if cfg.get("calibrate"):
        calibration = calibrate(predictor, cfg, model_dir)
    settings = apply_decode_settings(predictor, cfg.get("decode_settings") or {})
    majority = MajorityBaseline().fit(train_labels)
    tfidf = TfidfLogReg().fit(train_texts, train_labels)
    sets = list(cfg.eval_sets) if cfg.get("eval_sets") else [str(cfg.data.name if "name" in cfg.data else cfg.data)]
    sections: dict[str, Any] = {}
    error_rows: list[dict] = []
    bad_rows: dict[str, list] = {}
    plots_data: dict[str, Any] = {}
    for spec in sets:
        rows, bad = load_eval_set(spec, cfg, str(cfg.split))
        bad_rows[spec] = bad
        texts = [r["text"] for r in rows]
        preds = predictor(texts, batch_size=int(cfg.batch_size)) if rows else []
        sections[spec] = score_set(rows, preds, labels, baseline_predictions(texts, majority, tfidf))
        sections[spec]["bad_rows"] = len(bad)
        plots_data[spec] = {"gold_killed": [r["killed_total"] for r in rows],
                            "pred_killed": [p["killed"] for p in preds],
                            "gold_injured": [r["injured_total"] for r in rows],
                            "pred_injured": [p["injured"] for p in preds]}
        for r, p in zip(rows, preds, strict=True):
            wrong_event = r["event_type"] and p["event_type"] != r["event_type"]
            wrong_k = r["killed_total"] >= 0 and p["killed"] != r["killed_total"]
            wrong_i = r["injured_total"] >= 0 and p["injured"] != r["injured_total"]
            if wrong_event or wrong_k or wrong_i:
                if cfg.get("redact_text"):  # third-party articles: keep offsets, drop their sentences
                    p = {**p, "evidence": [{k: v for k, v in e.items() if k != "sentence"} for e in p["evidence"]],
                         "vague": [{k: v for k, v in e.items() if k != "sentence"} for e in p["vague"]]}
                error_rows.append({"eval_set": spec, "id": r["id"],
                                   "gold": {"event_type": r["event_type"], "killed": r["killed_total"],
                                            "injured": r["injured_total"],
                                            "casualties": gold_groups(r["gold_casualties"])},
                                   "prediction": p, "wrong": [w for w, x in (("event_type", wrong_event),
                                                                             ("killed", wrong_k),
                                                                             ("injured", wrong_i)) if x]})
    run = str(cfg.run_name)
    out_dir = repo_path(cfg.output_dir)
    command = " ".join(["python -m eventcoder.evaluate", *sys.argv[1:]]) if cfg.get("command") is None \
        else str(cfg.command)
    result = {"run": run, "model": str(cfg.model_dir), "command": command, "eval_sets": sets, "split": str(cfg.split),
              "decode_settings": settings, "reference": reference_results(predictor) if cfg.get("reference", True) else [],
              "calibration": calibration or {**predictor.settings.flat(), "fitted_now": False,
                                             "fitted_on": predictor.settings.fitted_on},
              "baseline_train": str(cfg.baseline_train), "sections": sections,
              "targets": judge_targets(sections, cfg),
              "vague_table": predictor.numbers.vague, "count_vague_in_totals": predictor.count_vague}
    with atomic_dir(out_dir) as tmp:
        (tmp / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")
        atomic_write_jsonl(tmp / "errors.jsonl", error_rows)
        atomic_write_jsonl(tmp / "bad_rows.jsonl", [{"eval_set": k, **e} for k, v in bad_rows.items() for e in v])
        render_report(result, plots_data, tmp)
    update_model_card(model_dir, result)
    return out_dir


def scoring_context(model_dir: str | Path) -> tuple[Any, DictConfig]:
    """A model's Predictor (its stored settings) and the evaluate config composed for it: what a
    script that decodes eval sets needs, with `load_set` for the sets it names."""
    from hydra import compose, initialize_config_dir

    from eventcoder.paths import CONFIG_DIR
    from eventcoder.predictor import Predictor

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("evaluate", overrides=[f"model_dir={model_dir}"])
    return Predictor.from_pretrained(model_dir), cfg


def scoring_cli(description: str, argv: Sequence[str] | None = None) -> tuple[Any, DictConfig, list[str]]:
    """`--model DIR --sets SPEC…` of a script that decodes eval sets: its predictor, config and set specs."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--model", required=True)
    ap.add_argument("--sets", nargs="+", required=True)
    args = ap.parse_args(argv)
    return (*scoring_context(args.model), args.sets)


def load_set(spec: str, cfg: DictConfig) -> list[dict[str, Any]]:
    """The rows of an eval-set spec with an optional @split ("real_quick:gtd@validation"; default test)."""
    name, _, split = spec.partition("@")
    return load_eval_set(name, cfg, split or "test")[0]


def apply_decode_settings(predictor: Any, settings: Any) -> dict[str, Any]:
    """Set decoding settings by hand for this run only (after any calibration; not stored): a way to
    measure a setting calibration did not choose. Unknown names fail naming the allowed ones."""
    from omegaconf import OmegaConf

    plain = OmegaConf.to_container(settings, resolve=True) if OmegaConf.is_config(settings) else dict(settings)
    from eventcoder.settings import names

    allowed = (*names(), "count_vague")
    for name, value in plain.items():
        if name not in allowed:
            raise ValueError(f"decode_settings.{name}: not a decoding setting (one of {', '.join(allowed)})")
        setattr(predictor, name, value)
    return plain


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


def calibrate(predictor: Any, cfg: DictConfig, model_dir: Path) -> dict[str, Any]:
    """Fit the decoding settings (`fit_decode_settings`) on the validation split of `calibration_set`
    (default: `baseline_train`), plus the out-of-fold training articles of `calibration_oof` when given
    (`eventcoder.crossfit`); store them in the model dir. The model runs once; each setting is tried
    on its stored scores."""
    spec = str(cfg.get("calibration_set") or cfg.baseline_train)
    rows, _ = load_eval_set(spec, cfg, "validation")
    rows = [r for r in rows if r["event_type"]]
    if not rows:
        raise ValueError(f"calibrate=true needs a validation split with event labels; {spec} has none")
    raw = predictor.score([r["text"] for r in rows], batch_size=int(cfg.batch_size), headlines=True, lexical=True)
    info: dict[str, Any] = {"fitted_on": f"{spec} validation ({len(rows)} articles)", "fitted_now": True}
    if cfg.get("calibration_oof"):  # out-of-fold scores of the training articles (eventcoder.crossfit)
        from eventcoder.crossfit import load_oof_scores

        oof_rows, oof_raw, info["crossfit"] = load_oof_scores(repo_path(cfg.calibration_oof), predictor)
        kept = [(r, sc) for r, sc in zip(oof_rows, oof_raw, strict=True) if r["event_type"]]
        rows, raw = rows + [r for r, _ in kept], raw + [sc for _, sc in kept]
        info["fitted_on"] += f" + {len(oof_rows)} out-of-fold training articles ({cfg.calibration_oof})"
    info.update(fit_decode_settings(predictor, rows, raw, objective=str(cfg.event_objective)))
    store_fit(predictor, model_dir, info)
    return info


def _bracketed_interval(sec: dict[str, Any], name: str) -> str:
    """` [low–high]`: the model's 95 % interval of target figure `name` in a scored set, or ''."""
    iv = sec.get("intervals", {}).get(name, {}).get("model")
    return f" [{iv[0]:.3f}–{iv[1]:.3f}]" if iv else ""


def headline(result: dict[str, Any]) -> list[str]:
    """One line per eval set: the model's target figures, each with its 95 % interval in brackets
    where the set has one, beside the baselines'."""
    lines = []
    for spec, sec in result["sections"].items():
        parts = [f"{spec}: {sec['n_articles']} articles"]
        if "event" in sec:
            m = sec["event"]["model"]
            parts.append(f"event macro-F1 {m['macro_f1']:.3f}{_bracketed_interval(sec, 'event macro-F1')} "
                         f"(TF-IDF {sec['event']['tfidf_logreg']['macro_f1']:.3f}, "
                         f"majority {sec['event']['majority']['macro_f1']:.3f})")
            tf = sec["event"]["tfidf_logreg"]
            if "macro_f1_gold_types" in m and (m["macro_f1_gold_types"], tf["macro_f1_gold_types"]) != \
                    (m["macro_f1"], tf["macro_f1"]):
                parts.append(f"over the gold's types {m['macro_f1_gold_types']:.3f} "
                             f"(TF-IDF {tf['macro_f1_gold_types']:.3f})")
        for o in ("killed", "injured"):
            if o in sec["casualties"]:
                c = sec["casualties"][o]
                parts.append(f"{o} exact {c['model']['exact']:.3f}{_bracketed_interval(sec, f'{o} exact')} "
                             f"(rules {c['rule_based']['exact']:.3f})")
                if c.get("reported", {}).get("model", {}).get("n"):
                    r = c["reported"]
                    parts.append(f"{o} exact where reported ({r['model']['n']}) {r['model']['exact']:.3f}"
                                 f"{_bracketed_interval(sec, f'{o} exact, reported')} "
                                 f"(rules {r['rule_based']['exact']:.3f})")
        if "by_group_exact" in sec["casualties"]:
            g = sec["casualties"]["by_group_exact"]
            parts.append(f"by-group exact {g['model']:.3f} (rules {g['rule_based']:.3f})")
        lines.append("; ".join(parts))
    return lines


def update_model_card(model_dir: Path, result: dict[str, Any]) -> None:
    """Rewrite the model's card with this evaluation's results (eventcoder.model_card)."""
    from eventcoder.model_card import update_card

    update_card(model_dir, result)


def _rewrite_argv(argv: list[str]) -> list[str]:
    """`model=DIR` and `data=FILE` (not config-group names) become `model_dir=` / `+eval_file=`."""
    out = []
    for a in argv:
        if a.startswith("model="):
            a = "model_dir=" + a[len("model="):]
        elif a.startswith("data=") and ("/" in a or a.endswith((".jsonl", ".csv"))):
            a = "eval_sets=[" + a[len("data="):] + "]"
        out.append(a)
    return out


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    sys.argv = [sys.argv[0], *_rewrite_argv(sys.argv[1:])]

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="evaluate")
    def _run(cfg: DictConfig) -> None:
        out = evaluate_model(cfg)
        result = json.loads((out / "metrics.json").read_text())
        for line in headline(result):
            print(line)
        print(f"report: {out / 'report.md'} and {out / 'report.html'}")

    _run()


if __name__ == "__main__":
    main()

