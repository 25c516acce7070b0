"""Incidents: event date and place per article, grouping of reports, reconciled figures, CLI, scorer."""
from __future__ import annotations

import json

import pytest

from eventcoder.cli import main
from eventcoder.incidents import IncidentConfig, group_incidents
from eventcoder.incidents.evaluate import bcubed
from eventcoder.incidents.reconcile import reconcile, roles
from eventcoder.incidents.when import event_date
from eventcoder.incidents.where import event_location, filed_from


@pytest.mark.parametrize(("text", "published", "expected", "precision", "words"), [
    ("Gunmen killed five people yesterday in Kano.", "2024-03-14", "2024-03-13", "day", "yesterday"),
    ("Gunmen killed five people on Wednesday in Kano.", "2024-03-16", "2024-03-13", "day", "Wednesday"),
    ("The attack on 3 March left five dead.", "2024-03-20", "2024-03-03", "day", "3 March"),
    ("Officials said on Friday that the bombing on Monday killed 12.", "2024-03-15", "2024-03-11", "day", "Monday"),
    ("The attack on 28 December left five dead.", "2025-01-04", "2024-12-28", "day", "28 December"),
])
def test_event_date_from_text_and_article_date(text, published, expected, precision, words):
    when = event_date(text, published)
    assert (when["date"], when["precision"]) == (expected, precision)
    assert text[when["start"]:when["end"]] == when["text"] == words


def test_event_date_without_expression_is_the_article_date_at_week_precision():
    when = event_date("Protesters marched through the capital.", "2024-05-02")
    assert when == {"date": "2024-05-02", "precision": "week", "text": None, "start": None, "end": None}
    assert event_date("Protesters marched through the capital.") is None


def test_a_weekday_naming_a_market_is_not_a_date():
    when = event_date("A bomber struck the Monday Market in Maiduguri on Wednesday.", "2025-02-12")
    assert when["text"] == "Wednesday" and when["date"] == "2025-02-12"


@pytest.mark.parametrize(("text", "published", "expected", "words"), [
    # night events read in the next morning's paper (2024-03-17 is a Sunday)
    ("Gunmen attacked a bar late on Saturday, killing four.", "2024-03-17", "2024-03-16", "Saturday"),
    ("A bomb exploded in the early hours of Sunday near the market.", "2024-03-17", "2024-03-17", "Sunday"),
    ("Protesters clashed with police on Saturday night in the capital.", "2024-03-17", "2024-03-16", "Saturday"),
    ("Drones struck the capital overnight, killing three, officials said on Sunday.", "2024-03-17", "2024-03-16",
     "overnight"),  # the night just past
    ("Drones struck the capital overnight into Friday, killing three.", "2024-03-17", "2024-03-15", "Friday"),
])
def test_night_events_are_dated_by_the_night(text, published, expected, words):
    when = event_date(text, published)
    assert (when["date"], when["precision"], when["text"]) == (expected, "day", words)


@pytest.mark.parametrize(("text", "published", "expected", "words"), [
    # a page's printed date line is when it was published; the lead's own words date the event
    ("Rebels lose a hill\n\nDate of publication 10 June 2019 Rebels lost a hill near Idlib on Friday.",
     "2019-06-10", "2019-06-07", "Friday"),
    ("Rebels lose a hill\n\nAFP Monday 10 Jun 2019 Four fighters died when rebels lost a hill on Sunday.",
     "2019-06-10", "2019-06-09", "Sunday"),
    ("Rebels lose a hill\n\nJune 10 (UPI) -- Four fighters died when rebels lost a hill on Saturday.",
     "2019-06-10", "2019-06-08", "Saturday"),
    # a date more than RECENT_DAYS back is a background event when the lead dates the new one
    ("Since the 2 March bombing, the town has been tense. On Tuesday gunmen shot two guards.",
     "2019-06-13", "2019-06-11", "Tuesday"),
    ("Since the 2 March bombing, the town has been tense.", "2019-06-13", "2019-03-02", "2 March"),  # nothing newer
])
def test_expressions_that_do_not_date_the_main_event_are_passed_over(text, published, expected, words):
    when = event_date(text, published)
    assert (when["date"], when["text"]) == (expected, words)


