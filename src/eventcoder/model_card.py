"""The model card (a model dir's README.md): what the model is for, what it learnt from, where it falls
short and what it measured.

Rendered from the files of the model dir alone (training_config.yaml, training_data.json or the dataset's
stats.json, metrics.json) plus, when there is one, an evaluation's metrics.json: training writes it,
`python -m eventcoder.evaluate` rewrites it with its results, and `eventcoder card` renders it from any
report (docs/model_card.md is the adopted model's).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventcoder.io import atomic_write_text
from eventcoder.model_dir import SOUP_FILE, TOLL_STEP_FILE
from eventcoder.paths import repo_path

TRAINING_DATA = "training_data.json"  # the dataset's stats.json as training read it, kept beside the weights

INTENDED_HEADING = "## Intended use"
INTENDED_USE = """\
- Coding English news reports of political violence: one ACLED-style event type per article and its
  killed and injured counts by victim group (civilians, security forces, militants, unknown), each
  figure tied to the number mention and sentence it was read from, so that a person can check it.
- Pre-coding many articles for researchers or analysts who review the evidence, and filtering or
  ranking articles by event type and toll.
- Not for: decisions about individual people; casualty figures published without checking their
  evidence; text in other languages; event types outside its taxonomy."""

LIMITATIONS = """\
- English only: the encoder and every training source are English.
- One event per article: an article that reports several incidents gets the main one's type, and
  figures of other incidents may be mixed into its counts.
- Every figure is a number written in the text, and the totals follow one rule (`eventcoder.casualties`:
  the highest figure per group, the groups added up, a larger unspecified figure containing them): a
  toll the text never states, or one it adds up another way, is not produced. Vague quantities
  ("dozens") are reported apart and, by default, left out of the totals.
- Training labels from the event databases (GTD, ACLED, UCDP) are summaries aligned to their own
  database figures; where the figure was not found in the text its label was masked, not guessed
  (the dataset card has the counts)."""


def _load_yaml(path: Path) -> Any:
    from omegaconf import OmegaConf

    return OmegaConf.to_container(OmegaConf.load(path), resolve=False)


def dataset_stats(model_dir: Path, cfg: dict[str, Any]) -> dict[str, Any] | None:
    """What the model was trained on: its own copy, else the dataset dir's stats.json (when still built)."""
    dataset_dir = cfg.get("dataset_dir")
    for path in (model_dir / TRAINING_DATA, repo_path(str(dataset_dir)) / "stats.json" if dataset_dir else None):
        if path is not None and path.is_file():
            return json.loads(path.read_text())
    return None


def _rows(split_counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in split_counts.items())


def training_data_section(model_dir: Path, cfg: dict[str, Any], stats: dict[str, Any] | None) -> str:
    data = cfg.get("data") or {}
    name = (stats or {}).get("name") or data.get("name", "?")
    trained_on = list(cfg.get("train_sources") or [])
    lines = ["## Training data", ""]
    if stats is None:
        lines.append(f"Dataset `{name}` (`python -m eventcoder.data.build data={name}`); its counts were not "
                     f"kept with this model and `{cfg.get('dataset_dir')}` is not built here.")
    else:
        lines.append(f"Dataset `{name}`, built by `python -m eventcoder.data.build data={name}`: {stats['rows']} "
                     f"rows ({_rows(stats['rows_per_split'])}); data card: `{cfg.get('dataset_dir')}/README.md`.")
        if trained_on:
            lines.append(f"This stage trained on the train and validation rows of {', '.join(trained_on)} only.")
        lines += ["", "| source | path | train | validation | test |" + (" used |" if trained_on else ""),
                  "|---|---|---|---|---|" + ("---|" if trained_on else "")]
        sources = data.get("sources") or {}
        for src, counts in stats.get("rows_per_source_and_split", {}).items():
            path = (sources.get(src) or {}).get("path", "")
            used = (" yes |" if src in trained_on else " no |") if trained_on else ""
            lines.append(f"| {src} | `{path}` | {counts.get('train', 0)} | {counts.get('validation', 0)} | "
                         f"{counts.get('test', 0)} |{used}")
    lines += ["", *_stage_lines(model_dir, cfg, stats)]
    return "\n".join(lines)


