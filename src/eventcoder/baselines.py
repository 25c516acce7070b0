"""Baselines reported beside the model in every evaluation: majority class, TF-IDF + logistic
regression (event type), and a rule-based casualty extractor on `numbers.py` with keyword cues.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from eventcoder.casualties import aggregate
from eventcoder.numbers import count_candidates

KILLED = re.compile(r"\b(kill\w*|dead|died|dies|death\w*|slain|lives|bodies|shot dead|massacre\w*|executed|"
                    r"beheaded|lynched|fatalit\w*|perish\w*)\b", re.I)
INJURED = re.compile(r"\b(injur\w*|wound\w*|hurt|hospitali[sz]ed|casualt\w*)\b", re.I)
GROUP_WORDS = {
    "security_forces": {"soldier", "soldiers", "troops", "police", "policemen", "policeman", "officers",
                        "officer", "personnel", "security", "army", "guards", "gendarmes", "servicemen",
                        "marines", "militiamen", "jawans", "commandos", "forces", "trooper", "constable"},
    "militants": {"militants", "militant", "rebels", "rebel", "insurgents", "insurgent", "gunmen", "gunman",
                  "attackers", "attacker", "fighters", "fighter", "terrorists", "jihadists", "extremists",
                  "assailants", "bomber", "bombers", "maoists", "separatists"},
    "civilians": {"civilians", "civilian", "villagers", "residents", "children", "women", "students",
                  "worshippers", "passengers", "farmers", "protesters", "demonstrators", "pilgrims",
                  "journalists", "teachers", "workers", "traders", "bystanders", "family"},
}


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


def _clause(text: str, start: int, end: int) -> str:
    """The words after a number up to the end of its clause, plus a few before it."""
    stop = re.search(r"[.;:!?\n]|\band\b|\bwhile\b|,\s", text[end:])
    after = text[end:end + (stop.start() if stop else 120)]
    before = text[max(0, start - 40):start]
    return before.split(",")[-1] + " " + after


def rule_based_casualties(text: str) -> dict[str, Any]:
    """Killed/injured by group from keyword cues around each candidate count."""
    labelled = []
    for m in count_candidates(text):
        clause = _clause(text, m.start, m.end)
        after = text[m.end:m.end + 80]
        killed, injured = KILLED.search(clause), INJURED.search(clause)
        if not killed and not injured:
            continue
        outcome = "killed" if killed and (not injured or killed.start() <= injured.start()) else "injured"
        words = set(re.findall(r"[a-z]+", ((m.noun or "") + " " + after[:40]).lower()))
        group = next((g for g, ws in GROUP_WORDS.items() if m.noun in ws or words & ws), "unknown")
        labelled.append({"outcome": outcome, "group": group, "count": m.value if m.vague is None else None,
                         "vague": m.vague, "start": m.start, "end": m.end})
    agg = aggregate(labelled)
    return {"killed": agg["totals"]["killed"], "injured": agg["totals"]["injured"],
            "casualties": agg["by_group"], "evidence": labelled}
