from __future__ import annotations

import pytest

from eventcoder.casualties import (
    aggregate,
    agree_listed_outcomes,
    bomber_who_died,
    counts_suicide_bombers,
    gapped_clause,
    join_listed,
    lone_victim,
    noun_phrase_group,
    outcome_told,
    says_someone_died_or_was_hurt,
    sentence_span,
    sentence_spans,
    share_of,
    shared_across,
    told_as_attacker,
    told_as_death_toll,
    told_as_doer,
    told_killed,
    told_left_dead,
    told_of_another_time,
    told_with_another_fate,
    total_with_breakdown,
    without_background,
)
from eventcoder.numbers import find_mentions


def m(outcome, group, count, vague=None, vague_value=None):
    return {"outcome": outcome, "group": group, "count": count, "vague": vague, "vague_value": vague_value}


def test_repeated_figure_counts_once():
    out = aggregate([m("killed", "civilians", 9), m("killed", "civilians", 9)])
    assert out["totals"]["killed"] == 9


def test_updated_toll_replaces_earlier_one():
    out = aggregate([m("killed", "unknown", 14), m("killed", "unknown", 9), m("injured", "unknown", 30)])
    assert out["totals"] == {"killed": 14, "injured": 30}


def test_total_containing_its_breakdown_is_not_added():
    out = aggregate([m("killed", "unknown", 27), m("killed", "militants", 20), m("killed", "security_forces", 7)])
    assert out["totals"]["killed"] == 27
    assert out["by_group"]["killed"] == {"militants": 20, "security_forces": 7}


def test_partial_breakdown_keeps_the_residual_as_unknown():
    out = aggregate([m("killed", "unknown", 31), m("killed", "security_forces", 4)])
    assert out["totals"]["killed"] == 31
    assert out["by_group"]["killed"] == {"security_forces": 4, "unknown": 27}


def test_a_figure_said_to_come_on_top_of_the_total_is_added_to_it():
    on_top = "In addition to the gunman, five shoppers died and 10 were hurt at the market."
    out = aggregate([{**m("killed", "militants", 1), "sentence": on_top},
                     {**m("killed", "unknown", 5), "sentence": on_top}])
    assert out["totals"]["killed"] == 6
    assert out["by_group"]["killed"] == {"militants": 1, "unknown": 5}
    # the same figures with a breakdown cue, or told in different sentences, stay contained
    including = "Five people died, including the gunman."
    out = aggregate([{**m("killed", "militants", 1), "sentence": including},
                     {**m("killed", "unknown", 5), "sentence": including}])
    assert out["totals"]["killed"] == 5
    out = aggregate([{**m("killed", "militants", 1), "sentence": "In addition, the gunman died."},
                     {**m("killed", "unknown", 5), "sentence": "Five people were killed."}])
    assert out["totals"]["killed"] == 5


def test_a_figure_marked_on_top_is_added_to_a_toll_that_would_contain_it():
    """A suicide bomber (`on_top`) is outside the victims' toll: 14 + 1, not 14 containing 1; his
    repeats count once."""
    figures = [m("killed", "unknown", 14), m("injured", "unknown", 30)]
    assert aggregate([*figures, m("killed", "militants", 1)])["totals"]["killed"] == 14
    bomber = {**m("killed", "militants", 1), "on_top": True}
    out = aggregate([*figures, bomber, bomber])
    assert out["totals"] == {"killed": 15, "injured": 30}
    assert out["by_group"]["killed"] == {"militants": 1, "unknown": 14}
    out = aggregate([m("killed", "security_forces", 2), {**m("killed", "militants", 3), "on_top": True}])
    assert out["totals"]["killed"] == 5 and out["by_group"]["killed"] == {"security_forces": 2, "militants": 3}


