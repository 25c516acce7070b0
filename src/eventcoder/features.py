"""Articles → overlapping token windows with the candidate mentions each window holds whole.

Used by training (with labels) and prediction (without), so both see exactly the same inputs.
A long article becomes several windows (stride overlap); a mention is given to every window that
contains all of its tokens, and the window logits are merged per article at prediction time.
With `headline_context` every window of an article that has a headline starts with that headline
([CLS] headline [SEP] body part [SEP]): a window deep in the body still knows which event the
story is about, so a figure there can be told apart from an earlier event's toll.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

import torch

HEADLINE_MAX_CHARS = 250


def headline_of(text: str) -> str | None:
    """The text's first line when it reads as a headline: short (≤ 250 characters, 3+ words) and
    followed by more text. Exports and snippets (one paragraph) have none."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    if not sep or not rest.strip() or len(first) > HEADLINE_MAX_CHARS or len(first.split()) < 3:
        return None
    return first


def article_windows(tokenizer: Any, texts: Sequence[str], mention_spans: Sequence[Sequence[tuple[int, int]]],
                    max_length: int, stride: int, headline_context: bool = False) -> list[dict[str, Any]]:
    """One dict per window: input_ids, attention_mask, article index, and its mentions.

    `mention_spans[i]` are the character spans of article i's candidates; each window lists
    (mention index, token start, token end) for candidates it holds whole. Windows come in article
    order and, within an article, in reading order. With `headline_context`, articles with a
    headline are cut as (headline, body) pairs so that every window repeats the headline; a
    mention in the headline then belongs to every window of its article.
    """
    pieces: list[tuple[int, str, int, str | None, int]] = []  # (article, body, body offset, headline, its offset)
    heads = [headline_of(text) if headline_context else None for text in texts]
    present = [h for h in heads if h is not None]
    head_lengths = iter(map(len, tokenizer(present, add_special_tokens=False)["input_ids"]) if present else ())
    for a, text in enumerate(texts):
        head = heads[a]
        if head is not None and next(head_lengths) > max_length // 4:
            head = None  # a headline that would crowd the body out of every window is read once, as text
        if head is None:
            pieces.append((a, text, 0, None, 0))
            continue
        h0 = text.index(head)
        b0 = text.index("\n", h0 + len(head)) + 1
        pieces.append((a, text[b0:], b0, head, h0))
    windows: list[dict[str, Any]] = []
    for paired in (False, True):
        group = [p for p in pieces if (p[3] is not None) == paired]
        if not group:
            continue
        args = ([p[3] for p in group], [p[1] for p in group]) if paired else ([p[1] for p in group],)
        enc = tokenizer(*args, truncation="only_second" if paired else True, max_length=max_length, stride=stride,
                        return_overflowing_tokens=True, return_offsets_mapping=True, padding=False)
        body_seq = 1 if paired else 0
        all_offsets, all_ids, all_masks = enc["offset_mapping"], enc["input_ids"], enc["attention_mask"]
        for w, g in enumerate(enc["overflow_to_sample_mapping"]):
            art, _, b0, _, h0 = group[g]
            offsets = all_offsets[w]
            tokens = [(k, offsets[k][0] + (b0 if s == body_seq else h0), offsets[k][1] + (b0 if s == body_seq else h0), s)
                      for k, s in enumerate(enc.sequence_ids(w)) if s is not None]
            body = [t for t in tokens if t[3] == body_seq]
            if not body:
                continue
            ranges = [(body[0][1], body[-1][2])]
            if paired:
                head_tokens = [t for t in tokens if t[3] == 0]
                ranges.append((head_tokens[0][1], head_tokens[-1][2]))
            windows.append({"input_ids": all_ids[w], "attention_mask": all_masks[w], "article": int(art),
                            "mentions": _window_mentions(tokens, ranges, mention_spans[art])})
    windows.sort(key=lambda w: w["article"])  # stable: reading order kept within each article
    return windows


