"""Articles → overlapping token windows with the candidate mentions each window holds whole.

Used by training (with labels) and prediction (without), so both see exactly the same inputs.
A long article becomes several windows (stride overlap); a mention is given to every window that
contains all of its tokens, and the window logits are merged per article at prediction time.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch


def article_windows(tokenizer: Any, texts: Sequence[str], mention_spans: Sequence[Sequence[tuple[int, int]]],
                    max_length: int, stride: int) -> list[dict[str, Any]]:
    """One dict per window: input_ids, attention_mask, article index, and its mentions.

    `mention_spans[i]` are the character spans of article i's candidates; each window lists
    (mention index, token start, token end) for candidates it holds whole.
    """
    enc = tokenizer(list(texts), truncation=True, max_length=max_length, stride=stride,
                    return_overflowing_tokens=True, return_offsets_mapping=True, padding=False)
    windows = []
    for w, art in enumerate(enc["overflow_to_sample_mapping"]):
        offsets = enc["offset_mapping"][w]
        seq_ids = enc.sequence_ids(w)
        content = [k for k, s in enumerate(seq_ids) if s == 0]
        if not content:
            continue
        w_start, w_end = offsets[content[0]][0], offsets[content[-1]][1]
        mentions = []
        for mi, (cs, ce) in enumerate(mention_spans[art]):
            if cs < w_start or ce > w_end:
                continue
            toks = [k for k in content if offsets[k][0] < ce and cs < offsets[k][1]]
            if toks:
                mentions.append((mi, toks[0], toks[-1] + 1))
        windows.append({"input_ids": enc["input_ids"][w], "attention_mask": enc["attention_mask"][w],
                        "article": int(art), "mentions": mentions})
    return windows


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


def windows_for_training(tokenizer: Any, batch: dict[str, list], max_length: int, stride: int) -> dict[str, list]:
    """`datasets.map(batched=True)` function: dataset rows → window rows with labels."""
    spans = [list(zip(s, e, strict=True)) for s, e in zip(batch["mention_start"], batch["mention_end"],
                                                          strict=True)]
    wins = article_windows(tokenizer, batch["text"], spans, max_length, stride)
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
