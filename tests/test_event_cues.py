"""The codebook cues the Predictor uses to settle an event type (`eventcoder.event_cues`)."""
import pytest

from eventcoder.event_cues import (
    abduction_told,
    accident_told,
    base_established,
    calm_protest,
    chemical_weapon_named,
    device_named,
    diplomacy_told,
    ground_changed_hands,
    group_activity,
    territory_taken,
    weapons_disrupted,
)


@pytest.mark.parametrize("text", [
    "Government troops retook the river port on Sunday.",
    "Rebels recaptured two villages after a night of fighting.",
    "The militia said it had seized control of the airport.",
    "Forces liberated the district centre from the insurgents.",
    "The army regained the ridge it lost in March.",
    "Fighters wrested control of the border post from the guards.",
])
def test_retaking_or_seizing_ground_is_a_cue(text):
    start, end = territory_taken(text)
    assert text[start:end].split()[0] in {"retook", "recaptured", "seized", "liberated", "regained", "wrested"}


@pytest.mark.parametrize("text", [
    "Police arrested four suspects and took them to the capital.",
    "The new council will take office in the town next week.",
    "Leaders of the two parties signed a ceasefire agreement.",
    "Protesters took to the streets of the old quarter.",
    "The government kept control of the ministry budget.",
    "Officers arrived to help the police take back control from the gangs.",
    "The offensive aims at retaking the city by the end of the year.",
    "Rebels took control of the district after elders negotiated the surrender of its centre.",
    "The militia seized control of the town unopposed after the garrison left.",
    "Insurgents took control of the mining town a day after the army withdrew. No fighting was reported.",
])
def test_arrests_handovers_marches_and_takeovers_without_a_fight_are_not(text):
    assert territory_taken(text) is None


@pytest.mark.parametrize("headline, word", [
    ("Two soldiers killed by landmine near the border", "landmine"),
    ("IED attack kills four officers on the coast road", "IED"),
    ("Drone strike on market town kills 12", "Drone strike"),
    ("Roadside bomb hits army convoy in the hills", "Roadside bomb"),
    ("Shelling of the river port wounds nine", "Shelling"),
])
def test_a_headline_naming_an_explosive_or_remote_weapon_is_a_cue(headline, word):
    start, end = device_named(headline)
    assert headline[start:end] == word


@pytest.mark.parametrize("headline", [
    "Gunmen storm gold mine, kill five guards",
    "Police seize explosives in dawn raid on warehouse",
    "Troops and rebels clash for a second day near the pass",
    "Shell company linked to militia funding, court hears",
    None,
])
def test_mines_explosives_seized_and_fighting_are_not(headline):
    assert device_named(headline) is None


@pytest.mark.parametrize("text", [
    "Marchers demand answers over police shooting\n\nHundreds marched through Corvel on Sunday, chanting and "
    "holding signs, a day after officers shot a delivery driver.",
    "Police fire tear gas at students\n\nRiot police fired tear gas and rubber bullets to disperse a rally of "
    "students outside the ministry on Monday.",
])
def test_a_protest_without_the_crowds_own_violence_is_a_cue(text):
    start, end = calm_protest(text)
    assert text[start:end].lower().startswith(("march", "rall", "protest", "demonstrat"))


@pytest.mark.parametrize("text", [
    "Rioters torch shops in Corvel\n\nProtesters set fire to shops and threw stones at police on Sunday.",
    "Violent protests leave 12 hurt\n\nProtests against the dam spread to three towns on Monday.",
    "Protesters clash with police\n\nDemonstrators clashed with officers near the ministry on Monday.",
    "Hundreds marched through Corvel on Sunday, chanting and holding signs.",  # no headline: a note or snippet
    "Police raid market\n\nOfficers searched stalls in the old market on Monday.",  # no protest
    "Police raid market\n\nOfficers searched stalls in the old market on 3 March.",  # the month is no march
])
def test_crowd_violence_notes_and_texts_without_a_protest_are_not(text):
    assert calm_protest(text) is None


