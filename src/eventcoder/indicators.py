"""Yes/no benchmarks: real corpora labelled with questions about each text, not with our record.

`python -m eventcoder.indicators model=DIR` (configs/indicators.yaml; one config per corpus in
configs/indicator/). IndiaPoliceEvents asks of each full-length article "did police kill someone?",
"did police use force?"; the ConfliBERT SATP set marks each report as an armed assault, a bombing,
a kidnapping. Neither gives an event type or a count, but each answer implies something of the
record the model writes: an article where police killed someone reports at least one killed; a
bombing report is coded explosions/remote violence. A check states that implication
(`implies: killed | injured | casualties | event | {event_type: [...]}`) and is scored on the
texts where the answer is yes (recall), beside how often the same holds where it is no (`unless`:
texts answered yes to those other questions left out, as a bombing that was also a shoot-out); with
`iff: true` (the answer defines the type) precision and F1 as well. The baselines of the evaluation
report are scored in the same run (TF-IDF and majority on event checks, the rules on casualty
checks). With `evidence:` (sentences labelled with the same question) a killed figure must also lie
in a sentence labelled yes, so the figure that backs the answer is the right one.
Writes `<output_dir>/metrics.json`, `report.md`, `report.html` atomically.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from eventcoder.data.exports import clean_text
from eventcoder.paths import repo_path

CASUALTY_CHECKS = ("killed", "injured", "casualties")


def load_rows(spec: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The corpus's texts with their yes/no answers, and a record per bad row (file, row, field, reason;
    data rows counted from 1, as every reader here counts them)."""
    from eventcoder.data.readers import iter_csv_rows
    from eventcoder.schema import RecordError

    path = Path(str(spec["path"]))
    text_col, id_col = str(spec["text_column"]), spec.get("id_column")
    columns = list(dict.fromkeys(str(col) for c in spec["checks"] for col in [c["column"], *c.get("unless", [])]))
    steps = list(spec.get("text_steps") or [])
    rows, errors = [], []
    for i, rec in iter_csv_rows(path, [text_col, *columns, *([id_col] if id_col else [])], id_col):
        if isinstance(rec, RecordError):
            errors.append(rec.to_dict())
            continue
        text = clean_text(rec[text_col] or "", steps)
        bad = [c for c in columns if (rec[c] or "").strip() not in ("0", "1")]
        if not text:
            errors.append({"file": str(path), "row": i, "field": text_col, "reason": "empty text"})
        elif bad:
            errors.append({"file": str(path), "row": i, "field": bad[0],
                           "reason": f"answer {rec[bad[0]]!r} is not 0 or 1"})
        else:
            rows.append({"id": rec[id_col] if id_col else str(i), "text": text,
                         "answers": {c: rec[c].strip() == "1" for c in columns}})
    return rows, errors


def holds(implies: Any, record: Mapping[str, Any], none_label: str = "none") -> bool | None:
    """Whether a record (the model's prediction or a baseline's) says what a yes implies;
    None when that system does not say it (a baseline without event types or counts)."""
    if implies in CASUALTY_CHECKS:
        if "killed" not in record:
            return None
        killed, injured = int(record["killed"] or 0), int(record["injured"] or 0)
        return {"killed": killed >= 1, "injured": injured >= 1, "casualties": killed + injured >= 1}[implies]
    if "event_type" not in record:
        return None
    if implies == "event":
        return record["event_type"] != none_label
    if isinstance(implies, Mapping) and "event_type" in implies:
        return record["event_type"] in set(implies["event_type"])
    raise ValueError(f"implies {implies!r}: one of {', '.join(CASUALTY_CHECKS)}, event or {{event_type: [...]}}")


def score_check(check: Mapping[str, Any], answers: list[bool], records: list[Mapping[str, Any]],
                none_label: str = "none") -> dict[str, Any] | None:
    """One system on one check: share of yes texts where the implication holds (recall) and share of
    no texts where it holds too; precision and F1 when the check is `iff`. None if the system is silent."""
    said = [holds(check["implies"], r, none_label) for r in records]
    if any(s is None for s in said):
        return None
    yes = [s for s, a in zip(said, answers, strict=True) if a]
    no = [s for s, a in zip(said, answers, strict=True) if not a]
    out: dict[str, Any] = {"recall": sum(yes) / len(yes) if yes else None,
                           "rate_when_no": sum(no) / len(no) if no else None}
    if check.get("iff"):
        tp, fp = sum(yes), sum(no)
        precision = tp / (tp + fp) if tp + fp else None
        out["precision"] = precision
        recall = out["recall"]
        out["f1"] = (2 * precision * recall / (precision + recall)
                     if precision is not None and recall and precision + recall else 0.0)
    return out


