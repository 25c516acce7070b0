from __future__ import annotations

import inflect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcoder.numbers import NumbersConfig, count_candidates, find_mentions

ENGLISH = inflect.engine()


def only(text: str):
    ms = find_mentions(text)
    assert len(ms) == 1, [(m.text, m.value) for m in ms]
    return ms[0]


def by_text(text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for m in find_mentions(text):
        out.setdefault(m.text, []).append(m)
    return out


@settings(max_examples=600, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_every_integer_as_digits_reads_back(n):
    for written in (str(n), f"{n:,}", f"{n:,}".replace(",", "\u202f")):
        m = only(written)
        assert m.value == n
        assert (m.start, m.end) == (0, len(written))


@settings(max_examples=600, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["and", ""]), st.booleans())
def test_every_integer_as_english_words_reads_back(n, andword, capital):
    written = ENGLISH.number_to_words(n, comma="", andword=andword)
    if capital:
        written = written[0].upper() + written[1:]
    m = only(written)
    assert m.value == n
    assert (m.start, m.end) == (0, len(written))


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_raises_and_offsets_are_valid(text):
    for m in find_mentions(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["killed", "12", "twenty-one", "-", "and", "a", "dozen", "of", "%", "$",
                                 "March", "Route", "one", "several", "hours", ",", "year", "old", "between",
                                 "soldier", "1,000", "1.5", "million", "at", "least", "\u00a0", "ninety"]),
                max_size=30))
def test_number_like_soup_never_raises(words):
    text = " ".join(words)
    for m in find_mentions(text):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(("text", "mention", "value"), [
    ("Officials said 1,200 people fled.", "1,200", 1200),
    ("A blast killed twenty-seven people.", "twenty-seven", 27),
    ("Three hundred and five families were displaced.", "Three hundred and five", 305),
    ("The attack killed a dozen villagers.", "a dozen", 12),
    ("Gunmen killed two dozen worshippers.", "two dozen", 24),
    ("Half a dozen soldiers were hurt.", "Half a dozen", 6),
    ("About 1.5 million people live there.", "1.5 million", 1_500_000),
])
def test_counts_and_values(text, mention, value):
    m = by_text(text)[mention][0]
    assert m.is_count and m.value == value


@pytest.mark.parametrize(("text", "mention", "noun"), [
    # "local" is a time word only before "time"; the noun a count names is the person after an animal
    ("On 2 May 2021, 4 local guards were shot dead at the depot.", "4", "guards"),
    ("Villagers beat 3 suspected goat thieves to death.", "3", "thieves"),
    ("Troops killed 12 bandits and two cattle rustlers near the ranch.", "two", "rustlers"),
    ("Gunmen shot 2 university professors and three of their students.", "2", "professors"),
    ("Police shot dead 5 armed robbers.", "5", "robbers"),
])
def test_counts_of_local_people_criminals_and_trades(text, mention, noun):
    m = by_text(text)[mention][0]
    assert m.is_count and m.noun == noun


def test_a_singular_criminal_is_one_person():
    ms = by_text("A bandit was shot dead and a suspected poacher was hurt.")
    assert ms["A bandit"][0].value == 1 and ms["a suspected poacher"][0].kind == "person"


def test_a_singular_tradesman_or_scholar_is_one_person():
    ms = by_text("A mechanic was hurt and a visiting professor was shot dead.")
    assert ms["A mechanic"][0].value == 1 and ms["a visiting professor"][0].kind == "person"


def test_ranges_and_qualifiers():
    ms = by_text("Between 12 and 15 militants died; 20-25 were hurt; at least 12 fled; more than 30 wept.")
    assert (ms["12 and 15"][0].value, ms["12 and 15"][0].high, ms["12 and 15"][0].kind) == (12, 15, "range")
    assert (ms["20-25"][0].value, ms["20-25"][0].high) == (20, 25)
    assert ms["12"][0].qualifier == "at least"
    assert ms["30"][0].qualifier == "more than"


def test_the_longest_qualifier_wins_and_its_words_are_no_vague_mentions():
    ms = by_text("No fewer than 5 died; no less than 12 fled; just over 40 were hurt; as many as 9 were held.")
    assert ms["5"][0].qualifier == "at least"  # not "fewer than"
    assert ms["12"][0].qualifier == "at least"
    assert ms["40"][0].qualifier == "more than"
    assert ms["9"][0].qualifier == "as many as"
    assert "many" not in ms  # the qualifier's word, not a vague count
    assert [m.text for m in find_mentions("Many died, as many as 9 were held.")] == ["Many", "9"]


def test_singular_person_phrases_count_one():
    ms = by_text("A policeman was killed and one soldier died; a police officer was hurt.")
    for phrase in ("A policeman", "one soldier", "a police officer"):
        assert ms[phrase][0].value == 1 and ms[phrase][0].is_count and ms[phrase][0].kind == "person"
    # singulars of the plural person nouns, behind up to three modifiers
    ms = by_text("A party supporter was shot dead, a devotee was hurt and an army veteran died.")
    for phrase in ("A party supporter", "a devotee", "an army veteran"):
        assert ms[phrase][0].value == 1 and ms[phrase][0].kind == "person"
    # a person noun that modifies an organisation is not a person
    assert find_mentions("Jets struck a camp of the Islamist militant group the Shabab.") == []
    assert [m.text for m in find_mentions("The Islamist militant was shot dead.")] == ["The Islamist"]