@pytest.mark.parametrize(("text", "published", "expected", "words"), [
    # of two days, the one in the sentence that reports the dead dates the event (2024-03-16 is a Saturday)
    ("The revolt collapsed on Saturday. At least 30 people were killed in fighting that began on Friday.",
     "2024-03-16", "2024-03-15", "Friday"),
    ("Talks resumed on Saturday. A bomb on Thursday had wounded nine.", "2024-03-16", "2024-03-14", "Thursday"),
    # a finer expression still comes first: a day outside the casualty sentence before its week
    ("The army retook the pass on Friday. Dozens died in clashes this week.", "2024-03-16", "2024-03-15", "Friday"),
    # with no casualty sentence the first day stands
    ("The revolt collapsed on Saturday. Fighting began on Friday.", "2024-03-16", "2024-03-16", "Saturday"),
])
def test_the_day_of_the_casualty_sentence_is_preferred(text, published, expected, words):
    when = event_date(text, published)
    assert (when["date"], when["text"]) == (expected, words)


def test_a_date_line_of_a_day_no_year_has_is_no_error():
    when = event_date("Floods\n\nFeb 29 (UPI) -- Rain fell on Monday.", "2024-01-10")  # 29 Feb 2023: none
    assert when["date"] == "2024-01-08"


def test_a_lead_that_opens_on_its_day_is_not_a_date_line():
    when = event_date("Clashes in the north\n\nSunday 9th June saw fighting in three villages.", "2019-06-10")
    assert (when["date"], when["precision"], when["text"]) == ("2019-06-09", "day", "Sunday")


def test_a_sentence_that_opens_on_the_articles_date_is_not_a_date_line():
    # ACLED's notes open "On <event date>," and the export's event_date is the row's date
    text = "On 13 February 2024, a convoy struck a mine near Boni. Three soldiers were killed."
    when = event_date(text, "2024-02-13")
    assert (when["date"], when["precision"], when["text"]) == ("2024-02-13", "day", "13 February 2024")
    printed = event_date("13 February 2024 AFP - A convoy struck a mine near Boni on Monday.", "2024-02-13")
    assert printed["text"] == "Monday"  # the printed date line is still passed over
    posted = event_date("Posted on 13 February 2024 by a staff writer. Gunmen shot two guards on Monday.", "2024-02-13")
    assert posted["text"] == "Monday"


@pytest.mark.parametrize(("labels_file", "count"), [("heldout_dates.yaml", 40), ("dev_dates.yaml", 45),
                                                    ("heldout2_dates.yaml", 41)])
def test_date_set_labels_are_well_formed(labels_file, count):
    import yaml

    from eventcoder.incidents.evaluate import DATE_SETS

    path = next(p for p, _ in DATE_SETS.values() if p.name == labels_file)
    labels = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
    assert len(labels) == len({a["id"] for a in labels}) == count
    for a in labels:
        assert a["date_precision"] in ("day", "week", "month") and a["country"]
        assert event_date("", a["event_date"])["date"] == a["event_date"]  # an ISO day


@pytest.mark.shared
@pytest.mark.parametrize("labels_file", ["heldout_dates.yaml", "dev_dates.yaml", "heldout2_dates.yaml"])
def test_date_set_articles_are_found_and_scored(labels_file):
    import yaml

    from eventcoder.incidents.evaluate import DATE_SETS, load_date_set, score_date_set
    from eventcoder.paths import SHARED_DIR

    path = next(p for p, _ in DATE_SETS.values() if p.name == labels_file)
    pool = SHARED_DIR / yaml.safe_load(path.read_text(encoding="utf-8"))["pool"]
    if not pool.is_file():
        pytest.skip(f"{pool} not present")
    articles, gold = load_date_set(path)
    assert len(articles) == len(gold) and all("text" in a for a in articles)
    scores = score_date_set(articles, gold)
    assert scores["event date exact"]["n"] == len(gold) > scores["event date exact (day labels)"]["n"]


