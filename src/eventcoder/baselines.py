"""Baselines reported beside the model in every evaluation: majority class, TF-IDF + logistic
regression (event type), and a rule-based casualty extractor on `eventcoder.numbers` with keyword cues.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from eventcoder.casualties import INJURED_WORDS as INJURED
from eventcoder.casualties import KILLED_WORDS as KILLED
from eventcoder.casualties import aggregate
from eventcoder.numbers import count_candidates


@lru_cache(maxsize=1)
def _taxonomy() -> Any:
    from eventcoder.taxonomy import load_taxonomy

    return load_taxonomy("acled")  # its group nouns


class MajorityBaseline:
    """Always the most frequent training label."""

    name = "majority"

    def fit(self, labels: Sequence[str]) -> MajorityBaseline:
        self.label = Counter(labels).most_common(1)[0][0]
        return self

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.label] * len(texts)


class TfidfLogReg:
    """Word and bigram TF-IDF with class-balanced logistic regression (scikit-learn)."""

    name = "tfidf_logreg"

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TfidfLogReg:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, max_features=200_000),
                                  LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced"))
        self.pipe.fit(list(texts), list(labels))
        return self

    def predict(self, texts: Sequence[str]) -> list[str]:
        return list(self.pipe.predict(list(texts)))

    def predict_proba(self, texts: Sequence[str]) -> tuple[list[str], Any]:
        return list(self.pipe.classes_), self.pipe.predict_proba(list(texts))


CLAUSE_END = re.compile(r"[.;:!?\n]|\band\b|\bwhile\b|\bbut\b|,\s")


def _cue(text: str, start: int, end: int) -> str | None:
    """The casualty word nearest to a number within its clause: "killed 12" or "12 ... were wounded"."""
    before = CLAUSE_END.split(text[max(0, start - 60):start])[-1]
    stop = CLAUSE_END.search(text, end)
    after = text[end:stop.start() if stop else min(len(text), end + 120)]
    found = []
    for rx, outcome in ((KILLED, "killed"), (INJURED, "injured")):
        for m in rx.finditer(before):
            found.append((len(before) - m.end(), outcome))
        for m in rx.finditer(after):
            found.append((m.start(), outcome))
    return min(found)[1] if found else None


def rule_based_casualties(text: str) -> dict[str, Any]:
    """Killed/injured by group from keyword cues around each candidate count."""
    labelled = []
    for m in count_candidates(text):
        outcome = _cue(text, m.start, m.end)
        if outcome is None:
            continue
        group = _taxonomy().group_of_noun(m.noun) or _taxonomy().unknown_group
        labelled.append({"outcome": outcome, "group": group, "count": m.value if m.vague is None else None,
                         "vague": m.vague, "start": m.start, "end": m.end})
    agg = aggregate(labelled)
    return {"killed": agg["totals"]["killed"], "injured": agg["totals"]["injured"],
            "casualties": agg["by_group"], "evidence": labelled}