def _stage_lines(model_dir: Path, cfg: dict[str, Any], stats: dict[str, Any] | None) -> list[str]:
    model = cfg.get("model") or {}
    lines = [f"- Backbone: `{model.get('backbone')}`; windows of {model.get('window_length')} tokens, "
             f"stride {model.get('window_stride')}."]
    init_from = cfg.get("init_from")
    if init_from:
        earlier = ""
        prev = repo_path(str(init_from))
        if (prev / "training_config.yaml").is_file():
            pcfg = _load_yaml(prev / "training_config.yaml")
            pstats = dataset_stats(prev, pcfg)
            earlier = f"; that stage's data: `{(pcfg.get('data') or {}).get('name')}`" + (
                f" ({_rows(pstats['rows_per_split'])})" if pstats else "")
        lines.append(f"- Continued from the trained model `{init_from}` (a second stage{earlier}).")
    if cfg.get("keep_layers"):
        lines.append(f"- A student: encoder layers {list(cfg['keep_layers'])} of `{init_from}` kept "
                     f"({len(cfg['keep_layers'])} layers).")
    distill = cfg.get("distill") or {}
    if distill.get("teacher"):
        lines.append(f"- Distilled from `{distill['teacher']}` (loss weight {distill.get('weight')}, "
                     f"temperature {distill.get('temperature')}).")
    holdout = cfg.get("holdout_fold")
    if holdout:
        lines.append(f"- A cross-fitting fold model: fold {holdout['fold']} of {holdout['folds']} of the "
                     f"{', '.join(holdout['sources'])} train rows left out: {(stats or {}).get('holdout_rows')} rows "
                     f"(python -m eventcoder.crossfit).")
    if (model_dir / "lexical.json").is_file():
        lines.append("- With a lexical event-type model (`lexical.json`, `lexical.npz`: TF-IDF + logistic regression "
                     "on the train split of every source); `lexical_weight` in `decoding.json` says how much it counts.")
    lines += _toll_step_line(model_dir)
    runtime = ""
    if (model_dir / "metrics.json").is_file():
        seconds = json.loads((model_dir / "metrics.json").read_text()).get("train", {}).get("train_runtime")
        runtime = f" (train runtime {seconds:.0f} s)" if seconds is not None else ""
    lines.append(f"- Trained with `python -m eventcoder.train` and the config in `training_config.yaml`{runtime}.")
    return lines


def _toll_step_line(model_dir: Path) -> list[str]:
    step = model_dir / TOLL_STEP_FILE
    if not step.is_file():
        return []
    fitted_on = json.loads(step.read_text()).get("fitted_on", "")
    return [f"- With a learned toll step (`{TOLL_STEP_FILE}`: logistic regression over each figure's pooled mention "
            f"scores, place and rank) that picks the figures of the event's toll, fitted on {fitted_on}; "
            f"`learned_toll` in `decoding.json` switches it."]


def soup_training_section(model_dir: Path, parts: list[str]) -> str:
    """A weight soup's training: each part's data and stages (from the part's dir, when it is here),
    then what the soup's own dir adds (the toll step fitted on the soup)."""
    lines = ["## Training data", "", f"The mean of the weights of {len(parts)} models fine-tuned from one starting "
             f"point (`python -m eventcoder.soup`); each part's training below."]
    for part in parts:
        part_dir = repo_path(part)
        lines += ["", f"### Part `{part}`", ""]
        if (part_dir / "training_config.yaml").is_file():
            pcfg = _load_yaml(part_dir / "training_config.yaml")
            body = training_data_section(part_dir, pcfg, dataset_stats(part_dir, pcfg))
            lines.append(body.removeprefix("## Training data").strip())
        else:
            lines.append("Not on this machine: its training is not described here.")
    fitted_on_soup = _toll_step_line(model_dir)
    if fitted_on_soup:
        lines += ["", "### Fitted on the soup", "", *fitted_on_soup]
    return "\n".join(lines)


def validation_section(model_dir: Path) -> str:
    path = model_dir / "metrics.json"
    val = json.loads(path.read_text()).get("validation", {}) if path.is_file() else {}
    rows = [f"| {k.removeprefix('eval_')} | {v:.4f} |" for k, v in sorted(val.items())
            if isinstance(v, float) and not k.endswith(("runtime", "per_second"))]
    if not rows:
        return ""
    return "\n".join(["## Validation metrics (window level, measured at the end of training)", "",
                      "| metric | value |", "|---|---|", *rows, ""])


def _interval(iv: list[float] | None) -> str:
    return f"{iv[0]:.3f}–{iv[1]:.3f}" if iv else "n/a"