def _window_mentions(tokens: list[tuple[int, int, int, int]], ranges: list[tuple[int, int]],
                     spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(mention index, first token, end token) of each span the window holds whole: the tokens
    (index, char start, char end, sequence) that overlap it. Tokens come in text order, so the
    overlapping ones are found by bisection instead of a scan per mention; should a tokenizer give
    offsets out of order, the scan is used."""
    starts = [t[1] for t in tokens]
    ends = [t[2] for t in tokens]
    in_order = starts == sorted(starts) and ends == sorted(ends)
    out = []
    for mi, (cs, ce) in enumerate(spans):
        if not any(lo <= cs and ce <= hi for lo, hi in ranges):
            continue
        if in_order:
            first = bisect_right(ends, cs)  # the first token ending after the span starts
            last = bisect_left(starts, ce, lo=first)  # past the last token starting before it ends
            if first < last:
                out.append((mi, tokens[first][0], tokens[last - 1][0] + 1))
            continue
        toks = [k for k, ts, te, _ in tokens if ts < ce and cs < te]
        if toks:
            out.append((mi, toks[0], toks[-1] + 1))
    return out


class WindowCollator:
    """Pads windows and their mention lists into tensors for EventCoderModel.forward."""

    def __init__(self, pad_token_id: int = 0) -> None:
        self.pad_token_id = pad_token_id

    def __call__(self, batch: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        t = max(len(b["input_ids"]) for b in batch)
        m = max(1, max(len(b["mention_token_start"]) for b in batch))
        ids = torch.full((len(batch), t), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(batch), t), dtype=torch.long)
        spans = torch.zeros((len(batch), m, 2), dtype=torch.long)
        mlabels = torch.full((len(batch), m), -100, dtype=torch.long)
        for i, b in enumerate(batch):
            n = len(b["input_ids"])
            ids[i, :n] = torch.tensor(b["input_ids"])
            mask[i, :n] = 1
            k = len(b["mention_token_start"])
            if k:
                spans[i, :k, 0] = torch.tensor(b["mention_token_start"])
                spans[i, :k, 1] = torch.tensor(b["mention_token_end"])
                if "mention_labels" in b:
                    mlabels[i, :k] = torch.tensor(b["mention_labels"])
        out = {"input_ids": ids, "attention_mask": mask, "mention_spans": spans}
        if "event_labels" in batch[0]:
            out["event_labels"] = torch.tensor([b["event_labels"] for b in batch], dtype=torch.long)
            out["mention_labels"] = mlabels
        return out


def headline_only_windows(tokenizer: Any, texts: Sequence[str], max_length: int) -> list[dict[str, Any]]:
    """Each headline read alone as one window (no mentions), its `article` the index of its text;
    texts without a headline give none. How the Predictor reads headlines, and how training shows them."""
    heads = [(a, h) for a, h in enumerate(map(headline_of, texts)) if h]
    if not heads:
        return []
    return [{**w, "article": heads[w["article"]][0]}
            for w in article_windows(tokenizer, [h for _, h in heads], [[] for _ in heads], max_length, 0)]


def windows_for_training(tokenizer: Any, batch: dict[str, list], max_length: int, stride: int,
                         headline_context: bool = False, headline_windows: bool = False) -> dict[str, list]:
    """`datasets.map(batched=True)` function: dataset rows → window rows with labels. With
    `headline_windows` each headline is also a window of its own, labelled with its article's event
    type and no mentions: the Predictor reads the headline alone (`headline_weight`), so the model
    learns that input too."""
    spans = [list(zip(s, e, strict=True)) for s, e in zip(batch["mention_start"], batch["mention_end"],
                                                          strict=True)]
    wins = article_windows(tokenizer, batch["text"], spans, max_length, stride, headline_context)
    if headline_windows:
        wins += headline_only_windows(tokenizer, batch["text"], max_length)
    out: dict[str, list] = {"input_ids": [], "event_labels": [], "mention_token_start": [],
                            "mention_token_end": [], "mention_labels": [], "article_id": []}
    for w in wins:
        a = w["article"]
        out["input_ids"].append(w["input_ids"])
        out["event_labels"].append(batch["event_label"][a])
        out["mention_token_start"].append([s for _, s, _ in w["mentions"]])
        out["mention_token_end"].append([e for _, _, e in w["mentions"]])
        out["mention_labels"].append([batch["mention_label"][a][mi] for mi, _, _ in w["mentions"]])
        out["article_id"].append(batch["id"][a])
    return out
