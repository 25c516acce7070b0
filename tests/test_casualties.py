from __future__ import annotations

from eventcoder.casualties import (
    RUNNING_COUNT,
    aggregate,
    sentence_span,
    sentence_spans,
    told_of_another_time,
)


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


def test_sentence_spans_finds_what_sentence_span_finds_for_every_word():
    text = 'Gunmen struck at dawn. "Two guards died!" a witness said.\n\nLater, 5 more (all police.) were hurt? Yes'
    span = sentence_spans(text)
    starts = [k for k, c in enumerate(text) if c.isalnum() and (k == 0 or not text[k - 1].isalnum())]
    assert len(starts) > 15
    for k in starts:
        end = k + 1
        assert span(k, end) == sentence_span(text, k, end)
    assert text[slice(*span(text.index("Two"), text.index("Two") + 3))] == '"Two guards died!'


def test_a_text_without_full_stops_is_read_a_reach_either_side_of_a_figure():
    """Scraped copy that lost its full stops is not one sentence: a time word far before a figure
    ("last year" three sentences back) no longer dates it, while an ordinary sentence is whole."""
    from eventcoder.casualties import SENTENCE_REACH

    filler = " ".join(["the ministry said the talks would go on"] * 12)
    text = f"Last year the war killed 400 people {filler} On Sunday gunmen killed 12 villagers in Kauru {filler}"
    k = text.index("12")
    span = sentence_spans(text)
    left, right = span(k, k + 2)
    assert (left, right) == sentence_span(text, k, k + 2)
    assert k - left <= SENTENCE_REACH and right - (k + 2) <= SENTENCE_REACH
    assert text[left - 1] == " " and text[right] == " "  # cut on word boundaries
    assert told_of_another_time(text[left:right], k - left, k + 2 - left) is None
    assert told_of_another_time(text, k, k + 2) == "Last year"  # what reading it whole did
    ordinary = "Gunmen killed 12 villagers in Kauru on Sunday. Last year the war killed 400."
    assert sentence_span(ordinary, 14, 16) == (0, ordinary.index(".") + 1)


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


def test_a_running_count_is_told_apart_from_a_point_in_time():
    """"Over the past seven months, 189 were killed" tallies many events; "last week" dates one (the
    learned toll step reads both cues, `toll.candidates`)."""
    s = "Over the past seven months, at least 189 people have been killed in such attacks."
    cue = told_of_another_time(s, s.index("189"), s.index("189") + 3)
    assert cue == "Over the past seven months" and RUNNING_COUNT.fullmatch(cue)
    assert RUNNING_COUNT.fullmatch("since 2019") and not RUNNING_COUNT.fullmatch("last week")


def _read(text, *figures):
    """Mentions of the given (quote, outcome, group, count), found in text by their quotes."""
    out, at = [], 0
    for quote, outcome, group, count in figures:
        start = text.index(quote, at)
        at = start + len(quote)
        out.append({**m(outcome, group, count), "start": start, "end": at, "text": quote})
    return out