@pytest.mark.parametrize(("text", "expected"), [
    ("A suicide bomber set off his vest at the bus depot, killing eleven passengers.", ("A suicide bomber", 1)),
    ("At dawn three suicide bombers blew themselves up at the checkpoint; 20 guards died.", ("three", 3)),
    ("On Friday two young suicide car bombers detonated their trucks at the base gate.", ("two", 2)),
    ("Eight villagers died when a suicide bomber who had hidden in the crowd detonated a belt.",
     ("a suicide bomber", 1)),
    # the bomber's act is not said to be setting off the charge: news tolls then vary, so nothing is added
    ("A suicide bomber killed nine worshippers at the shrine.", None),
    # the text places the bomber in or beside the toll: the reading handles it
    ("A suicide bomber detonated a vest. Six people died, including the bomber.", None),
    ("A suicide bomber detonated a vest. Besides the attacker, four guards died.", None),
    # caught, fled or failed: not dead
    ("Two suicide bombers reached the gate; one detonated his belt and guards arrested the other bomber.", None),
    ("A suicide bomber detonated part of his vest and fled on foot.", None),
    # another time, a plural without a count
    ("Last year a suicide bomber detonated a truck at the same gate, killing 12.", None),
    ("Suicide bombers detonated two cars near the ministry, killing 30 people.", None),
])
def test_a_suicide_bomber_who_set_off_the_charge_is_found_unless_the_text_places_or_spares_him(text, expected):
    found = bomber_who_died(text, find_mentions(text))
    assert (found.text, found.value) == expected if expected else found is None


def test_a_mention_counts_suicide_bombers_when_the_noun_is_in_it_or_follows_it():
    text = "Two young suicide bombers and a suicide bomber's driver hit 4 buses; 9 people died by a suicide bomber."
    found = {mn.text: counts_suicide_bombers(text, mn) for mn in find_mentions(text)}
    assert found["Two"] == text.index("bombers") + len("bombers")
    assert found["9"] is None and found["4"] is None  # "9 people died by a suicide bomber": not a bomber count
    evidence = {"text": "Two", "start": 0, "end": 3}  # an evidence dict works as a mention does
    assert counts_suicide_bombers(text, evidence) == found["Two"]


@pytest.mark.parametrize(("text", "victim"), [
    ("Two gunmen on a motorbike shot and killed Karim Dost outside his shop in the old town.", "Karim Dost"),
    ("Raiders stormed the farm and killed a retired border police (BP) officer on Sunday.",
     "a retired border police (BP) officer"),
    ("Unknown men seized Mr Oduya on the ferry. Oduya, a district judge, was killed hours later.", "Oduya"),
    ("Militants ambushed the mayor's car, killing him near the market.", "him"),
    ("Rebels killed sergeant Tomas Reyes at the river crossing.", "sergeant Tomas Reyes"),
    ("Gunmen killed a Kampala University lecturer, named as Odoch, at dawn.", "a Kampala University lecturer"),
    ("A village pastor is murdered at night by unidentified men.", "A village pastor"),  # a note's present tense
    # several victims, an attempt, nobody, a place, another time: no lone victim
    ("Gunmen shot and killed the imam and his nephew after prayers.", None),
    ("Karim Dost and two guards were killed in the ambush.", None),
    ("Militants opened fire on the convoy, killing him and three escorts.", None),
    ("The group had planned to kill the governor during the parade.", None),
    ("Nobody was killed when the bomb went off near the depot.", None),
    ("Soldiers killed Mosul residents during the raid, a monitor said.", None),
    ("It was revenge for an air strike that killed Yemeni children in the north.", None),
    ("Gunmen shot and killed a teacher and an aid worker at the gate.", None),
    ("His cousin was killed by gunmen last year in the same district.", None),
    ("The ceasefire is killed off by the new offensive.", None),
])
def test_a_lone_victim_told_without_a_number_is_found(text, victim):
    span = lone_victim(text)
    assert (text[slice(*span)] if span else None) == victim


def test_a_lone_victim_whose_own_phrase_dates_it_is_no_victim_of_the_event():
    text = "Marchers filled the square, a week after his father was killed by police."
    assert lone_victim(text) is None
    assert lone_victim("Marchers filled the square after his father was killed by police.") is not None