@pytest.mark.parametrize("text, first", [
    ("Customs officers seized 40 rifles and 3,000 rounds at the northern crossing on Friday.", "seized"),
    ("Troops uncovered a cache of grenades and mortar shells in a farmhouse near the pass.", "uncovered"),
    ("Two explosive devices were discovered in a canal beside the ring road.", "explosive devices"),
    ("Police said they had intercepted parcels containing detonators bound for the capital.", "intercepted"),
])
def test_weapons_seized_found_or_intercepted_without_harm_are_a_cue(text, first):
    start, end = weapons_disrupted(text)
    assert text[start:end].startswith(first)


@pytest.mark.parametrize("text", [
    "Troops seized 40 rifles after a gunfight that killed two smugglers at the crossing.",
    "A second bomb was defused after the first exploded in the market, wounding nine.",
    "Jets destroyed an arms depot of the militia in the hills on Sunday.",
    "Rebels seized the hill town on Friday.",  # ground, not weapons
    "Police seized two tonnes of cannabis in a raid on a warehouse.",  # no weapons
    "A bomb found outside the bus depot in Orvale was defused by army engineers.",  # GTD: a bombing that failed
    "The army found the bodies of six villagers near the weapons store.",  # harm
])
def test_seizures_beside_harm_fighting_or_strikes_and_seizures_of_other_things_are_not(text):
    assert weapons_disrupted(text) is None


# the cues that need the absence of harm, fight or attack: (finder, text, the cue's first words), in our own words
CUES_WITHOUT_A_FIGHT = [
    (base_established, "Army units set up a new observation post on the ridge above Velmora on Thursday.", "set up"),
    (base_established, "The coalition has established a military base near the oil fields east of the river.", "established"),
    (base_established, "Police erected checkpoints on every road into the old town.", "erected"),
    (accident_told, "A boiler exploded at a dye works in Orvale on Monday, killing three workers.", "boiler"),
    (accident_told, "Four people were hurt when a gas cylinder blew up in a restaurant kitchen.", "gas cylinder"),
    (accident_told, "Twelve passengers died when a bus and a lorry collided on the coast road.", "collided"),
    (accident_told, "A chemical spill at the port sent 40 dock workers to hospital.", "chemical spill"),
    (ground_changed_hands, "The militia handed the border crossing over to army units on Tuesday.", "handed"),
    (ground_changed_hands, "Government troops withdrew from the river town overnight, residents said.", "withdrew"),
    (ground_changed_hands, "Peacekeepers deployed to the buffer zone after the ceasefire took hold.", "deployed"),
    (group_activity, "About 300 militiamen defected to the government side near Orvale, an official said.", "defected"),
    (group_activity, "The army reinforced its positions along the ridge with tanks and two battalions.", "reinforced"),
    (group_activity, "The navy held joint drills off the coast on Friday.", "joint drills"),
]
NOT_THOSE_CUES = [
    (base_established, "Militants attacked a checkpoint the army had set up on the ridge, killing two guards."),
    (base_established, "Gunmen opened fire on the base at dawn."),
    (base_established, "Aid agencies set up relief camps for the families who fled the floods."),  # no side's base
    (base_established, "Troops moved closer to the border on Thursday."),
    (accident_told, "A suicide bomber blew himself up at a fuel depot, killing three workers."),
    (accident_told, "Militants shelled the gas plant, setting a storage tank ablaze."),
    (accident_told, "A roadside bomb struck a bus on the coast road, killing twelve passengers."),
    (accident_told, "Troops exchanged fire with smugglers near the crash site."),
    (accident_told, "Two houses burned down in the night; firefighters found no one inside."),  # no accident word
    (accident_told, "Rebels captured the pilot of a warplane that crashed near the border."),
    (ground_changed_hands, "Troops withdrew from the river town after two days of fighting that killed nine."),
    (ground_changed_hands, "Rebels entered the town and clashed with the police."),
    (ground_changed_hands, "Government troops shelled the hills above the town on Tuesday."),  # no handover
    (group_activity, "Soldiers who defected were killed in an ambush near the ridge."),
    (group_activity, "Reinforcements arrived after rebels attacked the garrison."),
]


