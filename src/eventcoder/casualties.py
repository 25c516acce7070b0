"""The article-level rule: from labelled number mentions to killed/injured totals by group.

One function, `aggregate`, used for gold labels, for predictions, in reports and by the server:

1. Repeats and updates: for each (outcome, group) the figure is the highest count among its
   mentions. A figure repeated in headline and body counts once; an updated toll ("rose to 14")
   replaces the earlier one, since news tolls are revised upward (the headline often carries the
   latest figure before the body's earlier one, so text order is not used). Figures listed
   together ("eight gunmen and one guard were hurt") are items, not repeats: the items of a group
   are added first (`join_listed` marks them).
2. Totals containing their breakdown: an `unknown`-group figure at least as large as the sum of the
   named groups contains them ("27 people, including 20 militants and 7 soldiers" → 27, not 54);
   a smaller one is a separate group and is added. Unless it is an item of a list that also names
   those groups ("six villagers and two fighters were killed", the six read as unknown: 8), or the
   sentence that gives the total also names the group figure as coming on top of it ("In addition
   to the gunman, four shoppers died" → 5; GTD and ACLED count attackers who die): mentions
   carrying their `sentence` let the rule see that cue.
3. Figures marked `on_top` (a suicide bomber who set off the charge died in it, `bomber_who_died`)
   are outside the victims' toll that news reports give, and are added to it: the predictor marks
   them only where the text does not say where the bomber stands ("including the bomber").
4. Vague mentions ("several", "dozens") never add to totals by default: a group known only
   vaguely is reported with its word. With `count_vague=True` the vague table's value is used
   (ACLED's conservative practice) when a group has no number.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from eventcoder.numbers import STOP_WORDS, TEENS, UNITS, parse_digits

KILLED_WORDS = re.compile(r"\b(kill\w*|dead|died|dies|death\w*|slain|lives|bodies|corpses?|shot dead|"
                          r"gunned down|massacre\w*|murder\w*|assassinat\w*|executed|beheaded|decapitated|"
                          r"severed head|lynched|fatal\w*|perish\w*)\b", re.I)
INJURED_WORDS = re.compile(r"\b(injur\w*|wound\w*|hurt|hospitali[sz]ed|casualt\w*)\b", re.I)
TOLL_WORDS = re.compile(r"\b(toll|victims?)\b", re.I)
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_SPAN = r"(day|days|week|weeks|weekend|month|months|year|years)"
# the time words of a running count ("over the past six months", "since 2015"): a tally of many
# events, never the reported one's toll, even where the article gives no other figure of its outcome
# "69,000 dead between 1980 and 2000"; not the clock times of a day ("On Friday, between 1945 and 2010")
_BETWEEN_YEARS = r"(?<!day, )(?<!day )(between|from) (19|20)\d\d (and|to|until) (19|20)\d\d(?! hours| hrs)"
_RUNNING = [r"(over|in|during) the (last|past|previous) (\w+ )?(weeks?|months?|years?)",
            r"since (19|20)\d\d", rf"since {_MONTH}", _BETWEEN_YEARS]
RUNNING_COUNT = re.compile("(" + "|".join(_RUNNING) + ")", re.I)
# time words that date what follows them in a sentence to another time than the reported event
# ("a day after a bomb killed 11", "over the past six months, ... 140", "in October 2020, when ...
# four people dead"); a date with its day ("On 3 May 2021") is the event's own and is left alone
ANOTHER_TIME_BEFORE = re.compile(r"\b(" + "|".join([
    rf"(a|an|one|two|three|four|five|six|several|a few|few) {_SPAN} (after|ago)",
    r"(comes|came|come) after",
    rf"last {_SPAN}", rf"last {_WEEKDAY}", rf"last {_MONTH}",
    rf"earlier (this|that|in the) {_SPAN}",
    r"(this|last|previous) year",
    *_RUNNING,
    rf"(in|the|since|during|of) {_MONTH},? (19|20)\d\d", r"in (19|20)\d\d",
    rf"in {_MONTH}\b(?! \d)",
]) + r")\b", re.I)
# the same after the figure, up to the end of its clause ("40 were shot dead earlier this month")
ANOTHER_TIME_AFTER = re.compile(r"\b(" + "|".join([
    rf"earlier (this|that|in the) {_SPAN}", rf"last {_SPAN}", rf"last {_WEEKDAY}", rf"{_SPAN} ago",
    r"(this|last|previous) year",
    _BETWEEN_YEARS,
]) + r")\b", re.I)
# "a suicide bomber", "Three suicide bombers", "two female suicide bombers": a count mention, then up
# to three words that describe it (not a preposition or verb), then the noun
SUICIDE_BOMBER = re.compile(r"(?:\s+(?!(?:by|in|at|of|on|from|with|and|or|to|were|was|who|that|as|after|for|"
                            r"killed|said)\b)[A-Za-z'-]+){0,3}?\s+suicide[- ](?:(?:car|truck|vehicle|motorcycle|"
                            r"motorbike)[- ])?bombers?\b", re.I)
SET_OFF = re.compile(r"\b(detonat\w*|self-detonat\w*|blew (himself|herself|themselves) up|"
                     r"blown (himself|herself|themselves) up|set off|exploded)\b", re.I)
# the text says where the bomber stands in a toll: the model's reading and the on-top cue handle it
BOMBER_PLACED = re.compile(r"\b(including|in addition to|besides|apart from|aside from|excluding|not including|"
                           r"on top of|along with)\s+(?:[\w-]+\s+){0,3}?(bombers?|assailants?|attackers?|"
                           r"perpetrators?|gunm[ae]n)\b", re.I)
ATTACKER_WORDS = re.compile(r"\b(bombers?|assailants?|attackers?|perpetrators?)\b", re.I)
# a bomber caught, fled or whose charge failed: said in a sentence that names a bomber or attacker
BOMBER_SURVIVED = re.compile(r"\b(arrest\w*|captured|detained|apprehended|caught|fled|escaped|survived|fail\w*|"
                             r"partially|before (he|she|they) could|defused|foiled|thwarted|intercepted|"
                             r"overpowered)\b", re.I)
# one victim a toll gives no number for: "Assailants shot and killed Hazrat Gul", "killed the British
# pilot", "Shah, a former commander, was killed" (GTD counts them; a numberless sentence is no mention)
_KILLED_ONE = (r"shot and killed|shot dead|stabbed to death|hacked to death|beaten to death|killed|murdered|"
               r"assassinated|beheaded|executed|lynched")
_NAME = r"(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|al-[A-Z][a-z'’-]+|bin|ibn|al|el|de|van|von)){0,4}"
_NOT_A_NAME = r"(?!(?:No|Nobody|None|Noone|Everyone|Everybody|Someone|Somebody|It|This|That|These|Those|Which|Who|" \
              r"There|They|We|I|Police|Officials|Authorities|Sources|Residents|Witnesses)\b)"


def _victim_phrases() -> tuple[re.Pattern, re.Pattern]:
    """The active ("killed <victim>") and passive ("<victim> was killed") patterns of a lone victim."""
    from eventcoder.numbers import PERSON_NOUNS_PLURAL, PERSON_NOUNS_SINGULAR

    person = "|".join(sorted(PERSON_NOUNS_SINGULAR, key=len, reverse=True))
    people = "|".join(sorted(PERSON_NOUNS_PLURAL, key=len, reverse=True))
    # "an Afghan Local Police (ALP) officer", not "a nurse and an army veteran"
    phrase = rf"(?:a|an|the|A|An|The)\s+(?:(?!(?:and|or)\b)[\w()'’-]+\s+){{0,6}}?(?:{person})\b(?!['’]s)"
    named = rf"{_NOT_A_NAME}(?:(?:{person})\s+)?{_NAME}\b"
    lone = r"(?!\s*(?:,\s*)?(?:and|&)\s+(?:(?:his|her|their|a|an|two|three|four|five)\b|\d|[A-Z]))"  # not "X and his son"
    active = re.compile(rf"(?<!\bto )(?<!\bto be )\b(?:{_KILLED_ONE}|killing)\s+(?P<victim>him\b|her\b|{phrase}|{named})"
                        rf"{lone}(?!\s+(?:[a-z]+s|{people})\b)")  # not "killed Muslim children"
    passive = re.compile(rf"(?P<victim>\b(?:He|She)\b|{phrase}|\b{named})(?:\s*,[^,.;]{{1,100}},)?\s+(?:was|is|had been|has been)"
                         rf"\s+(?:later\s+|subsequently\s+|reportedly\s+)?(?:\w+\s+and\s+)?(?:{_KILLED_ONE}|found dead)\b")
    return active, passive


_ACTIVE_VICTIM, _PASSIVE_VICTIM = _victim_phrases()
ON_TOP_WORDS = re.compile(r"\b(in addition to|besides|apart from|aside from|not including|excluding|on top of)\b", re.I)


SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+|\n+")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the sentence (or line) holding text[start:end]."""
    left = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = SENTENCE_END.search(text, end)
    return left, m.start() if m else len(text)