def test_a_lone_victim_is_looked_for_only_within_the_given_lead():
    text = "Police cordoned off the square on Friday after a long standoff. " \
           "Gunmen shot and killed Karim Dost near the gate."
    assert lone_victim(text) is not None
    assert lone_victim(text, within=40) is None
    assert lone_victim("Thousands marched for hours through the capital. " * 12 + text) is None  # past the lead
    assert lone_victim("Thousands marched for hours through the capital. " * 12 + text, within=None) is not None


def test_sentence_spans_finds_what_sentence_span_finds_for_every_word():
    text = 'Gunmen struck at dawn. "Two guards died!" a witness said.\n\nLater, 5 more (all police.) were hurt? Yes'
    span = sentence_spans(text)
    starts = [k for k, c in enumerate(text) if c.isalnum() and (k == 0 or not text[k - 1].isalnum())]
    assert len(starts) > 15
    for k in starts:
        end = k + 1
        assert span(k, end) == sentence_span(text, k, end)
    assert text[slice(*span(text.index("Two"), text.index("Two") + 3))] == '"Two guards died!'


def test_smaller_unknown_figure_is_a_separate_group():
    out = aggregate([m("killed", "security_forces", 5), m("killed", "unknown", 2)])
    assert out["totals"]["killed"] == 7


def test_vague_groups_are_reported_apart_and_not_added():
    out = aggregate([m("injured", "civilians", 18), m("injured", "security_forces", None, "several")])
    assert out["totals"]["injured"] == 18
    assert out["by_group"]["injured"] == {"civilians": 18, "security_forces": "several"}


def test_vague_values_count_only_when_asked():
    ms = [m("killed", "unknown", None, "dozens", 12)]
    assert aggregate(ms)["totals"]["killed"] == 0
    assert aggregate(ms, count_vague=True)["totals"]["killed"] == 12


def test_reference_rule_on_the_seed_figures():
    ms = [m("killed", "militants", 20), m("killed", "security_forces", 7),
          m("injured", "security_forces", None, "several"), m("injured", "civilians", 18)]
    out = aggregate(ms)
    assert out["totals"] == {"killed": 27, "injured": 18}
    assert out["by_group"] == {"killed": {"militants": 20, "security_forces": 7},
                               "injured": {"security_forces": "several", "civilians": 18}}


def test_a_figure_dated_to_another_time_is_told_apart_from_the_events_own():
    s = "Two guards were killed on Friday, a day after a bomb in the capital killed 11 people."
    assert told_of_another_time(s, s.index("Two"), s.index("Two") + 3) is None
    assert told_of_another_time(s, s.index("11"), s.index("11") + 2) == "a day after"
    s = "Some 40 herders were shot dead earlier this month near the river."
    assert told_of_another_time(s, s.index("40"), s.index("40") + 2) == "earlier this month"
    war = "The insurgency left some 9,000 people dead between 1980 and 2000, a commission found."
    assert told_of_another_time(war, war.index("9,000"), war.index("9,000") + 5) == "between 1980 and 2000"
    clock = "On Friday, between 1945 and 2010, a bomb at a wedding killed 19 guests."  # hours of the day
    assert told_of_another_time(clock, clock.index("19"), clock.index("19") + 2) is None
    s = "The city was last shaken by unrest in October 2020, when looting left at least four people dead."
    assert told_of_another_time(s, s.index("four"), s.index("four") + 4) == "in October 2020"
    s = "On 3 May 2021, gunmen ambushed and killed four herders."  # the event's own date
    assert told_of_another_time(s, s.index("four"), s.index("four") + 4) is None


def test_background_figures_are_dropped_only_beside_a_figure_of_the_event():
    ms = [{**m("killed", "security_forces", 2), "another_time": None},
          {**m("killed", "unknown", 11), "another_time": "a day after"},
          {**m("injured", "unknown", 20), "another_time": "last week"}]  # the only injured figure: kept
    assert [x["count"] for x in without_background(ms)] == [2, 20]


