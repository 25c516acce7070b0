"""Reference articles: expected outputs kept in `seeds/*.json`, article text found outside the repo.

The text is third-party and never copied here: it is read from `$EVENTCODER_SEEDS_DIR` or from
`../shared/seeds/` beside the checkout. A case whose text is missing has `text=None`.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcoder.paths import SEEDS_DIR, SHARED_DIR
from eventcoder.schema import Article, Casualty


@dataclass
class SeedCase:
    """One reference article: its expected output, gold mentions, and (when found) its text."""

    id: str
    article_file: str
    expected: dict[str, Any]
    mentions: list[dict[str, Any]]
    non_counts: list[str]
    text: str | None
    meta: dict[str, Any]

    def to_article(self) -> Article:
        """The case as a labelled Article with mentions resolved to offsets."""
        from eventcoder.data.labels import resolve_quotes

        if self.text is None:
            raise FileNotFoundError(f"text of reference article {self.article_file} not found")
        article = Article(id=self.id, text=self.text, event_type=self.expected["event_type"],
                          killed_total=self.expected["killed"], injured_total=self.expected["injured"],
                          casualties=[Casualty(**m) for m in self.mentions], date=self.meta.get("date"),
                          source=self.meta.get("source"))
        return resolve_quotes(article, file=self.article_file)


def seed_text_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("EVENTCODER_SEEDS_DIR"):
        dirs.append(Path(os.environ["EVENTCODER_SEEDS_DIR"]))
    dirs.append(SHARED_DIR / "seeds")
    return dirs


def find_seed_text(name: str) -> str | None:
    for d in seed_text_dirs():
        p = d / name
        if p.is_file():
            return p.read_text(encoding="utf-8")
    return None


def load_seed_cases(seeds_dir: str | Path = SEEDS_DIR) -> list[SeedCase]:
    cases = []
    for path in sorted(Path(seeds_dir).glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        cases.append(SeedCase(id=d["id"], article_file=d["article"], expected=d["expected"],
                              mentions=d.get("mentions", []), non_counts=d.get("non_counts", []),
                              text=find_seed_text(d["article"]),
                              meta={k: v for k, v in d.items() if k not in ("expected", "mentions")}))
    return cases


def main() -> int:
    """Print each reference case: expected output, and what the number reader finds in its text."""
    import sys

    from eventcoder.numbers import find_mentions

    for case in load_seed_cases():
        print(f"reference {case.id}: expected {json.dumps(case.expected)}")
        if case.text is None:
            print(f"  text {case.article_file} not found in {[str(d) for d in seed_text_dirs()]}: skipped")
            continue
        model_dir = os.environ.get("EVENTCODER_MODEL")
        if model_dir and Path(model_dir).is_dir():
            from eventcoder.predictor import predict

            print("  prediction:", json.dumps(predict([case.text], model=model_dir)[0], indent=2))
        counts = [f"{m.text}={m.value if m.value is not None else m.vague}" for m in find_mentions(case.text)
                  if m.is_count]
        others = [f"{m.text} ({m.reason})" for m in find_mentions(case.text) if not m.is_count]
        print(f"  candidate counts: {', '.join(counts)}")
        print(f"  non-counts: {', '.join(others)}")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