def test_place_lookup_gives_country_region_and_coordinates():
    text = "A gunman killed 49 people at a nightclub in Orlando, Florida, police said."
    where = event_location(text)
    assert (where["country"], where["admin1"], where["place"]) == ("United States", "Florida", "Orlando")
    assert where["precision"] == "place" and where["precision_code"] == 1
    assert abs(where["latitude"] - 28.54) < 0.1 and abs(where["longitude"] + 81.38) < 0.1
    assert text[where["start"]:where["end"]] == "Orlando"


def test_region_or_country_only_gives_a_coarser_precision():
    assert event_location("Taliban fighters attacked posts in Helmand province, Afghanistan.")["precision_code"] == 4
    country = event_location("The Syrian army shelled villages in Syria, monitors said.")
    assert (country["country"], country["place"], country["precision_code"]) == ("Syria", None, 6)


def test_a_dateline_gives_way_to_the_place_the_lead_names():
    where = event_location("BOGOTA – Six soldiers were killed in a clash south of Popayán in Colombia, the army said.")
    assert where["place"] == "Popayán"
    bureau = "Kano, Nigeria (Outlet)A bomb killed five people at a bus station in Gombe on Thursday."
    assert bureau[slice(*filed_from(bureau))] == "Kano, Nigeria (Outlet)"
    assert event_location(bureau)["place"] == "Gombe"
    there = "KABUL (Outlet) – A suicide bomber killed five people near the parliament on Monday, police said."
    assert event_location(there)["place"] == "Kabul"  # no other place named: the dateline's stands


def test_the_region_a_place_lies_in_comes_from_the_region_tables_spelt_as_the_text_names_it():
    assert event_location("A bomb exploded in Quetta on Monday, police said.")["admin1"] == "Balochistan"
    named = event_location("Gunmen killed five people in Goma, in North Kivu province, on Sunday.")
    assert (named["admin1"], event_location("Gunmen killed five people in Goma on Sunday.")["admin1"]) == \
        ("North Kivu", "Nord-Kivu")
    elsewhere = event_location("Gunmen killed five people in Goma on Sunday, the Ituri province governor said.")
    assert elsewhere["admin1"] == "Nord-Kivu"  # a region the place does not lie in is not its region


def test_the_region_of_an_outlets_dateline_is_not_the_events():
    text = ("Car bomb kills four in Tikrit\n\nA car bomb killed four people in Tikrit on Monday.\n\n"
            "SULAYMANIYAH, Kurdistan Region (Outlet 9) – A car bomb exploded at a checkpoint in Tikrit, "
            "in Salahuddin province, killing four people, police said.")
    assert text[slice(*filed_from(text))] == "SULAYMANIYAH, Kurdistan Region (Outlet 9) –"
    where = event_location(text)
    assert (text[where["start"]:where["end"]], where["admin1"]) == ("Tikrit", "Salahuddin")
    assert filed_from("Six soldiers were killed (army) - in a clash, BOGOTA said.") is None


def _report(id_, date, text, killed, event_type="explosions_remote_violence", place=None):
    where = event_location(text)
    return {"id": id_, "date": date, "text": text, "event_type": event_type, "score": 0.9,
            "killed": killed, "injured": 0, "casualties": {"killed": {"civilians": killed}, "injured": {}},
            "evidence": [{"outcome": "killed", "group": "civilians", "count": killed, "text": str(killed),
                          "start": 0, "end": 1, "sentence": text}],
            "when": event_date(text, date), "where": where}