def test_a_running_count_is_dropped_even_as_its_outcomes_only_figure():
    """"Over the past seven months, 189 were killed" tallies many events: never this one's toll."""
    s = "Over the past seven months, at least 189 people have been killed in such attacks."
    cue = told_of_another_time(s, s.index("189"), s.index("189") + 3)
    assert cue == "Over the past seven months"
    ms = [{**m("killed", "unknown", 189), "another_time": cue},
          {**m("injured", "unknown", 15), "another_time": None},
          {**m("killed", "unknown", 3), "another_time": "since 2019"}]
    assert [x["count"] for x in without_background(ms)] == [15]
    # a point in time is not a tally: alone, it may be the event's toll told from a later day
    ms = [{**m("killed", "unknown", 6), "another_time": "last week"}]
    assert [x["count"] for x in without_background(ms)] == [6]


@pytest.mark.parametrize("sentence", [
    "The village elder was murdered at his gate.", "Police found two corpses in the canal.",
    "Two guards were gunned down outside the bank.", "The governor was assassinated on Sunday.",
    "A severed head was left at the checkpoint.", "The blast fatally injured a driver.",
])
def test_words_of_death_without_kill_or_die_say_someone_died(sentence):
    assert says_someone_died_or_was_hurt(sentence)


@pytest.mark.parametrize("sentence", [
    "Nine people were arrested after the march.", "The governing body said 300 members had voted.",
    "About 2,000 people marched to the palace.",
])
def test_counts_of_people_arrested_voting_or_marching_are_not_told_as_casualties(sentence):
    assert not says_someone_died_or_was_hurt(sentence)


def _read(text, *figures):
    """Mentions of the given (quote, outcome, group, count), found in text by their quotes."""
    out, at = [], 0
    for quote, outcome, group, count in figures:
        start = text.index(quote, at)
        at = start + len(quote)
        out.append({**m(outcome, group, count), "start": start, "end": at, "text": quote})
    return out


def test_figures_listed_together_are_added_not_taken_as_repeats():
    text = "Two guards and a driver were injured by men who threw a grenade."
    ms = join_listed(text, _read(text, ("Two", "injured", "unknown", 2), ("a driver", "injured", "unknown", 1)))
    assert ms[0]["part_of"] == ms[1]["part_of"] == 0
    assert aggregate(ms)["totals"]["injured"] == 3
    text = "Eight gunmen and one guard were hurt; 8 were taken to hospital."
    ms = join_listed(text, _read(text, ("Eight", "injured", "unknown", 8), ("one guard", "injured", "unknown", 1),
                                 ("8", "injured", "unknown", 8)))
    assert aggregate(ms)["totals"]["injured"] == 9  # the list, not the later repeat of one item
    text = "The shelling killed 10 people, wounding 30 farmers, six children, and damaging homes."
    ms = join_listed(text, _read(text, ("10", "killed", "civilians", 10), ("30", "injured", "civilians", 30),
                                 ("six", "injured", "civilians", 6)))
    assert aggregate(ms)["totals"] == {"killed": 10, "injured": 36}


def test_a_part_of_a_figure_or_the_next_clause_is_not_a_list_item():
    for text, first, second in (("Raids killed at least 25 villagers, 11 of them children.", "25", "11"),
                                ("The raid killed 25 villagers, including 11 children.", "25", "11"),
                                ("The offensive has killed over 120 fighters, a commander said.", "120", "a commander"),
                                ("Police said 5 people were killed and 3 others were wounded.", "5", "3")):
        ms = join_listed(text, _read(text, (first, "killed", "unknown", 9), (second, "killed", "unknown", 1)))
        assert all(x.get("part_of") is None for x in ms), text
        assert aggregate(ms)["totals"]["killed"] == 9


def test_an_unknown_item_of_a_list_does_not_contain_the_named_items_beside_it():
    text = "Six villagers and two fighters were killed in the shelling."
    ms = _read(text, ("Six", "killed", "unknown", 6), ("two", "killed", "militants", 2))
    assert aggregate(ms)["totals"]["killed"] == 6  # read apart: 6 is taken to contain the 2
    out = aggregate(join_listed(text, ms))
    assert out["totals"]["killed"] == 8 and out["by_group"]["killed"] == {"militants": 2, "unknown": 6}