def sentence_spans(text: str) -> Any:
    """`sentence_span` for many spans of one text: the sentence ends are found once (a long text
    with thousands of figures would rescan its start for each), then each start is a bisection."""
    from bisect import bisect_right

    ends = [m.end() for m in SENTENCE_END.finditer(text)]

    def span(start: int, end: int) -> tuple[int, int]:  # for spans that start on a word, as mentions do
        k = bisect_right(ends, start)  # the breaks ending at or before start
        m = SENTENCE_END.search(text, end)
        return ends[k - 1] if k else 0, m.start() if m else len(text)
    return span


def says_someone_died_or_was_hurt(sentence: str) -> bool:
    """Whether a sentence has a word of death, injury or a toll: a casualty figure is told in one
    ("Nine people were arrested", "two armed men clashed" hold counts of people, not of victims)."""
    return any(rx.search(sentence) for rx in (KILLED_WORDS, INJURED_WORDS, TOLL_WORDS))


# a count told as the object or subject of a killing in its own clause: "troops killed 20 extremists",
# "killing at least 12 soldiers", "9 villagers were shot dead"
# the qualifiers a count may carry between the words before it and itself ("killed at least 20")
_QUALIFIED = r"((at least|some|about|around|nearly|almost|more than|over|up to|a total of|a total)\s+)?"
KILLING_BEFORE = re.compile(r"\b(killed|killing|kills|shot dead|gunned down|massacred|executed)\s+" + _QUALIFIED + "$",
                            re.I)
