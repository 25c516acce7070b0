"""Does a word cue that overrides the model's event type help? Each rule names the type it changes,
the type it gives, and when it fires. The script decodes the sets once with every rule off and
counts, for the articles the model reads as the rule's source type and the rule fires on, how many
the gold codes as the rule's target (the rule is right) or as the model's reading (it is wrong),
and prints each set's event macro-F1 without and with the rule.

    .venv/bin/python scripts/event_cue_check.py --model models/minilm-real-articles \\
        --sets dev_articles real_quick:acled@validation real_quick:acled case2021

A set is an evaluate eval-set spec, optionally @split (default test).

- `calm-riot` (session 15, not adopted): a riot whose text names no violent act is a protest
  (ACLED's "protest with intervention": a demonstration met with force but not violent itself).
- `territory` (session 16, adopted: `Predictor.territory_is_battle`): a strategic development
  whose headline and lead tell a side retaking or seizing ground is a battle
  (`event_cues.territory_taken`).
- `device` (session 17, adopted: `Predictor.device_is_explosion`): a battle whose headline names an
  explosive or remote weapon is explosions/remote violence (`event_cues.device_named`).
- `calm-crowd` (session 17, adopted: `Predictor.calm_crowd_is_protest`): a riot whose full article
  (one with a headline) tells a protest and no violent act of the crowd's own (the police's tear gas
  or shootings do not count) is a protest (`event_cues.calm_protest`).
- `disrupted-weapons` (session 20, adopted: `Predictor.seized_weapons_are_development`): a battle,
  an explosion or violence against civilians whose lead tells weapons or explosives seized, found
  or intercepted, and no harm, blast or fight nor a bomb defused (GTD codes those as failed
  bombings), is a strategic development (`event_cues.weapons_disrupted`; ACLED's "disrupted weapons use").
- `new-base` (session 20, adopted: `Predictor.new_base_is_development`): a battle or an explosion
  whose lead tells forces setting up a base, a post or a checkpoint and no harm, blast or fight is a
  strategic development (`event_cues.base_established`; ACLED's "headquarters or base established").
- `chemical-weapon` (session 20, adopted: `Predictor.chemical_weapon_is_explosion`): violence against
  civilians, a battle or a strategic development whose lead names a chemical weapon is
  explosions/remote violence (`event_cues.chemical_weapon_named`).
- `handover` (session 20, adopted: `Predictor.handover_is_development`): a battle whose lead tells
  ground handed over, left or entered and no harm, blast or fight is a strategic development
  (`event_cues.ground_changed_hands`; ACLED's "non-violent transfer of territory").
- `group-activity` (session 20, adopted: `Predictor.group_change_is_development`): a battle or an
  explosion whose lead tells defections, reinforcements, mobilisation or drills and no harm, blast
  or fight is a strategic development (`event_cues.group_activity`; ACLED's "change to group/activity").
- `accident` (session 20, adopted: `Predictor.accident_is_none`): an explosion, a battle or violence
  against civilians whose lead tells an accident (a tank, a boiler, a crash, a spill) and no attack,
  weapon or armed group is no event (`event_cues.accident_told`).
- `abduction` (session 22, adopted: `Predictor.abduction_is_violence`): a strategic development whose
  lead tells people kidnapped, abducted or taken hostage, and no captives freed, released or rescued
  nor talks about them, is violence against civilians (`event_cues.abduction_told`; ACLED's
  "abduction/forced disappearance").
- `diplomacy` (session 22, adopted: `Predictor.diplomacy_is_none`): a strategic development whose
  lead tells a diplomatic act (envoys, embassies, sanctions, a summit, a condemnation) and names no
  armed actor, force, arrest, harm, truce or crowd is no event (`event_cues.diplomacy_told`).
- `mob` (session 22, not adopted): violence against civilians whose lead tells a mob or a lynching is
  a riot (ACLED's "mob violence").
- `calm-crowd-anywhere` (session 22, not adopted): `calm-crowd` on exports and snippets too (texts
  without a headline), which the adopted rule leaves alone.
- `arrest-headline` (session 17, not adopted): a battle whose headline tells an arrest and no
  fighting is a strategic development.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("HF_HUB_OFFLINE", "1")

VIOLENT_ACT = re.compile(r"\b(riot\w*|threw|throw\w*|hurl\w*|pelt\w*|ston(e|es|ed|ing)|rocks?|petrol bombs?|"
                         r"molotov|torch\w*|set (fire|ablaze)|burn\w*|loot\w*|vandal\w*|ransack\w*|smash\w*|"
                         r"attack\w*|clash\w*|violen\w*|mob\w*|lynch\w*|beat\w*|assault\w*|destroy\w*|damag\w*)\b",
                         re.I)


@dataclass(frozen=True)
class CheckedRule:
    sources: tuple[str, ...]  # the model's readings the rule changes
    target: str  # the type it gives instead
    fires: Callable[[str, int], bool]  # (text, the model's lead_chars) → does the rule apply


ARREST = re.compile(r"\b(arrest\w*|detain\w*|captur\w*|apprehend\w*|nab\w*|held|custody|surrender\w*)\b", re.I)
FIGHT = re.compile(r"\b(clash\w*|gun ?fight\w*|fire ?fight\w*|exchange of fire|fought|battl\w*|kill\w*|dead|"
                   r"attack\w*|ambush\w*|offensive)\b", re.I)


MOB = re.compile(r"\b(mobs?|lynch\w*|vigilantes?|mob justice|jungle justice)\b", re.I)


def _arrest_without_fight(headline: str | None) -> bool:
    return bool(ARREST.search(headline or "")) and not FIGHT.search(headline or "")


def _rules() -> dict[str, CheckedRule]:
    """The rules not adopted, and the Predictor's own (`event_cues.RULES`), applied as it applies them."""
    from eventcoder.event_cues import CROWD_VIOLENCE, PROTEST, RULES, _first_unless
    from eventcoder.features import headline_of

    return {
        "calm-riot": CheckedRule(("riots",), "protests", lambda text, lead: VIOLENT_ACT.search(text) is None),
        **{r.name: CheckedRule(r.sources, r.target, lambda text, lead, r=r: r.find(text, lead) is not None) for r in RULES},
        "arrest-headline": CheckedRule(("battles",), "strategic_developments",
                                   lambda text, lead: _arrest_without_fight(headline_of(text))),
        "mob": CheckedRule(("violence_against_civilians",), "riots",
                           lambda text, lead: MOB.search(text[:lead or None]) is not None),
        "calm-crowd-anywhere": CheckedRule(("riots",), "protests",
                                           lambda text, lead: _first_unless(PROTEST, text, CROWD_VIOLENCE) is not None),
    }