REPORTS = [
    _report("a", "2025-02-12", "A suicide bomber killed 12 people at a market in Maiduguri, Nigeria, on Wednesday.", 12),
    _report("b", "2025-02-13", "The toll of yesterday's suicide bombing at a Maiduguri market in Nigeria rose to 19.", 19),
    _report("c", "2025-02-12", "Soldiers shot dead three gunmen who attacked a checkpoint in Kano, Nigeria, on Wednesday.",
            3, event_type="battles"),
]


def test_grouping_keeps_one_incident_together_and_separates_another_the_same_day():
    incidents = group_incidents(REPORTS, IncidentConfig.load())
    assert sorted(sorted(i["members"]) for i in incidents) == [["a", "b"], ["c"]]


def test_grouping_respects_the_date_window():
    late = dict(REPORTS[1], id="late", when={**REPORTS[1]["when"], "date": "2025-03-30"})
    incidents = group_incidents([REPORTS[0], late], IncidentConfig.load())
    assert len(incidents) == 2


@pytest.mark.parametrize(("rule", "best", "source"), [("latest", 23, "r3"), ("conservative", 12, "r1"),
                                                      ("median", 19, "r2")])
def test_reconciled_figures_low_best_high_under_each_rule(rule, best, source):
    reports = [dict(REPORTS[0], id="r1", date="2025-02-12", killed=12, casualties={"killed": {"civilians": 12}}),
               dict(REPORTS[0], id="r3", date="2025-02-16", killed=23, casualties={"killed": {"civilians": 23}}),
               dict(REPORTS[0], id="r2", date="2025-02-13", killed=19, casualties={"killed": {"civilians": 19}})]
    incident = reconcile(reports, IncidentConfig.load(best=rule), "inc-1")
    figure = incident["figures"]["killed"]["civilians"]
    assert (figure["low"], figure["best"], figure["high"], figure["source"]) == (12, best, 23, source)
    assert incident["totals"]["killed"]["best"] == best
    assert incident["members"] == ["r1", "r2", "r3"]


def test_a_higher_later_toll_is_an_update_and_the_same_toll_a_repeat():
    reports = [{"id": "x", "date": "2025-01-01", "casualties": {"killed": {"civilians": 4}}},
               {"id": "y", "date": "2025-01-02", "casualties": {"killed": {"civilians": 4}}},
               {"id": "z", "date": "2025-01-03", "casualties": {"killed": {"civilians": 10}}}]
    out = roles(reports)
    assert [r["role"] for r in out] == ["first", "repeat", "update"]
    assert out[2]["updates"] == "x" and out[2]["raised"] == [{"outcome": "killed", "group": "civilians",
                                                              "from": 4, "to": 10}]


def test_evidence_of_the_best_figure_comes_from_its_report():
    incident = group_incidents(REPORTS[:2], IncidentConfig.load(best="latest"))[0]
    figure = incident["figures"]["killed"]["civilians"]
    assert figure["source"] == "b" and figure["evidence"][0]["sentence"] == REPORTS[1]["text"]


def test_cli_round_trip(tmp_path, capsys):
    src = tmp_path / "coded.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in REPORTS + [dict(REPORTS[0], id="n", event_type="none")]))
    out = tmp_path / "incidents.jsonl"
    assert main(["incidents", "--input", str(src), "--output", str(out), "--best", "conservative"]) == 0
    incidents = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(len(i["members"]) for i in incidents) == [1, 2]
    assert all(i["best_rule"] == "conservative" for i in incidents)
    pair = next(i for i in incidents if len(i["members"]) == 2)
    assert pair["figures"]["killed"]["civilians"]["best"] == 12
    assert "1 coded none left out" in capsys.readouterr().out