KILLED_AFTER = re.compile(r"^(\s+[\w'-]+){1,4}?\s+(were|was|have been|had been|are)\s+(all\s+)?"
                          r"(killed|shot dead|gunned down|slain|massacred|executed)\b", re.I)


# a count told as what an event left dead: "a mortar strike left four members of the militia dead",
# "the fighting has left 17 dead"
LEFT_BEFORE = re.compile(r"\bleft\s+" + _QUALIFIED + "$", re.I)
DEAD_AFTER = re.compile(r"^[^.;:,!?\d]{0,50}?\bdead\b", re.I)


def told_left_dead(text: str, start: int, end: int) -> bool:
    """Whether the count at text[start:end] is told as the dead an event left ("a mortar strike left
    four members of the militia dead"). A reading of the words alone, for counts the model reads as O."""
    return LEFT_BEFORE.search(text[max(0, start - 30):start]) is not None \
        and DEAD_AFTER.match(text[end:end + 60]) is not None


# a count given as a death toll: "puts the death toll at 42", "the toll rose to 14", "a death toll of 9"
TOLL_BEFORE = re.compile(r"\b(?:death toll|toll of (?:the )?dead|number of (?:the )?dead)\b[^.;:!?\d]{0,30}?"
                         r"\b(?:at|to|of|reached|hit|is|was)\s+" + _QUALIFIED + "$", re.I)


def told_as_death_toll(text: str, start: int) -> bool:
    """Whether the count at `start` is given as a death toll ("puts the death toll at 42"): a
    reading of the words alone, for counts the model reads as O."""
    return TOLL_BEFORE.search(text[max(0, start - 60):start]) is not None


# a count named after a passive's "by" is who did it: "shot dead by two men", "attacked by some 30 gunmen"
BY_BEFORE = re.compile(r"\bby\s+((at least|some|about|around|nearly|almost|more than|over|up to|as many as)\s+)?$", re.I)


def told_as_doer(text: str, start: int) -> bool:
    """Whether the count at `start` follows a passive's "by" ("shot dead by two men"): the people it
    counts did the deed, they are no victims of it."""
    return BY_BEFORE.search(text[max(0, start - 30):start]) is not None


# the outcome a count's own clause tells: by the verb after its noun phrase ("two of her guards were
# killed", "six gunmen were hurt", "5 injured"), else by the verb right before it ("killing 14
# people and wounding 40 others")
_HOW = r"(?:(?:all|also|later|reportedly|critically|seriously|slightly|badly|fatally|mortally)\s+)*"
OUTCOME_AFTER = re.compile(r"^[\s,]*(?:(?:were|was|are|is|have been|had been|has been)\s+)?" + _HOW +
                           r"(?P<verb>killed|shot dead|dead|died|slain|injured|wounded|hurt)\b", re.I)
OUTCOME_BEFORE = re.compile(r"\b(?P<verb>killed|killing|kills|wounding|injuring|wounded|injured|wounds|injures)\s+"
                            + _HOW + _QUALIFIED + r"(?:another\s+|other\s+)?$", re.I)


# the wounded who died of it later in the sentence: "a commander hurt in an air strike has since died"
DIED_LATER = re.compile(r"\b(?:has|have|had|later|since)\s+died\b|\bdied (?:of|from)\b|\bsuccumbed\b", re.I)


def outcome_told(text: str, start: int, end: int, noun: str | None) -> str | None:
    """"killed" or "injured" where the clause of the count at text[start:end] tells which (the verb
    after its noun phrase decides over the one before it: "1 policeman killed 5 injured"), else None;
    None too for the wounded its sentence says died ("a commander hurt in an air strike has since died")."""
    partitive = None if noun else _partitive(text, end)  # "two of her guards were killed"
    noun_end = (_noun_end(text, start, end, noun) if noun else partitive[1] if partitive else None) or end
    told = OUTCOME_AFTER.match(text[noun_end:noun_end + 60]) or OUTCOME_BEFORE.search(text[max(0, start - 50):start])
    if told is None:
        return None
    if not INJURED_WORDS.fullmatch(told.group("verb")):
        return "killed"
    sentence_end = SENTENCE_END.search(text, end)
    return None if DIED_LATER.search(text, end, sentence_end.start() if sentence_end else len(text)) else "injured"


# a count told with a fate that is no casualty: arrested, abducted, missing, freed ("nine people
# arrested", "abducted at least 12 girls", "30 hostages were rescued", "two were reported missing")
_FATES = (r"arrested|detained|abducted|kidnapped|taken hostage|held hostage|taken captive|captured|missing|"
          r"rescued|freed|released|evacuated|displaced|deported|charged|sentenced|convicted|jailed")
FATE_AFTER = re.compile(r"^[\s,]*(?:(?:were|was|are|is|have been|had been|has been|being)\s+)?"
                        r"(?:(?:also|later|reportedly|reported|all|still|then|being)\s+)*(?:" + _FATES + r")\b", re.I)