@pytest.mark.parametrize("finder, text, word", CUES_WITHOUT_A_FIGHT)
def test_a_base_an_accident_a_handover_or_a_defection_told_alone_is_a_cue(finder, text, word):
    """A base set up, an accident, ground handed over, defections or drills: each finds its words."""
    start, end = finder(text)
    assert text[start:end].startswith(word)


@pytest.mark.parametrize("finder, text", NOT_THOSE_CUES)
def test_the_same_beside_harm_a_fight_or_an_attack_or_without_their_words_are_not(finder, text):
    assert finder(text) is None


@pytest.mark.parametrize("text, named", [
    ("Medics said a chlorine attack on the suburb left dozens choking.", "chlorine attack"),
    ("Inspectors found traces of sarin at the site.", "sarin"),
    ("The government denied using chemical weapons in the valley.", "chemical weapons"),
    ("Chemical weapons", "Chemical weapons"),
])
def test_a_chemical_weapon_named_is_a_cue(text, named):
    start, end = chemical_weapon_named(text)
    assert text[start:end] == named


@pytest.mark.parametrize("text", [
    "A chemical spill at the port sent 40 dock workers to hospital.",
    "The plant stores chlorine for the city's water supply.",
])
def test_chemicals_that_are_no_weapon_are_not(text):
    assert chemical_weapon_named(text) is None


@pytest.mark.parametrize("text, told", [
    ("Gunmen abducted 12 farmers from their fields near the river on Tuesday.", "abducted"),
    ("Two aid workers were kidnapped on the road to the camp.", "kidnapped"),
    ("The militia took three engineers hostage at the dam.", "took three engineers hostage"),
    ("Families say their sons were victims of enforced disappearances.", "enforced disappearances"),
    ("Police are hunting the kidnappers of a local trader.", "kidnappers"),
])
def test_a_kidnapping_an_abduction_or_hostages_taken_are_a_cue(text, told):
    start, end = abduction_told(text)
    assert text[start:end] == told


@pytest.mark.parametrize("text", [
    "Police arrested 12 farmers accused of blocking the road.",
    "Security forces detained two journalists at the border post.",
    "The suspects were taken into custody after the raid.",
    "Two aid workers kidnapped in May were freed on Sunday.",
    "Troops rescued 30 hostages held by the gang since March.",
    "Talks on the abducted engineers resumed in the capital.",
])
def test_arrests_detentions_and_captives_freed_or_bargained_over_are_not(text):
    assert abduction_told(text) is None


@pytest.mark.parametrize("text, told", [
    ("The foreign ministry summoned the ambassador over the border remarks.", "foreign ministry"),
    ("The bloc agreed new sanctions on the country's oil exports.", "sanctions"),
    ("Leaders of the two states met at a summit on the lake on Friday.", "summit"),
    ("The council condemned the decision to close the consulate.", "condemned"),
])
def test_a_diplomatic_act_without_force_or_harm_is_a_cue(text, told):
    start, end = diplomacy_told(text)
    assert text[start:end] == told


@pytest.mark.parametrize("text", [
    "The ministry condemned the attack that killed four soldiers.",
    "Envoys of the government and the rebels signed a ceasefire.",
    "The embassy said police had arrested two of its staff.",
    "Protesters gathered outside the embassy on Monday.",
    "The ruling party won a majority in the regional vote.",
])
def test_diplomacy_beside_force_harm_a_truce_or_a_crowd_or_no_diplomacy_are_not(text):
    assert diplomacy_told(text) is None