def main() -> None:
    from eventcoder.evaluate import load_set, scoring_cli
    from eventcoder.metrics import event_metrics

    predictor, cfg, sets = scoring_cli(__doc__.split("\n\n")[0])
    from eventcoder.event_cues import RULES

    for rule in RULES:  # the encoder alone; each rule is applied below
        setattr(predictor, rule.switch, False)
    labels = predictor.event_labels
    rows_by_set = {spec: load_set(spec, cfg) for spec in sets}
    read_by_set = {spec: [p["event_type"] for p in predictor([r["text"] for r in rows])]
                   for spec, rows in rows_by_set.items()}
    for name, rule in _rules().items():
        read_as = " or ".join(rule.sources)
        print(f"\n{name}: {read_as} → {rule.target}\n\n| set | read as {read_as} | rule fires | "
              f"of those, gold {rule.target} (right) | gold as read (wrong) | other | "
              f"macro-F1 without → with |\n|---|---|---|---|---|---|---|")
        for spec, rows in rows_by_set.items():
            read = read_by_set[spec]
            fired = [i for i, (r, p) in enumerate(zip(rows, read, strict=True))
                     if p in rule.sources and rule.fires(r["text"], predictor.lead_chars)]
            gold = [r["event_type"] for r in rows]
            hit = set(fired)
            ruled = [rule.target if i in hit else p for i, p in enumerate(read)]
            right = sum(gold[i] == rule.target for i in fired)
            wrong = sum(gold[i] == read[i] for i in fired)
            typed = [i for i, g in enumerate(gold) if g]  # rows without a gold type are not scored (as in evaluate)
            before, after = (event_metrics([gold[i] for i in typed], [pred[i] for i in typed], labels)["macro_f1"]
                             for pred in (read, ruled))
            print(f"| {spec} | {sum(p in rule.sources for p in read)} | {len(fired)} | {right} | {wrong} | "
                  f"{len(fired) - right - wrong} | {before:.3f} → {after:.3f} |", flush=True)


if __name__ == "__main__":
    main()
