"""The codebook cues the Predictor uses to settle an event type (`eventcoder.event_cues`)."""
import pytest

from eventcoder.event_cues import territory_taken


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
])
def test_arrests_handovers_and_marches_are_not(text):
    assert territory_taken(text) is None