FATE_BEFORE = re.compile(r"\b(?:arrested|arresting|detained|detaining|abducted|abducting|kidnapped|kidnapping|"
                         r"captured|capturing|rescued|rescuing|freed|freeing|released|releasing|evacuated|"
                         r"evacuating|deported|jailed)\s+" + _QUALIFIED + r"(?:another\s+|other\s+)?$", re.I)
# ... unless the count is of the dead or hurt themselves ("the bodies of the six were evacuated")
OF_THE_DEAD = re.compile(r"\b(?:bodies|corpses|remains|dead|wounded|injured|victims)\s+(?:of\s+)?(?:the\s+|these\s+|those\s+)?$",
                         re.I)
# where the clause that tells the fate goes on: to its end, or to the next count ("Two hostages were
# released and one was killed": the killing is the next count's)
_CLAUSE_GOES_ON = re.compile(r"[.;:!?,]|\b(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|another)\b", re.I)


def told_with_another_fate(text: str, start: int, end: int, noun: str | None) -> bool:
    """Whether the count at text[start:end] is told as arrested, abducted, missing or freed, by the
    verb after its noun phrase ("12 protesters arrested", "two were abducted") or before it ("abducted
    at least 12 girls"), and its clause tells no killing or wounding of them ("abducted and later
    killed" is a killing; "the bodies of the six were evacuated" counts the dead): people with such a
    fate are no casualty figure."""
    if OF_THE_DEAD.search(text[max(0, start - 30):start]):
        return False
    noun_end = (_noun_end(text, start, end, noun) if noun else None) or end
    after = FATE_AFTER.match(text[noun_end:noun_end + 80])
    if after is not None:
        rest_from = noun_end + after.end()
    elif FATE_BEFORE.search(text[max(0, start - 40):start]) is not None:
        rest_from = noun_end
    else:
        return False
    rest = text[rest_from:rest_from + 120]
    goes_on = _CLAUSE_GOES_ON.search(rest)
    rest = rest[:goes_on.start()] if goes_on else rest
    return not (KILLED_WORDS.search(rest) or INJURED_WORDS.search(rest))


def told_killed(text: str, start: int, end: int) -> bool:
    """Whether the count at text[start:end] is told as the people a killing took, in its own clause:
    right after a killing verb ("killed 20 extremists") or as the subject of a passive one ("20
    extremists were killed"). A reading of the words alone, for counts the model reads as O."""
    return KILLING_BEFORE.search(text[max(0, start - 40):start]) is not None \
        or KILLED_AFTER.match(text[end:end + 80]) is not None


# words in a count's noun phrase that name the side it stands on, whatever its head noun names:
# "12 government fighters" are security forces, "two rebel soldiers" militants; the taxonomy's
# group nouns name the rest ("police officers", "civilian workers")
SIDE_WORDS = {"government": "security_forces", "pro-government": "security_forces", "army": "security_forces",
              "military": "security_forces", "state": "security_forces", "rebel": "militants",
              "militant": "militants", "insurgent": "militants", "jihadist": "militants", "islamist": "militants",
              "terrorist": "militants", "separatist": "militants", "gang": "militants", "cartel": "militants",
              "suspect": "militants", "suspects": "militants", "civilian": "civilians"}
NOUN_PHRASE_CHARS = 80  # how far after a count its noun may stand ("five District Reserve Guard personnel")


# a count of some of a group named after it: "killing six of the attackers"
PARTITIVE = re.compile(r"^\s+of\s+(?:the|these|those|their|its|his|her|our)((?:\s+[A-Za-z][\w'-]*){1,4})", re.I)


def noun_phrase_group(text: str, start: int, end: int, noun: str | None,
                      group_of_word: Callable[[str], str | None]) -> str | None:
    """The victim group the noun phrase of the count at text[start:end] names ("20 extremists" →
    militants, "five traffic police officers" and "one policeman" → security forces), by its
    `SIDE_WORDS` ("12 government fighters" → security forces), else by `group_of_word` (the
    taxonomy's group nouns) of its head noun; None where it names no group ("a police spokesman"),
    or two sides, or is told as who attacked (`told_as_agent`). A count without a noun of its own
    takes the one it is part of ("six of the attackers")."""
    if not noun:  # "six of the attackers"
        partitive = _partitive(text, end)
        if partitive is None:
            return None
        words, phrase_end = partitive
    else:
        phrase_end = _noun_end(text, start, end, noun)
        if phrase_end is None:
            return None
        words = re.findall(r"[A-Za-z][\w'-]*", text[start:phrase_end])
    if told_as_agent(text, phrase_end):
        return None
    sides = {SIDE_WORDS[w.lower()] for w in words if w.lower() in SIDE_WORDS}
    head = _group_of_either_number(words[-1].lower(), group_of_word) if words else None  # "a police spokesman": none
    groups = sides or ({head} if head else set())
    return groups.pop() if len(groups) == 1 else None


def _partitive(text: str, end: int) -> tuple[list[str], int] | None:
    """The words of the group a count ending at `end` is part of ("six of the attackers were
    killed": ["attackers"]) and where they end; None without one."""
    part = PARTITIVE.match(text[end:end + NOUN_PHRASE_CHARS])
    if part is None:
        return None
    words = []
    for word in part.group(1).split():
        if word.lower() in STOP_WORDS:
            break
        words.append(word)
    if not words:
        return None
    return words, end + part.start(1) + part.group(1).index(words[-1]) + len(words[-1])


