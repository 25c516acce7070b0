"""Would "a riot whose text says no violence by anyone is a protest" help? A rule tried in session 15
and not adopted: ACLED calls a demonstration met with force but not violent itself a protest
("protest with intervention"), and the model reads some of those as riots.

    .venv/bin/python scripts/riot_cue_check.py --model models/minilm-real-articles \
        --sets dev_articles real_quick:acled@validation real_quick:acled case2021

A set is an evaluate eval-set spec, optionally @split (default test). For the articles the model
codes as riots, prints how many name no violent act, and of those how many the gold codes as
protests (the rule would be right) or riots (it would be wrong).
"""
from __future__ import annotations

import os
import re

os.environ.setdefault("HF_HUB_OFFLINE", "1")

VIOLENT_ACT = re.compile(r"\b(riot\w*|threw|throw\w*|hurl\w*|pelt\w*|ston(e|es|ed|ing)|rocks?|petrol bombs?|"
                         r"molotov|torch\w*|set (fire|ablaze)|burn\w*|loot\w*|vandal\w*|ransack\w*|smash\w*|"
                         r"attack\w*|clash\w*|violen\w*|mob\w*|lynch\w*|beat\w*|assault\w*|destroy\w*|damag\w*)\b",
                         re.I)


def main() -> None:
    from eventcoder.evaluate import load_set, scoring_cli

    predictor, cfg, sets = scoring_cli(__doc__.split("\n\n")[0])
    print("| set | read as riots | no violent act named | of those, gold protests | gold riots |\n|---|---|---|---|---|")
    for spec in sets:
        rows = load_set(spec, cfg)
        preds = predictor([r["text"] for r in rows])
        riots = [r for r, p in zip(rows, preds, strict=True) if p["event_type"] == "riots"]
        calm = [r for r in riots if not VIOLENT_ACT.search(r["text"])]
        gold = [r["event_type"] for r in calm]
        print(f"| {spec} | {len(riots)} | {len(calm)} | {gold.count('protests')} | {gold.count('riots')} |", flush=True)


if __name__ == "__main__":
    main()
