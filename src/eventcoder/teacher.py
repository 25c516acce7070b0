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

from eventcoder.features import TEACHER_EVENT, TEACHER_MENTIONS


def same_tokenizer(a: Any, b: Any) -> bool:
    """Whether two tokenizers cut text into the same ids (the teacher can then read the student's windows)."""
    return type(a).__name__ == type(b).__name__ and a.get_vocab() == b.get_vocab()


def teacher_scores(teacher_dir: str | Path, texts: list[str], spans: list[list[tuple[int, int]]],
                   batch_size: int = 32, chunk: int = 64) -> tuple[list[list[float]], list[list[list[float]]]]:
    """(event log-probabilities per article, mention log-probabilities per candidate of each article).

    The event's are the teacher's windows merged with its own decoding settings' lead weight and
    temperature (`decoding.json`), as its predictions merge them."""
    from tqdm.auto import tqdm
    from transformers import AutoTokenizer

    from eventcoder.features import article_windows, merge_window_log_probs, read_windows
    from eventcoder.model_dir import check_model_dir
    from eventcoder.runtimes import load_network
    from eventcoder.settings import DecodeSettings

    path = check_model_dir(teacher_dir)
    model = load_network(path, "torch").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    settings = DecodeSettings.load(path)
    cfg = model.config
    events: list[list[float]] = []
    mentions: list[list[list[float]]] = []
    for i in tqdm(range(0, len(texts), chunk), desc="teacher scores", unit="chunk"):
        part = spans[i:i + chunk]
        windows = article_windows(tokenizer, texts[i:i + chunk], part, int(cfg.window_length),
                                  int(cfg.window_stride), bool(getattr(cfg, "headline_context", False)))
        with torch.inference_mode():
            window_ev, probs, reads = read_windows(model, windows, [len(p) for p in part], tokenizer.pad_token_id,
                                                   len(cfg.mention_labels), batch_size)
        per_article: list[list[torch.Tensor]] = [[] for _ in part]
        for w, ev in zip(windows, window_ev, strict=True):  # in reading order within each article
            per_article[w["article"]].append(ev)
        for a in range(len(part)):
            read_ev = torch.stack(per_article[a]) if per_article[a] else torch.zeros(1, len(cfg.event_labels))
            logits = merge_window_log_probs(read_ev, settings.get("lead_weight"))
            events.append(torch.log_softmax(logits / settings.get("temperature"), -1).tolist())
            read = (reads[a] > 0)[:, None]
            mentions.append(torch.where(read, probs[a].clamp_min(1e-8).log(), 0.0).tolist())
    return events, mentions


def with_teacher_scores(ds: Any, teacher_dir: str | Path, batch_size: int = 32) -> Any:
    """The dataset split (rows with `text`, `mention_start`, `mention_end`) with the two teacher columns added."""
    spans = [list(zip(s, e, strict=True)) for s, e in zip(ds["mention_start"], ds["mention_end"], strict=True)]
    events, mentions = teacher_scores(teacher_dir, list(ds["text"]), spans, batch_size)
    return ds.add_column(TEACHER_EVENT, events).add_column(TEACHER_MENTIONS, mentions)
