"""Casualty totals on text that lost its full stops (scraped copy, some archives), with and without
the sentence reach (`casualties.SENTENCE_REACH`): each dev set as given and stripped of its
sentence-ending full stops, commas, apostrophes, quotation marks and paragraph breaks after the
headline, scored by the same model.

    .venv/bin/python scripts/stripped_text_check.py --model models/minilm-real-articles
"""

from __future__ import annotations

import argparse
import re
from unittest import mock

import datasets

from eventcoder import casualties
from eventcoder.predictor import Predictor


def strip_punctuation(text: str) -> str:
    """The body as scraped copy often comes: no full stops between sentences, no commas, apostrophes
    or quotation marks, one paragraph; the headline and its blank line are kept."""
    head, sep, body = text.partition("\n\n")
    body = re.sub(r"[,'’\"“”]", "", body)
    body = re.sub(r"\.\s+(?=[A-Z])", " ", body)
    body = re.sub(r"\s*\n+\s*", " ", body)
    return head + sep + body


def exact(predictions: list[dict], gold: list[int | None], outcome: str) -> int:
    return sum(p[outcome] == g for p, g in zip(predictions, gold, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/minilm-real-articles")
    parser.add_argument("--sets", nargs="+", default=["dev_world", "dev_articles"])
    args = parser.parse_args()
    predictor = Predictor.from_pretrained(args.model)
    reach = casualties.SENTENCE_REACH
    print("| set | text | sentence reach | killed exact | injured exact | killed exact where reported |")
    print("|---|---|---|---|---|---|")
    for name in args.sets:
        rows = datasets.load_from_disk(f"data/processed/{name}/dataset")["test"]
        killed, injured = rows["killed_total"], rows["injured_total"]
        reported = [k is not None and k > 0 for k in killed]
        for kind, texts in (("as given", rows["text"]), ("stripped", [strip_punctuation(t) for t in rows["text"]])):
            scores = predictor.score(texts, batch_size=8)  # the reach acts in decoding: the model runs once
            for on in (False, True):
                with mock.patch.object(casualties, "SENTENCE_REACH", reach if on else 10**9):
                    out = [predictor.decode(text, sc) for text, sc in zip(texts, scores, strict=True)]
                where = sum(p["killed"] == k for p, k, r in zip(out, killed, reported, strict=True) if r)
                print(f"| {name} ({len(texts)}) | {kind} | {'on' if on else 'off'} | {exact(out, killed, 'killed')} | "
                      f"{exact(out, injured, 'injured')} | {where} of {sum(reported)} |", flush=True)


if __name__ == "__main__":
    main()
