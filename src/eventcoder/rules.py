"""The hand-written decoding rules, in one registry: each says what it reads, when it applies, and
the setting that switches it (its name, in `DecodeSettings.rules`). The predictor runs the registry,
not rules by name.

A rule stays only while an ablation on a dev set it was not developed on shows it pays
(`scripts/rule_ablation.py`, `reports/ablation-real/`); of the event and casualty cues measured
there, one earns its place.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eventcoder.casualties import told_of_another_time, without_background

Figures = list[dict[str, Any]]
SpanOf = Callable[[int, int], tuple[int, int]]


@dataclass(frozen=True)
class Rule:
    name: str  # its switch: a setting of `DecodeSettings.rules`
    reads: str
    applies: str
    apply: Callable[[str, Figures, SpanOf], Figures]


def _drop_background(text: str, figures: Figures, span_of: SpanOf) -> Figures:
    for f in figures:
        left, right = span_of(f["start"], f["end"])
        f["another_time"] = told_of_another_time(text[left:right], f["start"] - left, f["end"] - left)
    return without_background(figures)


RULES: tuple[Rule, ...] = (
    Rule("drop_background",
         reads="the time words in a figure's sentence before it, or in its clause after it",
         applies="to the figures the mention head labels: one dated to another time than the event is "
                 "dropped where its outcome has a figure of its own, a running count's always",
         apply=_drop_background),
)


def apply_rules(text: str, figures: Figures, span_of: SpanOf, switches: Mapping[str, bool]) -> Figures:
    """The figures after every rule whose switch is on, in the registry's order."""
    for rule in RULES:
        if switches.get(rule.name):
            figures = rule.apply(text, figures, span_of)
    return figures