def sentence_spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Character spans of the given sentences in the text (those found; case-insensitive)."""
    low = text.lower()
    spans = []
    for s in sentences:
        at = low.find(s.strip().lower())
        if at >= 0 and s.strip():
            spans.append((at, at + len(s.strip())))
    return spans


def load_evidence(spec: Mapping[str, Any], steps: list[str]) -> dict[str, list[str]]:
    """Sentences labelled yes for the evidence check, by document id (unreadable rows skipped)."""
    from eventcoder.data.readers import iter_csv_rows

    out: dict[str, list[str]] = {}
    for _, rec in iter_csv_rows(Path(str(spec["path"])), [spec["id_column"], spec["text_column"], spec["column"]],
                                spec["id_column"]):
        if isinstance(rec, dict) and (rec[spec["column"]] or "").strip() == "1":
            out.setdefault(rec[spec["id_column"]], []).append(clean_text(rec[spec["text_column"]] or "",
                                                                         [s for s in steps if s == "ftfy"]))
    return out


def evidence_hits(rows: list[dict], records: list[Mapping[str, Any]], sentences: dict[str, list[str]],
                  column: str, outcome: str = "killed") -> dict[str, Any]:
    """Of the yes texts whose labelled sentences are found in the text, the share with an `outcome`
    figure inside one of them."""
    found = hits = 0
    for row, rec in zip(rows, records, strict=True):
        if not row["answers"][column]:
            continue
        spans = sentence_spans(row["text"], sentences.get(row["id"], []))
        if not spans:
            continue
        found += 1
        hits += any(e["outcome"] == outcome and any(a <= e["start"] < b for a, b in spans)
                    for e in rec.get("evidence", []))
    return {"texts": found, "share_with_figure_in_labelled_sentence": hits / found if found else None}


def run_benchmark(spec: Mapping[str, Any], predict: Callable[[list[str]], list[dict]],
                  baselines: Callable[[list[str]], Mapping[str, list]], none_label: str = "none") -> dict[str, Any]:
    """Score the model (`predict`) and each baseline on every check of one corpus. `baselines` gives
    each baseline's predictions by name (`scoring.baseline_predictions`): records, or bare event types."""
    rows, errors = load_rows(spec)
    texts = [r["text"] for r in rows]
    systems = {"model": predict(texts),
               **{name: [p if isinstance(p, Mapping) else {"event_type": p} for p in preds]
                  for name, preds in baselines(texts).items()}}
    checks = []
    for check in spec["checks"]:
        keep = [i for i, r in enumerate(rows) if not any(r["answers"][c] for c in check.get("unless", []))]
        answers = [rows[i]["answers"][check["column"]] for i in keep]
        scored = {name: score_check(check, answers, [recs[i] for i in keep], none_label)
                  for name, recs in systems.items()}
        checks.append({"column": check["column"], "question": check.get("question", check["column"]),
                       "unless": list(check.get("unless", [])),
                       "implies": check["implies"], "iff": bool(check.get("iff")), "yes": sum(answers),
                       "no": len(answers) - sum(answers),
                       "systems": {k: v for k, v in scored.items() if v is not None}})
    out: dict[str, Any] = {"name": spec["name"], "path": str(spec["path"]), "texts": len(rows),
                           "bad_rows": errors, "note": spec.get("note", ""), "checks": checks}
    if spec.get("evidence"):
        ev = spec["evidence"]
        sentences = load_evidence(ev, list(spec.get("text_steps") or []))
        out["evidence"] = {"column": ev["column"], "outcome": ev.get("outcome", "killed"),
                           **{name: evidence_hits(rows, systems[name], sentences, ev["column"],
                                                  ev.get("outcome", "killed"))
                              for name in systems if all("evidence" in r for r in systems[name])}}
    return out


