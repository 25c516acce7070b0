"""The learned article-level step: which figures make the event's toll, and whose dead they are.

The mention head labels each number from its window. Article-level mistakes come from reading the
numbers one at a time: one figure repeated in headline and body given two groups and counted twice,
a toll of other fighting or of an earlier attack added to the event's. The toll step reads every
figure of an article together. A candidate is one (outcome, group, value) of the article's count
mentions; its features pool the mention head's probabilities for that group over the mentions of
the value that may tell the outcome, and add what only the whole article shows: how often and
where the value is told (headline, lead), how it ranks among the article's other figures of that
outcome, and whether time words date it to another time. A logistic regression (scikit-learn) says
for each candidate whether it is a figure of the event's toll; `casualties.aggregate` then gives
the totals. It is fitted on articles the network did not train on (`eventcoder toll`,
`eventcoder.fit_toll`) and stored in the model dir as `toll_step.json` (plain numbers, no pickle).
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eventcoder.casualties import RUNNING_COUNT, sentence_spans, told_of_another_time
from eventcoder.features import headline_of
from eventcoder.model_dir import TOLL_STEP_FILE

FEATURES = (
    "outcome is killed", "group civilians", "group security_forces", "group militants", "group unknown",
    "group probability max", "group probability mean", "group probability sum (log)", "share of the value's mass",
    "value's top group", "value's outcome mass max", "other outcome mass max", "mentions (log)",
    "in headline", "in lead", "first position", "another time (share)", "running count", "value (log)",
    "largest strong value", "below largest strong value", "strong values (log)", "share of outcome mass",
)
GROUPS = ("civilians", "security_forces", "militants", "unknown")
LEAD_CHARS = 600  # the lead of a news article: the first paragraph or two
STRONG = 0.5  # a figure the mention head itself would count (its casualty mass)
FLOOR = 0.02  # a mention the head gives less than this of an outcome (or group) does not tell it


@dataclass
class Candidate:
    """One (outcome, group, value) of an article, the mentions that tell the value and its features."""

    outcome: str
    group: str
    value: int
    mentions: list[int]  # indices into the article's mentions
    features: list[float] = field(default_factory=list)
    evidence: int = 0  # the mention shown as the figure's evidence: the one surest of this group


def candidates(text: str, mentions: Sequence[Any], mprobs: Any, seen: Any, mention_labels: Sequence[str],
               outcomes: Sequence[str] = ("killed", "injured"), span_of: Any = None) -> list[Candidate]:
    """The article's candidates with their features (`FEATURES`, in order). `mentions` are count
    mentions (`numbers.NumberMention`), `mprobs` the mention head's probabilities [mentions, labels],
    `seen` how many windows read each whole (0: none, it is left out). Vague mentions are no
    candidates: they carry no number to add. `span_of` is the text's `casualties.sentence_spans`, when
    the caller has it already."""
    probs = np.asarray(mprobs, dtype=float)
    seen_n = np.asarray(seen, dtype=float)
    head = headline_of(text)
    head_end = text.index(head) + len(head) if head else 0
    label_index = {lab: k for k, lab in enumerate(mention_labels)}
    by_value: dict[int, list[int]] = {}
    for k, m in enumerate(mentions):
        if seen_n[k] > 0 and m.vague is None and m.value is not None:
            by_value.setdefault(int(m.value), []).append(k)
    if not by_value:
        return []
    span_of = span_of or sentence_spans(text)
    cols = {o: {g: label_index[f"{o}:{g}"] for g in GROUPS if f"{o}:{g}" in label_index} for o in outcomes}
    mass = {o: probs[:, list(cols[o].values())].sum(1) for o in outcomes}
    another: dict[int, bool] = {}
    running: dict[int, bool] = {}
    for ks in by_value.values():
        for k in ks:
            m = mentions[k]
            left, right = span_of(m.start, m.end)
            cue = told_of_another_time(text[left:right], m.start - left, m.end - left)
            another[k] = cue is not None
            running[k] = bool(cue and RUNNING_COUNT.fullmatch(cue))
    out: list[Candidate] = []
    for o in outcomes:
        others = [x for x in outcomes if x != o]
        strong = [v for v, ks in by_value.items() if float(mass[o][ks].max()) >= STRONG]
        top = max(strong) if strong else 0
        total_mass = sum(float(mass[o][ks].sum()) for ks in by_value.values()) or 1.0
        for v, told in by_value.items():
            ks = [k for k in told if mass[o][k] >= FLOOR]  # the mentions of the value that may tell this outcome
            if not ks:
                continue
            mo = mass[o][ks]
            sums = {g: float(probs[ks, c].sum()) for g, c in cols[o].items()}
            top_group = max(sums, key=lambda g: sums[g]) if sums else None
            shared = [
                float(mo.max()), max((float(mass[x][ks].max()) for x in others), default=0.0),
                math.log1p(len(ks)),
                1.0 if any(mentions[k].start < head_end for k in ks) else 0.0,
                1.0 if any(mentions[k].start < head_end + LEAD_CHARS for k in ks) else 0.0,
                min(mentions[k].start for k in ks) / max(len(text), 1),
                sum(another[k] for k in ks) / len(ks),
                1.0 if any(running[k] for k in ks) else 0.0,
                math.log1p(v),
                1.0 if strong and v == top else 0.0,
                1.0 if strong and v < top else 0.0,
                math.log1p(len(strong)),
                float(mo.sum()) / total_mass,
            ]
            for g, c in cols[o].items():
                pg = probs[ks, c]
                if float(pg.max()) < FLOOR:
                    continue
                feats = [1.0 if o == "killed" else 0.0, *[1.0 if g == x else 0.0 for x in GROUPS],
                         float(pg.max()), float(pg.mean()), math.log1p(float(pg.sum())),
                         sums[g] / (sum(sums.values()) or 1.0), 1.0 if g == top_group else 0.0, *shared]
                out.append(Candidate(o, g, v, list(ks), feats, ks[int(pg.argmax())]))
    return out


def gold_label(cand: Candidate, mentions: Sequence[Any], gold: Sequence[dict], labelled_from: int = 0) -> bool | None:
    """Whether span-annotated gold counts the candidate: a gold span of its outcome and group
    overlaps one of its mentions. None when every mention lies before `labelled_from` (a headline
    nobody annotated: unknown, left out of fitting)."""
    known = [mentions[k] for k in cand.mentions if mentions[k].start >= labelled_from]
    if not known:
        return None
    return any(s.get("outcome") == cand.outcome and s.get("group") == cand.group
               and s.get("start", -1) < m.end and m.start < s.get("end", -1) for m in known for s in gold)


@dataclass
class TollStep:
    """A fitted toll step: standardisation and logistic-regression weights."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    fitted_on: str = ""
    examples: int = 0

    def probability(self, feats: Sequence[Sequence[float]]) -> np.ndarray:
        """The probability that each candidate is a figure of the event's toll."""
        x = (np.asarray(feats, dtype=float) - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.intercept)))

    def decide(self, cands: Sequence[Candidate]) -> list[tuple[Candidate, float]]:
        """The candidates the step counts (its probability that the figure is the event's above one
        half), each with that probability."""
        if not cands:
            return []
        p = self.probability([c.features for c in cands])
        return [(c, float(pc)) for c, pc in zip(cands, p, strict=True) if pc > 0.5]

    def save(self, model_dir: str | Path) -> Path:
        from eventcoder.io import atomic_write_text

        path = Path(model_dir) / TOLL_STEP_FILE
        atomic_write_text(path, json.dumps(self.__dict__, indent=1) + "\n")
        return path

    @classmethod
    def load(cls, model_dir: str | Path) -> TollStep | None:
        path = Path(model_dir) / TOLL_STEP_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(f"{path}: its features {data.get('features')} are not this version's {list(FEATURES)}; "
                             "fit it again (eventcoder toll model=DIR)")
        return cls(**data)


def fit(feats: Sequence[Sequence[float]], labels: Sequence[bool], fitted_on: str = "", c: float = 1.0) -> TollStep:
    """Fit the step on candidates' features and gold labels (`gold_label`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.asarray(feats, dtype=float)
    y = np.asarray(labels, dtype=bool)
    if y.all() or not y.any():
        raise ValueError(f"toll step: {len(y)} candidates, all of one label: nothing to fit")
    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(C=c, max_iter=5000).fit(scaler.transform(x), y)
    return TollStep(features=list(FEATURES), mean=scaler.mean_.tolist(),
                    scale=[s if s > 0 else 1.0 for s in scaler.scale_.tolist()], coef=clf.coef_[0].tolist(),
                    intercept=float(clf.intercept_[0]), fitted_on=fitted_on, examples=len(y))