def _noun_end(text: str, start: int, end: int, noun: str) -> int | None:
    """Where the noun the count at text[start:end] counts ends: in it ("one policeman") or after it."""
    found = re.search(rf"\b{re.escape(noun)}\b", text[start:end + NOUN_PHRASE_CHARS], re.I)
    return None if found is None else start + found.end()


def _group_of_either_number(word: str, group_of_word: Callable[[str], str | None]) -> str | None:
    """The group a noun names in the singular or the plural ("a jawan" as "jawans")."""
    return group_of_word(word) or group_of_word(word + "s") or (group_of_word(word[:-1]) if word.endswith("s") else None)


# a total told with its breakdown after it: "five people, among them a teacher and two guards"
GENERIC_PEOPLE = {"people", "persons", "individuals", "others"}
BREAKDOWN_NEXT = re.compile(r"^\s*,?\s*(?:including|among them|of whom)\b", re.I)


def total_with_breakdown(text: str, start: int, end: int, noun: str | None) -> bool:
    """Whether the count at text[start:end] counts people in general and is followed by its
    breakdown ("five people, among them a teacher and two guards"): a total of no one
    group, which `aggregate` keeps apart from the groups it contains."""
    if noun is None or noun.lower() not in GENERIC_PEOPLE:
        return False
    noun_end = _noun_end(text, start, end, noun)
    return noun_end is not None and BREAKDOWN_NEXT.match(text[noun_end:noun_end + 40]) is not None


# a count whose noun is left out because its clause repeats the one before with another verb ("Six
# guards were shot dead, several hurt"; "three soldiers died and two were hurt"): the
# text between the previous count and this one
GAPPED_CLAUSE = re.compile(r"^\s+[^.;:!?()\d]{0,60}?\b(?:were|was|have been|had been|are|died|dead)(?:\s+[a-z]+)?"
                           r"(?:\s*,\s*(?:and\s+|while\s+)?|\s+(?:and|while)\s+)$", re.I)
# ... and whose own clause goes straight on to its verb ("several wounded", "two were hurt"), not to
# a noun of its own ("three other men hurt")
VERB_NEXT = re.compile(r"^[\s,]+(?:were|was|are|have been|had been|wounded|injured|hurt|killed|dead|died|slain|"
                       r"hospitali[sz]ed)\b", re.I)


def gapped_clause(text: str, previous_end: int, start: int, end: int) -> bool:
    """Whether the count at text[start:end] stands in a clause that leaves out its noun and takes
    the one of the count ending at `previous_end` ("Six guards were shot dead, several hurt")."""
    return GAPPED_CLAUSE.match(text[previous_end:start]) is not None and VERB_NEXT.match(text[end:end + 40]) is not None


# a count named as who did it: its noun phrase followed by an active verb of attack with an object
# ("A gunman shot and killed a guard", "20 gunmen stormed the post"), not by the passive
# of a victim ("two soldiers killed in an ambush", "two herders shot dead", "2 guards killed 4 injured")
AGENT_AFTER = re.compile(r"^\s+(?:(?:who|which)\s+)?(?:[a-z]+\s+and\s+)?(?:shot|stabbed|killed|attacked|stormed|"
                         r"ambushed|detonated|opened fire|fired|hacked|abducted|kidnapped|gunned down|hurled|threw|"
                         r"raided|bombed)\b(?!\s*(?:(?:in|on|at(?!\s+least)|by|during|near|while|when|after|as|and|"
                         r"or|to|from|with|dead|yesterday|earlier|last|(?:the\s+)?(?:day|night|week|month|year|"
                         r"previous))\b|[,.;:]|$|[\d,]+\s+(?:injured|wounded|hurt)\b))", re.I)


def told_as_agent(text: str, noun_end: int) -> bool:
    """Whether the noun phrase ending at `noun_end` is told as the one who attacked ("A gunman shot
    and killed a guard"): its group is no victim's group."""
    return AGENT_AFTER.match(text[noun_end:noun_end + 60]) is not None


# who the attackers were, between their noun and their verb: "20 rebels from the Lord's Army attacked"
OF_A_NAMED_GROUP = re.compile(r"^\s+(?:(?:from|of)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,6}(?:\([A-Z]{2,8}\)\s+)?|"
                              r"\([A-Z]{2,8}\)\s+)(?=\S)")


def told_as_attacker(text: str, start: int, end: int, noun: str | None) -> bool:
    """Whether the count at text[start:end] counts those who attacked ("20 gunmen stormed the
    post", "About 20 rebels from the Lord's Army attacked a bus"), in the active voice, and its
    clause tells no killing or wounding of theirs after ("... and were killed"): no victims' figure.
    Suicide bombers are left to the model and `Predictor.count_bombers`: the deed killed them."""
    if not noun:
        return False
    noun_end = _noun_end(text, start, end, noun)
    if noun_end is None or re.search(r"suicide|blew (him|her|them)sel", text[start:noun_end + 60], re.I):
        return False  # who died by the deed: `Predictor.count_bombers`
    named = OF_A_NAMED_GROUP.match(text[noun_end:noun_end + 80])
    if named:
        noun_end += named.end() - 1
    if not told_as_agent(text, noun_end):
        return False
    clause = _CLAUSE_GOES_ON.split(text[noun_end:noun_end + 200], maxsplit=1)[0]
    return OUTCOME_AFTER.search(re.sub(r"^.*?\band\s+", " ", clause)) is None if " and " in clause else True