def test_items_of_one_list_take_the_outcome_its_verb_gives():
    text = "Seven soldiers died, while three guards and seven gunmen were hurt."
    ms = _read(text, ("Seven", "killed", "security_forces", 7), ("three", "killed", "security_forces", 3),
               ("seven", "injured", "militants", 7))
    agreed = agree_listed_outcomes(text, ms)
    assert [x["outcome"] for x in agreed] == ["killed", "injured", "injured"]
    assert aggregate(join_listed(text, agreed))["totals"] == {"killed": 7, "injured": 10}
    text = "A bomb went off, wounding 30 farmers, six children, and damaging homes."
    ms = _read(text, ("30", "injured", "civilians", 30), ("six", "killed", "civilians", 6))
    assert [x["outcome"] for x in agree_listed_outcomes(text, ms)] == ["injured", "injured"]


@pytest.mark.parametrize("text, quote, killed", [
    ("Troops killed 20 extremists near the bridge.", "20", True),
    ("The raid, killing at least 12 soldiers, began at dawn.", "12", True),
    ("Nine villagers were shot dead at the well.", "Nine", True),
    ("Four armed men had been executed by the rebels.", "Four", True),
    ("Troops arrested 20 extremists near the bridge.", "20", False),
    ("Nine villagers were wounded at the well.", "Nine", False),
    ("Gunmen killed a guard and held 30 hostages for hours.", "30", False),
])
def test_a_count_told_as_the_people_a_killing_took(text, quote, killed):
    start = text.index(quote)
    assert told_killed(text, start, start + len(quote)) is killed


@pytest.mark.parametrize("text, quote, incidents", [
    ("Gunmen hit two posts on Monday. Nine guards were killed across both attacks.", "Nine", 2),
    ("It was one of four related raids that night. At least 14 people were killed across the raids.", "14", 4),
    ("Rockets fell on the city. Three people were hurt across all five incidents.", "Three", 5),
    ("It was one of three coordinated attacks. Six soldiers died across the ensuing clashes.", "Six", 3),
    ("Eight villagers were wounded across this attack and one in the next valley.", "Eight", 2),
    ("Gunmen hit two posts. Nine guards were killed in this attack; 20 were hurt across both attacks.", "Nine", None),
    ("Unrest spread across the country, and 3 protesters were killed on Friday.", "3", None),
    ("Nine guards were killed across the district in attacks on Monday.", "Nine", None),
    ("Nine guards were killed across the attacks.", "Nine", None),  # how many, nowhere told
    ("Nine guards were killed across the ² attacks.", "Nine", None),  # not an ASCII count
])
def test_a_toll_told_across_several_incidents(text, quote, incidents):
    start = text.index(quote)
    found = shared_across(text, start, start + len(quote))
    assert (found[0] if found else None) == incidents
    if found:
        assert text[found[1]:found[2]].startswith("across")


def test_an_incident_share_rounds_halves_up():
    assert [share_of(total, n) for total, n in [(9, 2), (8, 2), (14, 4), (22, 5), (350, 3), (1, 3)]] == [5, 4, 4, 4, 117, 0]


