"""How much each part of the article-level casualty rule adds: a model's stored scores of each set
decoded with every part on (its stored settings), then with one part off at a time, then all off.

    .venv/bin/python scripts/rule_ablation.py --model models/minilm-real-articles \
        --sets dev_articles real_quick:gtd@validation real_quick:acled@validation

A set is an evaluate eval-set spec, optionally @split (default test). Prints killed and injured
total exact matches (counts and shares) per set and variant, and on sets with gold casualty spans the
by-group exact match and mention F1 (as `eventcoder.evaluate` scores them).
"""
from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

# (name, settings changed from the model's stored ones)
VARIANTS = (
    ("all parts (stored settings)", {}),
    ("without lists", {"read_lists": False}),
    ("without the on-top cue", {"read_on_top": False}),
    ("without background tolls", {"drop_background": False}),
    ("without non-violent types", {"no_casualty_types": ()}),
    ("suicide bombers counted", {"count_bombers": True}),
    ("suicide bombers not counted", {"count_bombers": False}),
    ("lone victims counted", {"count_lone_victims": True}),
    ("lone victims not counted", {"count_lone_victims": False}),
    ("casualty word needed", {"needs_casualty_word": True}),
    ("casualty word not needed", {"needs_casualty_word": False}),
    ("killing clauses read", {"read_killing_clauses": True}),
    ("killing clauses not read", {"read_killing_clauses": False}),
    ("militants told killed read", {"read_militants_killed": True}),
    ("militants told killed not read", {"read_militants_killed": False}),
    ("counts an event left dead read", {"read_left_dead": True}),
    ("counts an event left dead not read", {"read_left_dead": False}),
    ("death tolls read", {"read_death_tolls": True}),
    ("death tolls not read", {"read_death_tolls": False}),
    ("counts after a passive's by dropped", {"doers_are_no_victims": True}),
    ("counts after a passive's by kept", {"doers_are_no_victims": False}),
    ("counts told as the attackers dropped", {"attackers_are_no_victims": True}),
    ("counts told as the attackers kept", {"attackers_are_no_victims": False}),
    ("counts told arrested or abducted dropped", {"other_fates_are_no_casualties": True}),
    ("counts told arrested or abducted kept", {"other_fates_are_no_casualties": False}),
    ("outcomes by verb", {"outcome_by_verb": True}),
    ("outcomes as the model read them", {"outcome_by_verb": False}),
    ("groups by noun", {"group_by_noun": True}),
    ("groups as the model read them", {"group_by_noun": False}),
    ("people of no side", {"people_take_no_side": True}),
    ("people of the side the model read", {"people_take_no_side": False}),
    ("shares of tolls across incidents", {"share_across_incidents": True}),
    ("whole tolls across incidents", {"share_across_incidents": False}),
    ("without all four", {"read_lists": False, "read_on_top": False, "drop_background": False,
                          "no_casualty_types": ()}),
)


def main() -> None:
    from eventcoder import metrics as M
    from eventcoder.evaluate import annotated_figures, gold_groups, load_set, scoring_cli

    predictor, cfg, sets = scoring_cli(__doc__.split("\n\n")[0])
    stored = {name: getattr(predictor, name) for _, change in VARIANTS for name in change}
    print("| set | articles | variant | killed exact | injured exact | by-group exact | mention F1 |\n"
          "|---|---|---|---|---|---|---|")
    for spec in sets:
        rows = load_set(spec, cfg)
        raw = predictor.score([r["text"] for r in rows], headlines=True)
        for variant, change in VARIANTS:
            for attr, value in {**stored, **change}.items():
                setattr(predictor, attr, value)
            preds = [predictor.decode(r["text"], sc) for r, sc in zip(rows, raw, strict=True)]
            cells = []
            for outcome in ("killed", "injured"):
                scored = [(p[outcome], r[f"{outcome}_total"]) for p, r in zip(preds, rows, strict=True)
                          if r[f"{outcome}_total"] >= 0]
                hits = sum(p == g for p, g in scored)
                cells.append(f"{hits}/{len(scored)} ({hits / len(scored):.3f})" if scored else "–")
            spans = [(r, p) for r, p in zip(rows, preds, strict=True) if r["gold_casualties"] is not None]
            if spans:
                hits = round(M.by_group_exact([gold_groups(r["gold_casualties"]) for r, _ in spans],
                                              [p["casualties"] for _, p in spans]) * len(spans))
                f1 = M.mention_prf([r["gold_casualties"] for r, _ in spans], [annotated_figures(r, p) for r, p in spans])
                cells += [f"{hits}/{len(spans)} ({hits / len(spans):.3f})", f"{f1['f1']:.3f}"]
            else:
                cells += ["–", "–"]
            print(f"| {spec} | {len(rows)} | {variant} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