# a toll summed over several incidents the article's event is one of: "across both attacks", "across
# the four incidents", "across all five incidents", "across the ensuing clashes" (the number from
# "one of three coordinated attacks" before it), "across this attack and one in Mughali"
_INCIDENTS = r"(?:attacks?|incidents?|assaults?|events?|blasts?|bombings?|explosions?|clashes|raids?|strikes?)"
SHARED_ACROSS = re.compile(
    rf"\bacross\s+(?:(?P<both>both)\s+(?:[\w-]+\s+)?{_INCIDENTS}\b"
    rf"|this\s+{_INCIDENTS}\s+and\s+(?:one|another)\b"
    rf"|(?:all\s+(?:of\s+)?)?(?:(?:the|these|those)\s+)?(?:(?P<n>[\w-]+)\s+)?(?:[\w-]+\s+)?{_INCIDENTS}\b)", re.I)
ONE_OF_INCIDENTS = re.compile(rf"\bone of (?P<n>[\w-]+) (?:[\w-]+ ){{0,3}}?{_INCIDENTS}\b", re.I)
MAX_INCIDENTS = 20
_INCIDENT_WORDS = {**UNITS, **TEENS, "twenty": 20}


def _incident_count(word: str | None) -> int | None:
    """2–20 from digits or a number word ("four", "12"), else None ("ensuing", "the")."""
    low = (word or "").lower()
    n = parse_digits(low)
    n = _INCIDENT_WORDS.get(low) if n is None else n
    return n if n is not None and 2 <= n <= MAX_INCIDENTS else None