@pytest.mark.parametrize("text, quote, group", [
    ("Troops killed 20 extremists near the bridge.", "20", "militants"),
    ("Five traffic police officers were hurt near the depot.", "Five", "security_forces"),
    ("At least two Malian soldiers died at the crossing.", "two", "security_forces"),
    ("Three suspected insurgents drowned in the river.", "Three", "militants"),
    ("Twelve government fighters were wounded.", "Twelve", "security_forces"),  # the side word decides
    ("Two rebel soldiers were hurt.", "Two", "militants"),
    ("Ten gang members were shot dead.", "Ten", "militants"),
    ("A police spokesman put the toll at 19.", "A police spokesman", None),  # the head noun names no group
    ("A jawan was killed in the encounter.", "A jawan", "security_forces"),  # "jawans" in the taxonomy
    ("At least 27 people were killed.", "27", None),  # no group named
    ("Seven civilian workers were wounded.", "Seven", "civilians"),
    ("Two militants and one policeman were killed.", "one policeman", "security_forces"),  # the noun in the count
    ("A rebel fighter was hurt.", "A rebel", "militants"),
    ("A gunman shot and killed a guard at the gate.", "A gunman", None),  # who attacked
    ("Twenty gunmen stormed the post at dawn.", "Twenty", None),
    ("Two soldiers killed in an ambush on Monday.", "Two", "security_forces"),  # the victims' passive
    ("Troops repelled the raid, killing six of the attackers, officials said.", "six", "militants"),  # part of them
    ("Troops repelled the raid, killing six of them.", "six", None),
])
def test_the_group_a_counts_noun_phrase_names(text, quote, group):
    from eventcoder.taxonomy import load_taxonomy

    tax = load_taxonomy("acled")
    mention = next(x for x in find_mentions(text) if x.text == quote)
    assert noun_phrase_group(text, mention.start, mention.end, mention.noun, tax.group_of_noun) == group


@pytest.mark.parametrize("text, first, second, gapped", [
    ("Six guards were shot dead, several hurt, and 9 traders injured.", "Six", "several", True),
    ("Three soldiers died and two were hurt.", "Three", "two", True),
    ("Four police officers were killed while six wounded in the blast.", "Four", "six", True),
    ("Four police officers were killed. Six were wounded.", "Four", "Six", False),  # another sentence
    ("Four police officers were killed in 2019 and six wounded.", "Four", "six", False),  # a number between
    ("Four police officers guarded 12 gates.", "Four", "12", False),
    ("A gunman was killed and three other men hurt.", "A gunman", "three", False),  # its own noun
])
def test_a_count_whose_clause_leaves_out_its_noun(text, first, second, gapped):
    a, b = text.index(first), text.index(second, text.index(first) + len(first))
    assert gapped_clause(text, a + len(first), b, b + len(second)) is gapped


@pytest.mark.parametrize("text, quote, toll", [
    ("The governor now puts the death toll at 42, including two guards.", "42", True),
    ("The death toll from the blast rose to at least 19 on Monday.", "19", True),
    ("A death toll of 9 was given by the police.", "9", True),
    ("The governor said 42 houses burned and the death toll is unknown.", "42", False),
    ("The toll of the storm was 12 roofs.", "12", False),  # no death toll
])
def test_a_count_given_as_a_death_toll(text, quote, toll):
    assert told_as_death_toll(text, text.index(quote)) is toll


@pytest.mark.parametrize("text, quote, doer", [
    ("The broadcaster was shot dead by two men on a motorcycle.", "two", True),
    ("The post was attacked by some 30 gunmen at dawn.", "30", True),
    ("Two men shot the broadcaster dead.", "Two", False),
    ("The blast killed two men near the post.", "two", False),
])
def test_a_count_after_a_passives_by_did_the_deed(text, quote, doer):
    assert told_as_doer(text, text.index(quote)) is doer


@pytest.mark.parametrize("text, quote, left_dead", [
    ("A mortar strike left four members of the militia dead and two hurt.", "four", True),
    ("The fighting in the port has left at least 17 dead since Sunday.", "17", True),
    ("The storm left 300 families homeless.", "300", False),
    ("He left 3 children, his family said; all are dead now.", "3", False),  # another clause
])
def test_a_count_told_as_the_dead_an_event_left(text, quote, left_dead):
    start = text.index(quote)
    assert told_left_dead(text, start, start + len(quote)) is left_dead