def render(result: dict[str, Any]) -> Any:
    from eventcoder.report.render import Doc

    doc = Doc()
    doc.heading(f"Yes/no benchmarks: `{result['model']}`", 1)
    doc.para(f"Produced by: {result['command']}. Each check scores what a yes answer implies of the record "
             "(recall over the yes texts) and how often the same holds where the answer is no; "
             "precision and F1 where the answer defines the event type. Baselines fitted on the train split "
             f"of `{result['baseline_train']}` in the same run."
             + (f" Decoding settings set for this run: {result['decode_settings']}." if result["decode_settings"] else ""))
    for bench in result["benchmarks"]:
        doc.heading(f"{bench['name']} ({bench['texts']} texts, {len(bench['bad_rows'])} bad rows)", 2)
        if bench["note"]:
            doc.para(bench["note"])
        rows = []
        for c in bench["checks"]:
            implies = c["implies"] if isinstance(c["implies"], str) else \
                "type in " + "/".join(c["implies"]["event_type"])
            for name, s in c["systems"].items():
                unless = f"; texts with {', '.join(c['unless'])} left out" if c.get("unless") else ""
                rows.append([f"{c['question']} ({c['column']}{unless})", f"{c['yes']} / {c['no']}", implies, name,
                             s["recall"], s["rate_when_no"], s.get("precision"), s.get("f1")])
        doc.table(["question", "yes / no", "a yes implies", "system", "recall", "holds when no",
                   "precision", "F1"], rows)
        if "evidence" in bench:
            ev = bench["evidence"]
            doc.para(f"Evidence: of the {ev['column']} = yes texts whose labelled sentences are found in the text, "
                     f"the share with a {ev['outcome']} figure inside one of them.")
            doc.table(["system", "texts", "share"],
                      [[name, v["texts"], v["share_with_figure_in_labelled_sentence"]]
                       for name, v in ev.items() if isinstance(v, dict)])
    return doc


def word_rates(path: str | Path, words: list[str], text_column: str = "text") -> dict[str, dict[str, tuple]]:
    """For each 0/1 column of a corpus: the share of its yes texts and of its no texts holding each
    word (lower-cased substring) — how an unnamed label column is read off its texts."""
    import pandas as pd

    frame = pd.read_csv(Path(path), dtype=str, keep_default_na=False)
    low = frame[text_column].str.lower()
    out = {}
    for col in frame.columns:
        if col == text_column or not frame[col].isin(["0", "1"]).all():
            continue
        yes = frame[col] == "1"
        out[col] = {w: (round(float(low[yes].str.contains(w, regex=False).mean()), 2),
                        round(float(low[~yes].str.contains(w, regex=False).mean()), 2)) for w in words}
        out[col]["(texts)"] = (int(yes.sum()), int((~yes).sum()))
    return out


def run(cfg: DictConfig) -> Path:
    """Every benchmark of the config with the model and the baselines; return the report dir."""
    from omegaconf import OmegaConf

    from eventcoder.baselines import MajorityBaseline, TfidfLogReg
    from eventcoder.fitting import apply_decode_settings
    from eventcoder.io import atomic_dir
    from eventcoder.predictor import Predictor
    from eventcoder.scoring import baseline_predictions, baseline_training_texts

    predictor = Predictor.from_pretrained(repo_path(cfg.model_dir))
    settings = apply_decode_settings(predictor, cfg.get("decode_settings") or {})
    none_label = (predictor.config.taxonomy or {}).get("none_label", "none")
    train_texts, train_labels = baseline_training_texts(cfg)
    majority = MajorityBaseline().fit(train_labels)
    tfidf = TfidfLogReg().fit(train_texts, train_labels)
    benchmarks = [run_benchmark(OmegaConf.to_container(spec, resolve=True),
                                lambda ts: predictor(ts, batch_size=int(cfg.batch_size)),
                                lambda ts: baseline_predictions(ts, majority, tfidf), none_label)
                  for _, spec in sorted(cfg.benchmarks.items())]
    result = {"model": str(cfg.model_dir), "baseline_train": str(cfg.baseline_train), "decode_settings": settings,
              "command": " ".join(["python -m eventcoder.indicators", *sys.argv[1:]]), "benchmarks": benchmarks}
    out_dir = repo_path(cfg.output_dir)
    with atomic_dir(out_dir) as tmp:
        (tmp / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")
        render(result).write(tmp, "yes/no benchmarks")
    return out_dir


def main() -> None:
    import hydra

    from eventcoder.eval_sets import rewrite_argv
    from eventcoder.paths import CONFIG_DIR

    sys.argv = [sys.argv[0], *rewrite_argv(sys.argv[1:])]

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="indicators")
    def _run(cfg: DictConfig) -> None:
        print((run(cfg) / "report.md").read_text())

    _run()


if __name__ == "__main__":
    main()
