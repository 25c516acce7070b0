"""Word cues that settle an event type the encoder confuses, where the ACLED codebook is explicit.

ACLED codes a side regaining or overtaking ground by force as a battle ("government regains
territory", "non-state actor overtakes territory"); only a non-violent transfer of territory is a
strategic development. The model reads war-progress reports ("troops retook the village") as
strategic developments, because the words of control and its handover dominate them
(docs/experiments.md). The Predictor applies `territory_taken` to an article read as a strategic
development (`Predictor.territory_is_battle`).

ACLED codes an event whose harm an explosive or remote weapon did (a landmine, an IED, an air or
drone strike, shelling) as explosions/remote violence. The model reads a patrol hit by a mine or
an IED as a battle, because soldiers, militants and an ambush fill the story; a headline that
names the device as the news is the cue (`device_named`, `Predictor.device_is_explosion`). A chemical
weapon is one such weapon wherever the text names it ("a chlorine attack", "sarin"), which the model
reads as violence against civilians (`chemical_weapon_named`, `Predictor.chemical_weapon_is_explosion`).

ACLED codes a demonstration as a riot only for the crowd's own violence: a protest that police meet
with tear gas, rubber bullets or live fire stays a protest ("protest with intervention", "excessive
force against protesters"). The model reads an article about protests over a police shooting, or
protesters dispersed with tear gas, as a riot; a full article (one with a headline) that tells a
protest and no violent act of the crowd's is the cue (`calm_protest`, `Predictor.calm_crowd_is_protest`).

ACLED codes weapons seized, caches found and explosives defused or intercepted as a strategic
development ("disrupted weapons use"). The model reads such reports as battles or explosions, because
bombs, guns and security forces fill them; a lead that tells weapons or explosives taken or found
and no harm, fighting or blast is the cue, except a bomb defused, which GTD codes as a bombing that
failed (`weapons_disrupted`, `Predictor.seized_weapons_are_development`).
Forces setting up a base, a post or a checkpoint are a strategic development too ("headquarters or
base established"); the model reads them as battles (`base_established`, `Predictor.new_base_is_development`).
So is ground handed over, left or entered without a fight ("non-violent transfer of territory"), which
the model reads as a battle (`ground_changed_hands`, `Predictor.handover_is_development`), and so are
fighters defecting, forces reinforced or mobilised and drills held without a fight ("change to
group/activity"; `group_activity`, `Predictor.group_change_is_development`).

ACLED codes political violence and demonstrations, not accidents: a blast of a gas tank, a boiler or
a chemical plant, a crash or a spill, with no attack, weapon or armed group told, is no event
(`accident_told`, `Predictor.accident_is_none`); the model reads an explosion as explosions/remote
violence whatever set it off.

ACLED codes people kidnapped, abducted or made to disappear as violence against civilians
("abduction/forced disappearance"), and only arrests and detentions as strategic developments. The
model reads a kidnapping as the latter, as it reads an arrest; a lead that tells a kidnapping, an
abduction or hostages taken is the cue, unless it tells them freed, released or rescued, or talks
about them (`abduction_told`, `Predictor.abduction_is_violence`).

Nor does ACLED code diplomacy: ambassadors summoned or expelled, sanctions, summits, condemnations.
The model reads such text as a strategic development, for the words of states and their moves; a
lead that tells a diplomatic act and names no armed actor, force, arrest, harm, truce or crowd is
no event (`diplomacy_told`, `Predictor.diplomacy_is_none`). Real articles about diplomacy after
violence name the violence, and are left to the model.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from eventcoder.features import headline_of


def _first_unless(cue: re.Pattern, text: str, *vetoes: re.Pattern) -> tuple[int, int] | None:
    """Where `cue` first matches in `text`, or None where it does not or any of `vetoes` matches
    anywhere in the text (a fight told beside a handover, an attack beside an accident)."""
    m = cue.search(text)
    return m.span() if m and not any(veto.search(text) for veto in vetoes) else None

# done, not aimed at: past and perfect, and the present of headlines ("Army retakes town"); "to take
# back control" or "a push to retake" is a plan, which a strategic development may well report
TERRITORY_TAKEN = re.compile(r"\b(retook|retaken|retakes|recaptur(ed|es)|regained|regains|liberat(ed|es)|"
                             r"(took|taken|takes|seized|seizes|wrested|wrests) (back )?control)\b", re.I)


# ground that changed hands without a fight: ACLED's non-violent transfer, a strategic development
WITHOUT_A_FIGHT = re.compile(r"\b(no (fighting|clashes|resistance|shots?)|without (a )?(fight|fighting|resistance|"
                             r"a shot)|unopposed|peaceful(ly)?|hand-?over|handed (it |them )?over|withdr[ae]w\w*|"
                             r"pulled out|negotiated)\b", re.I)


def territory_taken(text: str) -> tuple[int, int] | None:
    """Where the text first tells a side retaking, liberating or seizing control of ground, or None;
    None too where it tells the ground changed hands without a fight (a handover, a withdrawal)."""
    return _first_unless(TERRITORY_TAKEN, text, WITHOUT_A_FIGHT)


# an explosive or remote weapon; not "mine" alone (a gold mine), "shells", or "explosives" (seized in a raid)
DEVICE = re.compile(r"\b(land ?mines?|anti-(personnel|tank) mines?|IEDs?|improvised explosive( devices?)?|"
                    r"explosive devices?|roadside bombs?|car bombs?|bomb(s|ed|ing|ings)?|blasts?|explosions?|"
                    r"drone (strike|attack)s?|air ?strikes?|shelling|mortars?|rockets?|missiles?|grenades?)\b", re.I)


def device_named(headline: str | None) -> tuple[int, int] | None:
    """Where a headline names an explosive or remote weapon ("Soldier killed by landmine", "IED
    attack kills four"), or None (no headline: None)."""
    return _first_unless(DEVICE, headline or "")


# a crowd's own violent acts; not the police's ("riot police", "tear gas", "police violence", "a sniper attack")
CROWD_VIOLENCE = re.compile(r"\b(violent(ly)?|threw|throw\w*|hurl\w*|pelt\w*|ston(e|es|ed|ing)|rocks?|petrol bombs?|"
                            r"molotov|torch(ed|ing)|set (fire|ablaze)|burn(ed|t|ing)|loot\w*|vandal\w*|ransack\w*|"
                            r"smash\w*|rioters?|rioting|mobs?|lynch\w*|clash\w*|fought|destroy\w*|damag\w*|storm\w*)\b",
                            re.I)
# "march" in lower case only: "March" is the month
PROTEST = re.compile(r"\b(protest\w*|demonstrat\w*|march(es|ed|ing|ers?)|(?-i:march)|rall(y|ies|ied))\b", re.I)


def calm_protest(text: str) -> tuple[int, int] | None:
    """Where a full article (one with a headline: `features.headline_of`) first tells a protest, when
    it tells no violent act of the crowd's own anywhere; else None. Exports and snippets (no
    headline) are left alone: their one-line riot notes name the act seldom enough to mislead."""
    return None if headline_of(text) is None else _first_unless(PROTEST, text, CROWD_VIOLENCE)


# weapons and explosives, as seized, found or defused; "arms" and "rounds" only beside such a verb
WEAPONS = (r"(weapons?|arms|guns?|firearms?|rifles?|pistols?|revolvers?|ammunitions?|ammo|rounds|bullets|cartridges|"
           r"explosives?|(explosive|incendiary) devices?|IEDs?|bombs?|grenades?|mortars?|rockets?|projectiles|"
           r"(land ?)?mines|detonators?|caches?|stash(es)?|arsenals?|munitions?|missiles?)")
TAKEN_OR_FOUND = (r"(seiz\w*|confiscat\w*|recover\w*|found|discover\w*|uncover\w*|unearth\w*|intercept\w*|"
                  r"defus\w*|dismantl\w*|disarm\w*|neutrali[sz]\w*|impound\w*|captur\w*|haul)")
# the verb and the weapons within one clause of each other, in either order ("seized 12 rifles", "a bomb was defused")
WEAPONS_TAKEN = re.compile(rf"\b{TAKEN_OR_FOUND}\b[^.;!?]{{0,80}}?\b{WEAPONS}\b|"
                           rf"\b{WEAPONS}\b[^.;!?]{{0,80}}?\b{TAKEN_OR_FOUND}\b", re.I)
# harm done, a blast or a fight: then the weapons found are a detail of a violent event
HARM_OR_FIGHT = re.compile(r"\b(kill\w*|dead|died|death\w*|slain|bodies|corpses?|injur\w*|wound\w*|hurt|casualt\w*|explod\w*|"
                           r"explosions?|blasts?|went off|detonated|opened fire|attack\w*|clash\w*|fighting|fought|gun ?fight\w*|"
                           r"fire ?fight\w*|shot|shoot\w*|fired|ambush\w*|battle\w*|strikes?|air ?strikes?|"
                           r"bombard\w*|shell(ed|ing)|destroy\w*)\b", re.I)


# a bomb defused: GTD codes it as a bombing that failed, ACLED as disrupted weapons use; left to the model
DEFUSED = re.compile(r"\b(defus\w*|bomb (squad|disposal)|controlled (explosion|detonation)|disarm\w*|made safe)\b", re.I)


def weapons_disrupted(text: str) -> tuple[int, int] | None:
    """Where the text first tells weapons or explosives seized, found or intercepted ("police seized
    40 rifles", "a cache of grenades was found"), when it tells no harm, blast or fight, nor a bomb
    defused (the sources disagree on those: `DEFUSED`); else None."""
    return _first_unless(WEAPONS_TAKEN, text, HARM_OR_FIGHT, DEFUSED)


CHEMICAL_WEAPON = re.compile(r"\b(chemical (weapons?|attacks?|agents?|munitions?|strikes?)|sarin|mustard gas|"
                             r"nerve (agents?|gas)|chlorine (gas )?(attacks?|bombs?|barrels?|canisters?)|"
                             r"toxic gas attacks?|poison gas)\b", re.I)


def chemical_weapon_named(text: str) -> tuple[int, int] | None:
    """Where the text first names a chemical weapon or attack ("a chlorine attack", "sarin"), or None."""
    return _first_unless(CHEMICAL_WEAPON, text)


# forces setting up a base, a post or a checkpoint; "camps" only as bases ("army camps"), not relief camps
BASE_SET_UP = re.compile(r"\b(set up|sets up|setting up|established|establishes|establishing|erected|erects|"
                         r"built|builds)\b[^.;!?]{0,60}?\b((military|army|observation|security|"
                         r"police|forward) (bases?|posts?|points?|outposts?|camps?|positions?)|bases?|outposts?|"
                         r"checkpoints?|barracks|headquarters)\b", re.I)


def base_established(text: str) -> tuple[int, int] | None:
    """Where the text first tells a side setting up a base, a post or a checkpoint ("troops set up
    an observation post near the ridge"), when it tells no harm, blast or fight; else None."""
    return _first_unless(BASE_SET_UP, text, HARM_OR_FIGHT)


# ground or a post handed over, left or entered; a battle's only where no fight is told with it
HANDED_OVER = re.compile(r"\b(hand(ed|s|ing)? ([\w'-]+ ){0,5}?over|handover|withdr[ae]w\w*|withdrawal|pulled out|pull(s|ing)? out|"
                         r"evacuat\w*|took over|taken over|takes over|entered|deployed|redeploy\w*)\b", re.I)


def ground_changed_hands(text: str) -> tuple[int, int] | None:
    """Where the text first tells ground or a post handed over, left or entered ("the militia
    handed the crossing over to the army", "troops withdrew from the town"), when it tells no harm,
    blast or fight; else None."""
    return _first_unless(HANDED_OVER, text, HARM_OR_FIGHT)


# a side changing or readying itself: defections, reinforcements, mobilisation, drills
GROUP_ACTIVITY = re.compile(r"\b(defect(ed|s|ing|ion|ions|ors?)|switched sides|reinforce(d|s|ments)|"
                            r"mobili[sz](ed|es|ing|ation)|(military|army|naval|joint) (drills?|exercises?))\b", re.I)


def group_activity(text: str) -> tuple[int, int] | None:
    """Where the text first tells fighters defecting, forces reinforced or mobilised, or drills
    ("200 militiamen defected to the government side"), when it tells no harm, blast or fight; else None."""
    return _first_unless(GROUP_ACTIVITY, text, HARM_OR_FIGHT)


# what sets off an accident: a crash, a spill, a leak, an industrial tank or boiler
ACCIDENT = re.compile(r"\b(accident(s|al|ally)?|crash(ed|es)?|collisions?|collided|derail\w*|chemical (spill|leak\w*|"
                      r"plant|factory)|(gas|chlorine|ammonia|oil|fuel) (leak\w*|spill\w*|cylinders?|tanks?|"
                      r"explosions?|pipelines?)|leak(ed|age|s)?|spills?|boilers?|(storage|fuel) tanks?|"
                      r"cylinders?|short[- ]circuit|fireworks?|ammonium nitrate|stampedes?|adulterated)\b", re.I)
# an attack, a weapon or an armed group: then the event is political violence whatever else the text tells
ATTACK_TOLD = re.compile(r"\b(attack\w*|bomb(s|ed|er|ers|ing|ings)?|militants?|insurgents?|terror\w*|gunm[ae]n|"
                         r"suicide|IEDs?|improvised|explosive devices?|grenades?|rockets?|mortars?|shell(ed|ing)|"
                         r"missiles?|air ?strikes?|drones?|sabotage\w*|arson\w*|deliberate\w*|claimed|rebels?|"
                         r"jihad\w*|shot|shoot\w*|gunfire|fighters|troops|soldiers|army|military|police fired|"
                         r"bombard\w*|war ?planes?|fighter jets?|aerial|captur\w*|hostages?|kidnap\w*|abduct\w*)\b",
                         re.I)


def accident_told(text: str) -> tuple[int, int] | None:
    """Where the text first tells an accident ("a boiler exploded at the dye works", "a chemical
    spill"), when it tells no attack, weapon or armed group; else None."""
    return _first_unless(ACCIDENT, text, ATTACK_TOLD)


# a kidnapping or a disappearance; not an arrest or a detention, which ACLED codes as a strategic development
ABDUCTED = re.compile(r"\b(kidnap(ped|s|ping|pings|per|pers)?|abduct(ed|s|ing|ion|ions|ors?)?|"
                      r"(taken|took|taking|held|holding|seized) ([\w'-]+ ){0,4}?hostages?|hostage-taking|"
                      r"(enforced|forced(ly)?) disappear\w*)\b", re.I)


# captives freed, released or rescued, or talks and deals about them: a strategic development
CAPTIVES_FREED = re.compile(r"\b(releas\w*|freed|free|freeing|rescu\w*|ransom paid|swap\w*|exchanged?|"
                            r"talks|agreement|accord|deal|ceasefire|negotiat\w*)\b", re.I)


def abduction_told(text: str) -> tuple[int, int] | None:
    """Where the text first tells people kidnapped, abducted, taken hostage or disappeared by force
    ("gunmen abducted 12 farmers"), when it tells no captives freed, released or rescued nor talks
    or a deal (ACLED's strategic developments); else None."""
    return _first_unless(ABDUCTED, text, CAPTIVES_FREED)


# diplomacy: envoys, embassies, sanctions, summits, condemnations; ACLED codes none of it
DIPLOMACY = re.compile(r"\b(ambassadors?|embass(y|ies)|diplomats?|diplomatic|foreign ministers?|foreign ministry|"
                       r"sanctions?|summit|bilateral|envoys?|consulates?|condemn\w*|denounc\w*|persona non grata|"
                       r"expel\w*)\b", re.I)
# an armed actor, a use of force, an arrest, harm, a truce or a crowd: then the text may tell an event
ARMED_OR_HARM = re.compile(r"\b(ceasefire|truce|peace (deal|agreement|accord|talks|process)|rebels?|militants?|"
                           r"insurgents?|armed groups?|militias?|troops|soldiers|forces|army|police|arrest\w*|detain\w*|"
                           r"seiz\w*|captur\w*|kill\w*|dead|attack\w*|bomb\w*|clash\w*|fight\w*|shell\w*|strikes?|"
                           r"protest\w*|demonstrat\w*|wounded|injur\w*|kidnap\w*|abduct\w*|hostages?)\b", re.I)


def diplomacy_told(text: str) -> tuple[int, int] | None:
    """Where the text first tells a diplomatic act ("the ministry summoned the ambassador", "new
    sanctions"), when it names no armed actor, force, arrest, harm, truce or crowd; else None."""
    return _first_unless(DIPLOMACY, text, ARMED_OR_HARM)


def headline_device(text: str) -> tuple[int, int] | None:
    """`device_named` on the text's headline (`features.headline_of`), as offsets in the text."""
    head = headline_of(text)
    span = device_named(head)
    if span is None:
        return None
    start = text.index(head)
    return start + span[0], start + span[1]


@dataclass(frozen=True)
class CueRule:
    """A cue that changes the model's reading, one of `sources`, to `target` where `find` finds its words."""

    name: str  # the output's `event_cue.rule`
    switch: str  # the Predictor setting that turns it on
    sources: tuple[str, ...]
    target: str
    find: Callable[[str, int], tuple[int, int] | None]  # (text, the Predictor's lead_chars) → offsets, or None


# the rules the Predictor applies, in order (scripts/event_cue_check.py measures each)
RULES = (
    CueRule("territory", "territory_is_battle", ("strategic_developments",), "battles",
            lambda text, lead: territory_taken(text[:lead or None])),
    CueRule("device", "device_is_explosion", ("battles",), "explosions_remote_violence",
            lambda text, lead: headline_device(text)),
    CueRule("calm-crowd", "calm_crowd_is_protest", ("riots",), "protests", lambda text, lead: calm_protest(text)),
    CueRule("disrupted-weapons", "seized_weapons_are_development",
            ("battles", "explosions_remote_violence", "violence_against_civilians"), "strategic_developments",
            lambda text, lead: weapons_disrupted(text[:lead or None])),
    CueRule("chemical-weapon", "chemical_weapon_is_explosion",
            ("violence_against_civilians", "battles", "strategic_developments"), "explosions_remote_violence",
            lambda text, lead: chemical_weapon_named(text[:lead or None])),
    CueRule("new-base", "new_base_is_development", ("battles", "explosions_remote_violence"),
            "strategic_developments", lambda text, lead: base_established(text[:lead or None])),
    CueRule("handover", "handover_is_development", ("battles",), "strategic_developments",
            lambda text, lead: ground_changed_hands(text[:lead or None])),
    CueRule("group-activity", "group_change_is_development", ("battles", "explosions_remote_violence"),
            "strategic_developments", lambda text, lead: group_activity(text[:lead or None])),
    CueRule("abduction", "abduction_is_violence", ("strategic_developments",), "violence_against_civilians",
            lambda text, lead: abduction_told(text[:lead or None])),
    CueRule("diplomacy", "diplomacy_is_none", ("strategic_developments",), "none",
            lambda text, lead: diplomacy_told(text[:lead or None])),
    CueRule("accident", "accident_is_none", ("explosions_remote_violence", "violence_against_civilians", "battles"),
            "none", lambda text, lead: accident_told(text[:lead or None])),
)