def shared_across(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(incidents, cue start, cue end) where the figure at text[start:end] is told, later in its
    sentence (before a semicolon), as summed across several incidents ("... were killed across both attacks"), the number
    of incidents named there or by "one of N ... attacks" earlier in the text; else None. GTD gives
    each incident an even share of such a toll (`share_of`)."""
    _, right = sentence_span(text, start, end)
    semicolon = text.find(";", end, right)  # a clause after it tells of something else
    cue = SHARED_ACROSS.search(text, end, right if semicolon < 0 else semicolon)
    if cue is None:
        return None
    n = 2 if cue.group(0).lower().startswith(("across both", "across this")) else _incident_count(cue.group("n"))
    if n is None:
        one_of = ONE_OF_INCIDENTS.search(text, 0, cue.start())
        n = _incident_count(one_of.group("n")) if one_of else None
    return (n, cue.start(), cue.end()) if n else None


def share_of(total: int, incidents: int) -> int:
    """One incident's even share of a toll summed over `incidents`, halves rounded up (9 over 2: 5)."""
    return (2 * total + incidents) // (2 * incidents)


def told_of_another_time(sentence: str, start: int, end: int) -> str | None:
    """The time words, if any, that date the figure at sentence[start:end] to another time than the
    reported event: in its sentence before it, or in its clause after it. Background tolls (earlier
    attacks, a war's running count) are what the annotators of real articles leave out."""
    before = ANOTHER_TIME_BEFORE.search(sentence, 0, start)
    after = ANOTHER_TIME_AFTER.search(re.split(r"[,;:]", sentence[end:], maxsplit=1)[0])
    return (before or after).group(0) if before or after else None


def without_background(mentions: list[dict]) -> list[dict]:
    """Drop the figures dated to another time (their `another_time` cue, `told_of_another_time`):
    a running count's always ("over the past seven months, 189 were killed"), another's where its
    outcome also has a figure not so dated: an article about last week's attack gives its toll with
    "last week", and then that toll is the event's."""
    plain = {m["outcome"] for m in mentions if not m.get("another_time")}
    return [m for m in mentions if not (m.get("another_time") and (m["outcome"] in plain
                                                                   or RUNNING_COUNT.fullmatch(m["another_time"])))]


def counts_suicide_bombers(text: str, mention: Any) -> int | None:
    """Where the noun ends, if a count mention (a `numbers.Mention` or an evidence dict) counts
    suicide bombers: "A suicide bomber" holds its noun, "Three" is followed by it."""
    if SUICIDE_BOMBER.search(" " + _get(mention, "text")):
        return int(_get(mention, "end"))
    after = SUICIDE_BOMBER.match(text, int(_get(mention, "end")))
    return after.end() if after else None


def bomber_who_died(text: str, mentions: list[Any]) -> Any | None:
    """The count mention of the suicide bombers an article says set off their charge ("Three suicide
    bombers ... blew themselves up"), who died in it and whom GTD, ACLED and our annotators count
    as killed militants beside the toll, which counts the victims. The largest such mention
    (repeats of "the bomber" count once), or None where the text places the bomber in or beside a
    toll ("including the bomber": the reading and the on-top cue handle it), where a sentence naming
    a bomber or attacker says one was caught, fled or failed, or where the bomber's sentence is
    dated to another time. `mentions` are `numbers.Mention`s."""
    if BOMBER_PLACED.search(text):
        return None
    best, span = None, sentence_spans(text)
    for m in mentions:
        end = None if m.vague is not None or not m.value else counts_suicide_bombers(text, m)
        if end is None:
            continue
        left, right = span(m.start, end)
        sentence = text[left:right]
        if not SET_OFF.search(sentence, end - left) or told_of_another_time(sentence, m.start - left, end - left):
            continue
        if best is None or m.value > best.value:
            best = m
    if best is None:
        return None
    sentences = [s for s in SENTENCE_END.split(text) if s and ATTACKER_WORDS.search(s)]
    return None if any(BOMBER_SURVIVED.search(s) for s in sentences) else best


LONE_VICTIM_CHARS = 600  # the headline and first sentences, where a lone death that is the event is told


def lone_victim(text: str, within: int | None = LONE_VICTIM_CHARS) -> tuple[int, int] | None:
    """Offsets of the first person a sentence says was killed without a number: a name ("Assailants
    shot and killed Hazrat Gul"), a phrase a count mention misses ("an Afghan Local Police (ALP)
    officer"), or he / she ("… killing him"), in the first `within` characters (all when None: later
    sentences recall other deaths, the killing a march protests, a victim in a quote); not
    a victim listed with others ("Hanifyar and his bodyguard were killed"), not an attempt ("tried
    to kill"), not in a sentence dated to another time. For articles whose figures give no killed
    toll at all: one death the text tells plainly is no number mention, so the model cannot read it."""
    end = len(text) if within is None else min(len(text), within)
    found = [m for pattern in (_ACTIVE_VICTIM, _PASSIVE_VICTIM) for m in pattern.finditer(text, 0, end)]
    for m in sorted(found, key=lambda m: m.start("victim")):
        left, right = sentence_span(text, m.start(), m.end())
        sentence = text[left:right]
        # time words inside the phrase date it too ("a week after his father was killed")
        if not told_of_another_time(sentence, m.end("victim") - left, m.end() - left):
            return m.start("victim"), m.end("victim")
    return None


@dataclass(frozen=True)
class LabelledMention:
    outcome: str
    group: str
    count: int | None
    vague: str | None = None
    vague_value: int | None = None


def _get(m: Any, key: str) -> Any:
    return m.get(key) if isinstance(m, Mapping) else getattr(m, key, None)


# what may stand between two listed figures: a few words of the first one's noun, then "and" or a comma
_LIST_JOIN = re.compile(r"^(?P<noun>[^\d.;:()\n\"]{0,50}?)(,\s*and\s+|\s*,\s*|\s+and\s+)$", re.I)
# words that make the second figure a subset, an update or another clause, not the next item of a list
_NOT_A_LIST = re.compile(r"\b(including|includ\w*|among|of|from|to|whom|them|which|were|was|are|is|had|have|"
                         r"has|been|be|rose|risen|up|out|than|kill\w*|died|dead|injur\w*|wound\w*|hurt|while|"
                         r"but|or|in|at|on|by|with|after|before|when|since|total\w*|least|most)\b", re.I)


def listed_together(text: str, first: Any, second: Any) -> bool:
    """Whether two figures are items of one list ("Two guards and a driver", "30 farmers, six
    children"), not a total and its part ("25 villagers, 11 of them children") nor a figure and
    the next clause's ("over 120 fighters, a commander said")."""
    m = _LIST_JOIN.match(text[_get(first, "end"):_get(second, "start")])
    if not m or len(m.group("noun").split()) > 5 or _NOT_A_LIST.search(m.group("noun")):
        return False
    if "and" not in m.group(0).lower() and re.match(r"(a|an|the|another)\b", _get(second, "text") or "", re.I):
        return False
    return not re.match(r"\s*\w*\s*(of|among)\b", text[_get(second, "end"):_get(second, "end") + 20], re.I)


def _outcome_of(words: str) -> str | None:
    killed, injured = KILLED_WORDS.search(words), INJURED_WORDS.search(words)
    return "killed" if killed and not injured else "injured" if injured and not killed else None


def outcome_of_list(text: str, first: Any, last: Any) -> str | None:
    """The outcome a list of figures is given by its verb: after the last item, in its clause
    ("three guards and seven gunmen were hurt"), or just before the first ("..., wounding 30
    farmers, six children")."""
    after = re.match(r"[^.;:,]*?\b(were|was|are|is|have been|has been|had been)\s+(\w+\s+)?(\w+)",
                     text[_get(last, "end"):_get(last, "end") + 80], re.I)
    if after and _outcome_of(after.group(0)[after.end(1):]):  # the one or two words after the verb
        return _outcome_of(after.group(0)[after.end(1):])
    before = re.search(r"\b(\w+ing)\s+(at least\s+|some\s+|about\s+)?$", text[max(0, _get(first, "start") - 40):_get(first, "start")], re.I)
    return _outcome_of(before.group(1)) if before else None


def _adjacent_figures(mentions: list[dict]) -> Iterable[tuple[dict, dict]]:
    """Each pair of numeric figures next to each other in text order."""
    counted = sorted((m for m in mentions if m.get("count") is not None), key=lambda m: m["start"])
    return zip(counted, counted[1:], strict=False)


def agree_listed_outcomes(text: str, mentions: list[dict]) -> list[dict]:
    """Items of one list share its verb, so they share an outcome: where the figures of adjacent
    items were read with different outcomes (the clause before says "killed", this one
    "injured"), each takes the outcome the list's verb gives (`outcome_of_list`), if it gives one."""
    out = [dict(m) for m in mentions]
    for a, b in _adjacent_figures(out):
        if a["outcome"] != b["outcome"] and listed_together(text, a, b):
            outcome = outcome_of_list(text, a, b)
            if outcome:
                a["outcome"] = b["outcome"] = outcome
    return out


def join_listed(text: str, mentions: list[dict]) -> list[dict]:
    """The mentions, with `part_of` (the first item's start offset) set on figures of one outcome
    that are items of one list (`listed_together`): `aggregate` adds the items of a group, and does
    not take an `unknown` item to contain the named items beside it."""
    out = [dict(m) for m in mentions]
    for a, b in _adjacent_figures(out):
        if a["outcome"] == b["outcome"] and listed_together(text, a, b):
            a["part_of"] = a["start"] if a.get("part_of") is None else a["part_of"]
            b["part_of"] = a["part_of"]
    return out


def said_to_come_on_top(mentions: list[Any], outcome: str, total: int, unknown_group: str) -> bool:
    """Whether a sentence giving the `unknown` total of `outcome` also gives a named group's figure
    and says it comes in addition ("In addition to the gunman, four shoppers died")."""
    sentences = {_get(m, "sentence") for m in mentions if _get(m, "outcome") == outcome
                 and _get(m, "group") == unknown_group and _get(m, "count") == total}
    named = {_get(m, "sentence") for m in mentions if _get(m, "outcome") == outcome
             and _get(m, "group") != unknown_group and _get(m, "count") is not None}
    return any(s and ON_TOP_WORDS.search(s) for s in sentences & named)


def aggregate(mentions: Iterable[Any], outcomes: Iterable[str] = ("killed", "injured"),
              unknown_group: str = "unknown", count_vague: bool = False, on_top_cue: bool = True) -> dict[str, Any]:
    """Totals per outcome and figures per group, following the rule in the module docstring.

    `mentions` are objects or dicts with outcome, group, count (None for vague), vague and
    optionally vague_value, sentence (for the on-top cue; `on_top_cue=False` ignores it), part_of
    (`join_listed`) and on_top (a figure added to the toll, rule 3). Returns {"totals": {outcome: int},
    "by_group": {outcome: {group: int|str}}}.
    """
    mentions = list(mentions)
    on_top_figures: dict[tuple[str, str], int] = {}
    rest = []
    for m in mentions:
        if _get(m, "on_top") and _get(m, "count") is not None:
            key = (_get(m, "outcome"), _get(m, "group"))
            on_top_figures[key] = max(on_top_figures.get(key, 0), int(_get(m, "count")))
        else:
            rest.append(m)
    mentions = rest
    best: dict[tuple[str, str], int] = {}
    parts: dict[tuple[str, str, int], int] = {}
    vague_words: dict[tuple[str, str], str] = {}
    vague_values: dict[tuple[str, str], int] = {}
    for m in mentions:
        key = (_get(m, "outcome"), _get(m, "group"))
        count = _get(m, "count")
        if count is not None and _get(m, "part_of") is not None:
            part = (*key, int(_get(m, "part_of")))
            parts[part] = parts.get(part, 0) + int(count)
        elif count is not None:
            best[key] = max(best.get(key, 0), int(count))
        elif _get(m, "vague"):
            vague_words.setdefault(key, str(_get(m, "vague")))
            vv = _get(m, "vague_value")
            if count_vague and vv is not None:
                vague_values[key] = max(vague_values.get(key, 0), int(vv))
    for (outcome, group, _), total in parts.items():
        best[(outcome, group)] = max(best.get((outcome, group), 0), total)
    if count_vague:
        for key, v in vague_values.items():
            best.setdefault(key, v)
    totals: dict[str, int] = {}
    by_group: dict[str, dict[str, int | str]] = {}
    for outcome in outcomes:
        groups = {g: v for (o, g), v in best.items() if o == outcome}
        named = sum(v for g, v in groups.items() if g != unknown_group)
        unknown = groups.get(unknown_group, 0)
        beside = {lst for (o, g, lst) in parts if o == outcome and g != unknown_group}
        listed = any(parts[(outcome, unknown_group, lst)] == unknown for (o, g, lst) in parts
                     if o == outcome and g == unknown_group and lst in beside)
        contains = unknown >= named and not listed and not (
            on_top_cue and named and said_to_come_on_top(mentions, outcome, unknown, unknown_group))
        totals[outcome] = unknown if contains else unknown + named
        figures: dict[str, int | str] = {g: v for g, v in groups.items() if g != unknown_group}
        residual = unknown - named if contains else unknown
        if residual > 0:
            figures[unknown_group] = residual
        for (o, group), count in on_top_figures.items():
            if o == outcome:
                totals[outcome] += count
                figures[group] = count + (figures[group] if isinstance(figures.get(group), int) else 0)
        for (o, g), word in vague_words.items():
            if o == outcome and g not in figures and (g != unknown_group or unknown_group not in groups):
                figures[g] = word
        by_group[outcome] = figures
    return {"totals": totals, "by_group": by_group}
