"""A lexical reading of the event type, stored beside the transformer and blended into its scores:
`python -m eventcoder.lexical model_dir=DIR dataset=NAME` (training writes one too).

Word and bigram TF-IDF with class-balanced logistic regression (scikit-learn), fitted on the train
split the model learned from. Short export summaries name their type in a word or two (GTD's
"bombing", ACLED's "protesters", "clashed"), which a linear model over words reads sharply, and
the encoder, tuned towards full-length articles in stage 2, reads less so. The Predictor adds
`lexical_weight` × this model's log-probabilities to its pooled window scores (a product of
experts); the weight is a decoding setting, fitted with the others on held-out articles (0: the
transformer alone). Stored as plain arrays and a vocabulary list (`lexical.json`, `lexical.npz`),
not a pickle: loading a model directory runs no code from it.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig

from eventcoder.io import atomic_open, atomic_write_text
from eventcoder.model_dir import LEXICAL_FILES, check_model_dir
from eventcoder.paths import repo_path

log = logging.getLogger(__name__)

NGRAMS = (1, 2)  # as `baselines.TfidfLogReg`, whose fit (same settings) this model stores


class LexicalModel:
    """TF-IDF (sublinear term frequency, l2 rows) → multinomial logistic regression, as arrays."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        if coef.shape != (len(classes), len(vocabulary)) or idf.shape != (len(vocabulary),) \
                or intercept.shape != (len(classes),):
            raise ValueError(f"lexical model arrays do not fit together: {len(classes)} classes, "
                             f"{len(vocabulary)} terms, coef {coef.shape}, idf {idf.shape}, intercept {intercept.shape}")
        self.vocabulary, self.idf, self.coef, self.intercept, self.classes = vocabulary, idf, coef, intercept, classes
        self.counter = CountVectorizer(ngram_range=NGRAMS, vocabulary={t: i for i, t in enumerate(vocabulary)})

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str]) -> LexicalModel:
        """Fit on labelled texts (at least two event types)."""
        from eventcoder.baselines import TfidfLogReg

        if len(set(labels)) < 2:
            raise ValueError(f"a lexical model needs at least two event types in its training rows, got {sorted(set(labels))}")
        pipe = TfidfLogReg().fit(texts, labels).pipe
        vec, lr = pipe.steps[0][1], pipe.steps[1][1]
        vocab = [""] * len(vec.vocabulary_)
        for term, i in vec.vocabulary_.items():
            vocab[i] = term
        coef, intercept = lr.coef_, lr.intercept_
        if coef.shape[0] == 1:  # two classes: sklearn keeps one row, the second class's logit
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls(vocab, vec.idf_.astype(np.float32), coef.astype(np.float32), intercept.astype(np.float32),
                   [str(c) for c in lr.classes_])

    def log_probs(self, texts: Sequence[str], labels: Sequence[str]) -> np.ndarray:
        """[texts, labels] log-probabilities in `labels` order; a type the training rows lacked gets
        each text's lowest log-probability (the blend neither favours nor rules it out)."""
        from scipy.special import log_softmax
        from sklearn.preprocessing import normalize

        x = self.counter.transform(list(texts)).astype(np.float32)
        x.data = 1.0 + np.log(x.data)  # sublinear tf, as TfidfVectorizer(sublinear_tf=True)
        x = normalize(x.multiply(self.idf).tocsr())
        lp = log_softmax(np.asarray(x @ self.coef.T) + self.intercept, axis=1)
        out = np.repeat(lp.min(1, keepdims=True), len(labels), axis=1)
        for j, lab in enumerate(labels):
            if lab in self.classes:
                out[:, j] = lp[:, self.classes.index(lab)]
        return out

    def save(self, model_dir: str | Path) -> Path:
        """Write lexical.json and lexical.npz into a model directory (each atomically)."""
        d = Path(model_dir)
        with atomic_open(d / LEXICAL_FILES[1], "wb") as fh:
            np.savez(fh, idf=self.idf, coef=self.coef, intercept=self.intercept)
        atomic_write_text(d / LEXICAL_FILES[0], json.dumps({"classes": self.classes, "vocabulary": self.vocabulary}) + "\n")
        return d

    @classmethod
    def load(cls, model_dir: str | Path) -> LexicalModel | None:
        """The directory's lexical model, or None when it has none."""
        d = Path(model_dir)
        paths = [d / name for name in LEXICAL_FILES]
        if not any(p.is_file() for p in paths):
            return None
        for p in paths:
            if not p.is_file():
                raise FileNotFoundError(f"model directory {d} has {LEXICAL_FILES[0]} or {LEXICAL_FILES[1]} "
                                        f"but not {p.name} (rewrite both: python -m eventcoder.lexical model_dir={d})")
        try:
            meta = json.loads(paths[0].read_text())
            with np.load(paths[1], allow_pickle=False) as arrays:
                return cls(meta["vocabulary"], arrays["idf"], arrays["coef"], arrays["intercept"], meta["classes"])
        except (json.JSONDecodeError, KeyError, ValueError, OSError) as e:
            raise ValueError(f"the lexical model in {d} is unreadable: {e}") from None


def training_rows(train_split: Any) -> tuple[list[str], list[str]]:
    """Texts and event types of a built dataset's train split (every source: the rows the model's
    stages learned from), rows without an event type left out."""
    types = train_split["event_type"]
    keep = [i for i, e in enumerate(types) if e]
    texts = train_split["text"]
    return [texts[i] for i in keep], [types[i] for i in keep]


def add_lexical(model_dir: str | Path, dataset_dir: str | Path) -> Path:
    """Fit a lexical model on a dataset's train split and store it in a model directory."""
    import datasets

    d = check_model_dir(model_dir)
    texts, labels = training_rows(datasets.load_from_disk(str(Path(dataset_dir) / "dataset"))["train"])
    model = LexicalModel.fit(texts, labels)
    log.info("lexical model: %d terms, %d classes, fitted on %d rows of %s", len(model.vocabulary),
             len(model.classes), len(texts), dataset_dir)
    return model.save(d)


def main() -> None:
    import hydra

    from eventcoder.paths import CONFIG_DIR

    @hydra.main(config_path=str(CONFIG_DIR), config_name="lexical", version_base="1.3")
    def _run(cfg: DictConfig) -> None:
        out = add_lexical(repo_path(cfg.model_dir), repo_path(cfg.paths.processed_dir) / str(cfg.dataset))
        print(f"lexical model written to {out}")

    _run()


if __name__ == "__main__":
    main()