def results_section(result: dict[str, Any] | None, model_dir: Path) -> str:
    if result is None:
        return (f"## Evaluation\n\nNot evaluated yet: `python -m eventcoder.evaluate model_dir={model_dir}` "
                f"measures it on the test splits and rewrites this card with the results.\n")

    judged = result.get("targets", {}).get("judged", {})
    sets = list(result["sections"])
    lines = [f"## Evaluation (`{result['command']}`)", "",
             f"The {result.get('split', 'test')} split of each set, in the evaluation's order (`{sets[0]}` first). "
             f"Each figure with its 95 % bootstrap "
             f"interval (the articles resampled), the target it is judged against, and its lead over the "
             f"baseline beside it (tfidf_logreg: TF-IDF + logistic regression; rule_based: the rule-based reader).",
             "", "| set | articles | figure | value | 95 % interval | target | verdict | baseline | lead |",
             "|---|---|---|---|---|---|---|---|---|"]
    for spec in sets:
        for j in judged.get(spec, []):
            lines.append(f"| {spec} | {result['sections'][spec]['n_articles']} | {j.get('label', j['figure'])} | {j['value']:.3f} | "
                         f"{_interval(j.get('interval'))} | {j['target']:.2f} | {j['verdict']} | "
                         f"{j.get('baseline', '')} | {j.get('lead', 0):+.3f} |")
    lines += ["", "Every set, with the baselines:", "", *(f"- {line}" for line in headline(result)), ""]
    cal = result.get("calibration") or {}
    if cal.get("fitted_on"):
        settings = ", ".join(f"{k} {v}" for k, v in cal.items() if k not in ("fitted_now", "fitted_on"))
        lines += [f"Decoding settings: {settings} (fitted on {cal['fitted_on']}).", ""]
    lines.append(f"Full report: `{result['run']}` under reports/.")
    return "\n".join(lines) + "\n"


def limitations_section(result: dict[str, Any] | None) -> str:
    lines = ["## Limitations", "", LIMITATIONS]
    judged = (result or {}).get("targets", {}).get("judged", {})
    measured = [f"- {spec}: {j.get('label', j['figure'])} {j['value']:.3f} against a target of {j['target']:.2f} ({j['verdict']})"
                + (f"; {'; '.join(j['limits'])}" if j.get("limits") else "")
                for spec, items in judged.items() for j in items if j["value"] < j["target"]]
    if measured:
        lines += ["", "Measured shortfalls (the evaluation above):", "", *measured]
    return "\n".join(lines) + "\n"


def render_card(model_dir: str | Path, result: dict[str, Any] | None = None, command: str | None = None,
                name: str | None = None) -> str:
    """The card of a model dir; `result` is an evaluation's metrics.json, `command` what rendered it,
    `name` the model's (default: the dir's; training writes the card before the dir gets its name)."""
    model_dir = Path(model_dir)
    name = name or model_dir.name
    cfg = _load_yaml(model_dir / "training_config.yaml") if (model_dir / "training_config.yaml").is_file() else {}
    stats = dataset_stats(model_dir, cfg)
    labels = (stats or {}).get("event_labels") or json.loads((model_dir / "label_maps.json").read_text())["event_labels"]
    soup = json.loads((model_dir / SOUP_FILE).read_text())["parts"] if (model_dir / SOUP_FILE).is_file() else None
    run = cfg.get("run_name") or model_dir.name
    title = f"`{name}`" + (f" (a weight soup of {', '.join(f'`{p}`' for p in soup)})" if soup else
                           f" (training run `{run}`)" if run != name else "")
    made = f"\nThis card is written by `{command}`.\n" if command else ""
    parts = [
        "---\nlibrary_name: transformers\ntags: [eventcoder, event-coding, political-violence, acled]\n---",
        f"# eventcoder model {title}\n\nReads a news article and returns its event type ({', '.join(labels)}) and "
        f"the killed/injured figures by victim group, each backed by a number mention in the text.\n{made}\n"
        f"Load it with `eventcoder.Predictor.from_pretrained(DIR)` or `eventcoder predict --model DIR`; "
        f"`transformers.AutoModel.from_pretrained(DIR, trust_remote_code=True)` gives the bare network "
        f"(model.py beside the weights).",
        f"{INTENDED_HEADING}\n\n{INTENDED_USE}",
        soup_training_section(model_dir, soup) if soup else training_data_section(model_dir, cfg, stats),
        validation_section(model_dir),
        results_section(result, model_dir),
        limitations_section(result),
    ]
    return "\n\n".join(p.strip() for p in parts if p) + "\n"


def write_card(model_dir: str | Path, result: dict[str, Any] | None = None, out: str | Path | None = None,
               command: str | None = None, name: str | None = None) -> Path:
    """Write the card to `out` (default: the model dir's README.md), atomically; return its path."""
    path = Path(out) if out else Path(model_dir) / "README.md"
    atomic_write_text(path, render_card(model_dir, result, command, name))
    return path


def update_card(model_dir: str | Path, result: dict[str, Any]) -> Path:
    """Rewrite a model dir's card with an evaluation's results. A card this module wrote is rendered
    anew; another (a soup's, which lists its parts, or an older card) keeps its text up to its
    evaluation, which is replaced, with the limitations after it."""
    model_dir = Path(model_dir)
    path = model_dir / "README.md"
    old = path.read_text() if path.is_file() else ""
    if INTENDED_HEADING in old or (not old and (model_dir / "training_config.yaml").is_file()):
        return write_card(model_dir, result)
    head = old.split("\n## Evaluation")[0].rstrip() if old else f"# {model_dir.name}"
    atomic_write_text(path, f"{head}\n\n{results_section(result, model_dir)}\n{limitations_section(result)}")
    return path


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