def test_vague_words_use_the_configurable_table():
    text = "Dozens were wounded and several died."
    default = by_text(text)
    assert default["Dozens"][0].kind == "vague" and default["Dozens"][0].vague == "dozens"
    assert default["several"][0].value is None and default["several"][0].is_count
    custom = NumbersConfig(vague={"dozens": 24, "several": 3})
    values = {m.text: m.value for m in find_mentions(text, custom)}
    assert values == {"Dozens": 24, "several": 3}
    assert [m.text for m in find_mentions("Many died.", NumbersConfig(vague={}))] == []


@pytest.mark.parametrize(("text", "mention", "reason"), [
    ("Ramadi was retaken in February 2016.", "2016", "date"),
    ("The city fell in 2014 after a siege.", "2014", "year"),
    ("They attacked on 3 March.", "3", "date"),
    ("A 45-year-old farmer was shot.", "45", "age"),
    ("The victim, Ahmed Ali, 23, was a student.", "23", "age"),
    ("Fighting lasted several hours.", "several", "duration"),
    ("The siege lasted three days.", "three", "duration"),
    ("It was the third attack this month.", "third", "ordinal"),
    ("Troops of the 12th Brigade were sent north.", "12th", "ordinal"),
    ("It was the 3RD attack this month.", "3RD", "ordinal"),
    ("The town fell on the 4th of July.", "4th", "date"),
    ("Syria Daily Report 09/03/2016", "09/03/2016", "date"),
    ("On 2016-03-09 gunmen killed four guards.", "2016-03-09", "date"),
    ("Two were shot on 9.3.2016 near the port.", "9.3.2016", "date"),
    ("Patrols now run 24/7 on the border road.", "24/7", "ratio"),
    ("Turnout fell 12% on the day.", "12", "percent"),
    ("Turnout fell 12 per cent on the day.", "12", "percent"),
    ("The state paid $5 million in damages.", "5 million", "money"),
    ("They retook the Kilometre Seven district.", "Seven", "place"),
    ("Fighting near Checkpoint 9 and Route 66.", "9", "place"),
    ("Militants seized three areas near the city.", "three", "thing"),
    ("Forces destroyed five IS hideouts and killed 7 militants.", "five", "thing"),
    ("Soldiers seized 12 trucks.", "12", "thing"),
    ("Poachers shot three elephants near the park.", "three", "thing"),
    ("The bomb went off at 10:30 in the morning.", "10", "time"),
    ("The bomb went off at 7 local time.", "7", "time"),
    ("The convoy stopped 3 km from the border.", "3", "measure"),
    ("Two civilians were killed in Cima (coded at geoprecision 2).", "2", "code"),
    ("Three were killed. [Geo-precision 2 as coordinates are for the district].", "2", "code"),
    ("One was shot dead (geo-precision two).", "two", "code"),
    ("A rebel said insurgents had taken ground.", "A rebel", "speaker"),
    ("The rebel fighter said 40 soldiers had been killed.", "The rebel", "speaker"),
    ("One general, speaking to AFP, said 20 died.", "One general", "speaker"),
    ("A soldier, who spoke on condition of anonymity, saw the blast.", "A soldier", "speaker"),
])
def test_non_counts_are_marked_with_a_reason(text, mention, reason):
    m = by_text(text)[mention][0]
    assert not m.is_count
    assert m.reason == reason


def test_count_candidates_keep_only_counts():
    text = "In 2019, 14 soldiers were killed in three villages."
    assert [m.text for m in count_candidates(text)] == ["14"]
    assert [m.text for m in count_candidates("On 12/05/2019 gunmen killed 4 of the 12-15 guards.")] == ["4", "12-15"]


def test_reference_article_candidates(seed_case):
    """The seed: 20, 7, 18 and one "several" are counts; the traps are marked as non-counts."""
    text = seed_case.text
    ms = find_mentions(text)
    counts = [m for m in ms if m.is_count]
    assert {20, 7, 18} <= {m.value for m in counts}
    several = [m for m in ms if m.vague == "several"]
    assert len(several) == 2
    assert sorted(m.reason or "count" for m in several) == ["count", "duration"]
    assert next(m for m in several if m.reason == "duration").noun == "hours"
    non = {(text[max(0, m.start - 12):m.end].split()[-2:][0] if m.reason == "place" else m.text): m.reason
           for m in ms if not m.is_count}
    assert non.get("2016") in ("date", "year")
    assert text[text.index("February 2016"):].startswith("February 2016")
    assert any(m.reason == "place" and text[m.start - 10:m.end] == "Kilometre Seven" for m in ms)
    assert [m.reason for m in ms if m.text == "three" and text[m.end:m.end + 6] == " areas"] == ["thing", "thing"]


def test_demonyms_possessives_and_datelines():
    ms = by_text("A Palestinian tried to stab a guard and killed his bodyguard. The Iraqi troops advanced.")
    assert ms["A Palestinian"][0].value == 1 and ms["his bodyguard"][0].is_count
    assert "The Iraqi" not in ms
    dateline = by_text("MARDIN, Turkey Two police officers were killed.")
    assert dateline["Two"][0].is_count  # a dateline before a count is not a place name


def test_very_long_digit_runs_are_not_counts():
    m = only("1" * 5000)
    assert not m.is_count and m.value is None and m.reason == "not a number"