def test_cli_names_the_row_and_field_of_a_bad_record(tmp_path, capsys):
    src = tmp_path / "coded.jsonl"
    src.write_text(json.dumps(REPORTS[0]) + "\n" + json.dumps({"id": "b"}) + "\n")
    assert main(["incidents", "--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "row 2" in err and "event_type" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_bcubed_on_a_hand_computed_example():
    # gold {1,2,3} {4,5}; predicted {1,2} {3,4,5}
    # precision: 1, 1 (2/2 each), 1/3 for 3, 2/3 for 4 and 5 -> (1+1+1/3+2/3+2/3)/5 = 11/15
    # recall: 2/3, 2/3, 1/3 for 1-3, 1, 1 for 4-5 -> (2/3+2/3+1/3+1+1)/5 = 11/15
    scores = bcubed(["p", "p", "q", "q", "q"], ["A", "A", "A", "B", "B"])
    assert scores["precision"] == pytest.approx(11 / 15, abs=1e-4)
    assert scores["recall"] == pytest.approx(11 / 15, abs=1e-4)
    assert scores["f1"] == pytest.approx(11 / 15, abs=1e-4)
    assert bcubed(["x", "y"], ["A", "A"]) == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


@pytest.mark.slow
def test_ray_path_gives_the_local_incidents(tmp_path):
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install eventcoder[ray]")
    src = tmp_path / "coded.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in REPORTS))
    for engine in ("local", "ray"):
        assert main(["incidents", "--input", str(src), "--output", str(tmp_path / f"{engine}.jsonl"),
                     "--engine", engine]) == 0
    local, ray = ([json.loads(line) for line in (tmp_path / f"{e}.jsonl").read_text().splitlines()]
                  for e in ("local", "ray"))
    assert sorted(sorted(i["members"]) for i in ray) == sorted(sorted(i["members"]) for i in local)
    assert all(i["incident_id"].startswith("inc-NG-") for i in ray)


def test_flat_table_has_the_event_date_and_place():
    from eventcoder.tables import columns, flat_row

    text = "A suicide bomber killed 12 people at a market in Maiduguri, Nigeria, on Wednesday."
    record = {"id": "a", "row": 1, "event_type": "explosions_remote_violence", "score": 0.9, "killed": 12,
              "injured": 0, "casualties": {"killed": {"civilians": 12}, "injured": {}}, "vague": [], "evidence": [],
              "when": event_date(text, "2025-02-13"), "where": event_location(text)}
    row = flat_row(record, columns(["killed:civilians"]))
    assert (row["event_date"], row["date_precision"], row["country"], row["place"], row["geo_precision"]) == \
        ("2025-02-12", "day", "Nigeria", "Maiduguri", 1)
    assert row["latitude"] == pytest.approx(11.85, abs=0.1)


def test_batch_prediction_reads_when_against_the_input_date(trained, tmp_path):
    from eventcoder.batch import predict_file
    from eventcoder.predictor import Predictor

    src = tmp_path / "in.jsonl"
    text = "Gunmen killed 12 villagers in Kano, Nigeria, yesterday, police said."
    src.write_text(json.dumps({"id": "x", "text": text, "date": "2024-03-14"}) + "\n"
                   + json.dumps({"id": "y", "text": text}) + "\n")
    out = tmp_path / "out.jsonl"
    predict_file(src, out, Predictor.from_pretrained(trained, backend="torch"), progress=False)
    with_date, without = (json.loads(line) for line in out.read_text().splitlines())
    assert with_date["when"]["date"] == "2024-03-13" and with_date["when"]["article_date"] == "2024-03-14"
    assert without["when"] is None  # "yesterday" with no article date dates nothing
    assert with_date["where"]["place"] == "Kano" and with_date["where"]["country"] == "Nigeria"


def test_no_records_and_wordless_records_give_no_links():
    assert group_incidents([], IncidentConfig.load()) == []
    bare = [dict(REPORTS[0], id=k, text="", evidence=[], where={**REPORTS[0]["where"], "text": None},
                 when={**REPORTS[0]["when"], "text": None}) for k in ("p", "q")]
    assert len(group_incidents(bare, IncidentConfig.load())) == 2
