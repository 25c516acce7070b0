"""A teacher's scores for a training split, read once before training: what distillation learns
from when the teacher reads text with another tokenizer (a larger encoder's student).

Windows are cut by each model's own tokenizer, so the teacher's window scores cannot be matched to
the student's windows. What both share is the article and its candidate mentions' character spans:
each article gets the teacher's event log-probabilities (its windows merged as the Predictor merges
them, without the headline-alone and lexical readings) and each candidate its mention
log-probabilities (averaged over the teacher's windows that hold it). Every window of the student
then learns its article's event distribution, and every candidate it holds that candidate's.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

TEACHER_EVENT = "teacher_event"  # per article / window: event log-probabilities
TEACHER_MENTIONS = "teacher_mentions"  # per candidate: mention log-probabilities; zeros where no teacher window held it
TEACHER_COLUMNS = (TEACHER_EVENT, TEACHER_MENTIONS)


def same_tokenizer(a: Any, b: Any) -> bool:
    """Whether two tokenizers cut text into the same ids (the teacher can then read the student's windows)."""
    return type(a).__name__ == type(b).__name__ and a.get_vocab() == b.get_vocab()


def teacher_scores(teacher_dir: str | Path, texts: list[str], spans: list[list[tuple[int, int]]],
                   batch_size: int = 32, chunk: int = 64) -> tuple[list[list[float]], list[list[list[float]]]]:
    """(event log-probabilities per article, mention log-probabilities per candidate of each article)."""
    from tqdm.auto import tqdm

    from eventcoder.predictor import Predictor

    teacher = Predictor.from_pretrained(teacher_dir, backend="torch")
    events: list[list[float]] = []
    mentions: list[list[list[float]]] = []
    for i in tqdm(range(0, len(texts), chunk), desc="teacher scores", unit="chunk"):
        scores = teacher.score(texts[i:i + chunk], batch_size, headlines=False, lexical=False, spans=spans[i:i + chunk])
        for sc in scores:
            events.append(teacher.event_probs(sc.window_event_log_probs).clamp_min(1e-8).log().tolist())
            read = (sc.mention_windows > 0)[:, None]
            mentions.append(torch.where(read, sc.mention_probs.clamp_min(1e-8).log(), 0.0).tolist())
    return events, mentions


def with_teacher_scores(ds: Any, teacher_dir: str | Path, batch_size: int = 32) -> Any:
    """The dataset split (rows with `text`, `mention_start`, `mention_end`) with the two teacher columns added."""
    spans = [list(zip(s, e, strict=True)) for s, e in zip(ds["mention_start"], ds["mention_end"], strict=True)]
    events, mentions = teacher_scores(teacher_dir, list(ds["text"]), spans, batch_size)
    return ds.add_column(TEACHER_EVENT, events).add_column(TEACHER_MENTIONS, mentions)
