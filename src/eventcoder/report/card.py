"""What an evaluation says in a line per set: the headline figures with their intervals, printed by
`python -m eventcoder.evaluate` and written into the model card's evaluation section."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from eventcoder.model_dir import CARD_FILE


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
    """Append (or replace) the card's evaluation section with headline metrics and their command."""
    from eventcoder.io import atomic_write_text

    card_path = model_dir / CARD_FILE
    card = card_path.read_text() if card_path.is_file() else f"# {model_dir.name}\n"
    marker = "\n## Evaluation"
    card = card.split(marker)[0].rstrip() + "\n"
    body = "\n".join(f"- {line}" for line in headline(result))
    card += (f"{marker} (`{result['command']}`)\n\n{body}\n\nIn brackets: 95 % bootstrap intervals (the articles "
             f"resampled; the report's \"How sure\" tables). Full report: `{result['run']}` under reports/.\n")
    atomic_write_text(card_path, card)