@pytest.mark.parametrize("text, quote, noun, outcome", [
    ("The bomb killed 14 people and wounded 40 others in the square.", "40", "others", "injured"),
    ("The bomb killed 14 people and wounded 40 others in the square.", "14", "people", "killed"),
    ("A gunman fired at the patrol, wounding three constables, before fleeing.", "three", "constables", "injured"),
    ("Four gunmen died and six gunmen were hurt during the night raid.", "six", "gunmen", "injured"),
    ("The commander was hurt and two of her guards were killed at the gate.", "two", None, "killed"),
    ("1 soldier killed 5 injured in blast", "5", None, "injured"),  # the verb after decides
    ("1 soldier killed 5 injured in blast", "1", "soldier", "killed"),
    ("Police said 20 people were on the bus.", "20", "people", None),
    ("The two blasts killed a total of 17 shoppers and wounded 40.", "17", "shoppers", "killed"),
    ("A rebel commander wounded in a raid last week has died, his group said.", "A rebel commander", "commander", None),
])
def test_the_outcome_a_counts_clause_tells(text, quote, noun, outcome):
    start = text.index(quote)
    assert outcome_told(text, start, start + len(quote), noun) == outcome


@pytest.mark.parametrize("text, quote, noun, fate", [
    ("Three guards were hurt and 12 protesters arrested on Sunday.", "12", "protesters", True),
    ("The raiders shot a teacher and abducted 11 pupils from the school.", "11", "pupils", True),
    ("Three soldiers were killed, two hurt and two were abducted in the ambush.", "two were", None, True),
    ("Seven guards were reported missing after the raid.", "Seven", "guards", True),
    ("Police said 40 hostages had been rescued by Monday.", "40", "hostages", True),
    ("Two hostages were freed and one was killed on the road.", "Two", "hostages", True),  # the killing is the next count's
    ("One guard was abducted and later beheaded by the gang.", "One", "guard", False),  # his fate is a killing
    ("Two of the captives were wounded and released.", "Two", None, False),
    ("The bodies of the six were evacuated by helicopter.", "six", None, False),  # the dead themselves
    ("Three soldiers were killed, two hurt and two were abducted in the ambush.", "Three", "soldiers", False),
    ("Twenty people were killed in the market.", "Twenty", "people", False),
])
def test_a_count_told_as_arrested_abducted_or_missing(text, quote, noun, fate):
    start = text.rindex(quote) if quote == "two were" else text.index(quote)
    end = start + len(quote.split()[0])
    assert told_with_another_fate(text, start, end, noun) is fate


@pytest.mark.parametrize("text, quote, total", [
    ("Five people, among them a teacher and two guards, died in the raid.", "Five", True),
    ("At least 17 people including three raiders lost their lives.", "17", True),
    ("Three people were killed, police said.", "Three", False),
    ("Three soldiers, including a captain, were killed.", "Three", False),  # a group's own count
])
def test_a_total_told_with_its_breakdown(text, quote, total):
    mention = next(x for x in find_mentions(text) if x.text == quote)
    assert total_with_breakdown(text, mention.start, mention.end, mention.noun) is total


@pytest.mark.parametrize("text, quote, noun, attacker", [
    ("About 20 rebels from the Hill Front attacked a bus, killing nine passengers.", "20", "rebels", True),
    ("Five gunmen stormed the post at dawn.", "Five", "gunmen", True),
    ("A gunman killed at least 30 people at the fair.", "A gunman", "gunman", True),
    ("Two suicide bombers opened fire, then blew themselves up.", "Two", "bombers", False),  # the deed killed them
    ("Two gunmen attacked insurgents' families in the hills.", "Two", "gunmen", True),  # "in" of no preposition
    ("Two soldiers killed at the checkpoint were buried on Monday.", "Two", "soldiers", False),
    ("Three suspected militants (HF) detonated two devices at the market.", "Three", "militants", True),
    ("Four gunmen stormed the post and were killed by the guards.", "Four", "gunmen", False),  # their deaths
    ("Two soldiers killed in an ambush near the pass.", "Two", "soldiers", False),  # the passive of victims
    ("Three gunmen were killed in the raid.", "Three", "gunmen", False),
    ("2 herders shot dead near the well by raiders", "2", "herders", False),  # a headline's passive
    ("2 guards killed 4 injured at the depot", "2", "guards", False),
    ("Mourners carried the coffin of a trader killed the night before by bandits.", "a trader", "trader", False),
])
def test_a_count_told_as_those_who_attacked(text, quote, noun, attacker):
    start = text.index(quote)
    assert told_as_attacker(text, start, start + len(quote), noun) is attacker
