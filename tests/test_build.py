"""Dataset builder: readers on fixtures, bad rows, alignment, splits, data card."""
from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import datasets
import pytest
from omegaconf import OmegaConf

from conftest import compose_config
from eventcoder.data.build import _split, build_dataset
from eventcoder.data.labels import align_counts
from eventcoder.data.split import assign_splits, near_duplicate_groups
from eventcoder.numbers import count_candidates
from eventcoder.paths import SHARED_DIR
from eventcoder.schema import RecordError
from eventcoder.taxonomy import load_taxonomy

TAX = load_taxonomy("acled")


def compose_build(data: str, overrides: list[str] | None = None):
    return compose_config("build_data", [f"data={data}", "progress=false", *(overrides or [])])


def write_csv(path: Path, header: list[str], rows: list[list], gz: bool = False) -> Path:
    opener = gzip.open if gz else open
    with opener(path, "wt", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


GTD_HEADER = ["eventid", "iyear", "summary", "attacktype1_txt", "targtype1_txt", "nkill", "nkillter", "nwound"]
GTD_ROWS = [
    ["1", "2016", "03/01/2016: A bomb exploded at a market, killing 12 people and wounding 30 others.",
     "Bombing/Explosion", "Private Citizens & Property", "12", "0", "30"],
    ["2", "2016", "03/02/2016: Assailants attacked a police post; 4 officers and 2 attackers were killed.",
     "Armed Assault", "Police", "6", "2", "0"],
    ["3", "2017", "03/03/2017: Gunmen abducted a trader in the town.", "Hostage Taking (Kidnapping)",
     "Private Citizens & Property", "0", "0", "0"],
    ["4", "2017", "03/04/2017: An attack took place; details unclear, several died.", "Unknown", "", "3", "", ""],
]
ACLED_HEADER = ["event_id_cnty", "event_date", "event_type", "notes", "fatalities"]
ACLED_ROWS = [
    ["KEN1", "2019-01-02", "Battles", "Police clashed with bandits; 3 bandits were killed.", "3"],
    ["KEN2", "2019-01-03", "Protests", "About 200 traders protested over new market fees. [size=about 200]", "0"],
    ["IND1", "2015-04-04", "Riots/Protests", "Students protested and threw stones at police.", "0"],
    ["IND2", "2015-04-05", "Remote violence", "A roadside bomb killed two soldiers.", "2"],
    ["IND3", "2015-04-06", "Violence against civilians", "Unidentified gunmen shot dead a villager.", "1"],
]
UCDP_HEADER = ["id", "type_of_violence", "source_headline", "date_start", "deaths_a", "deaths_b",
               "deaths_civilians", "deaths_unknown", "best"]
UCDP_ROWS = [
    ["10", "1", "Syrian army kills 14 rebels near Hama", "2016-02-01", "0", "14", "0", "0", "14"],
    ["11", "3", "IS executes 5 civilians in Raqqa", "2016-02-02", "0", "5", "0", "0", "5"],
    ["12", "2", "Clashes between rebel factions leave dead", "2016-02-03", "3", "2", "0", "0", "5"],
]


def source_override(name: str, path: Path) -> list[str]:
    return [f"data.sources.{name}.path={path}"]


def test_gtd_reader_maps_types_groups_and_aligns(tmp_path):
    f = write_csv(tmp_path / "gtd.csv.gz", GTD_HEADER, GTD_ROWS, gz=True)
    out = build_dataset(compose_build("gtd", source_override("gtd", f)), output_dir=tmp_path / "out")
    rows = {r["source_id"]: r for s in ("train", "validation", "test")
            for r in datasets.load_from_disk(str(out / "dataset"))[s]}
    assert rows["1"]["event_type"] == "explosions_remote_violence"
    assert rows["1"]["text"].startswith("A bomb")  # date prefix removed
    assert rows["2"]["event_type"] == "battles"
    assert rows["3"]["event_type"] == "violence_against_civilians"
    assert rows["4"]["event_label"] == -100  # unknown attack type: masked, not guessed
    labels = dict(zip(rows["1"]["mention_value"], rows["1"]["mention_label"], strict=True))
    assert TAX.mention_labels[labels[12]] == "killed:civilians"
    assert TAX.mention_labels[labels[30]] == "injured:unknown"
    labels2 = dict(zip(rows["2"]["mention_value"], rows["2"]["mention_label"], strict=True))
    assert TAX.mention_labels[labels2[4]] == "killed:security_forces"
    assert TAX.mention_labels[labels2[2]] == "killed:militants"
    assert rows["4"]["casualty_status"].startswith("masked:")
    card = (out / "README.md").read_text()
    assert "alignment rate" in card and "| gtd | 4 | 4 | 0 |" in card


def test_acled_reader_legacy_types_and_masked_injuries(tmp_path):
    f = write_csv(tmp_path / "acled.csv", ACLED_HEADER, ACLED_ROWS)
    out = build_dataset(compose_build("acled", source_override("acled", f)), output_dir=tmp_path / "out")
    dd = datasets.load_from_disk(str(out / "dataset"))
    rows = {r["source_id"]: r for s in dd for r in dd[s]}
    assert rows["IND2"]["event_type"] == "explosions_remote_violence"  # legacy "Remote violence"
    assert rows["IND1"]["event_label"] == -100  # "Riots/Protests" cannot be split
    assert "[size" not in rows["KEN2"]["text"]
    assert rows["KEN1"]["injured_total"] == -1  # ACLED has no injured column: unknown, not 0
    ken1 = dict(zip(rows["KEN1"]["mention_value"], rows["KEN1"]["mention_label"], strict=True))
    assert TAX.mention_labels[ken1[3]] == "killed:unknown"
    ken2 = rows["KEN2"]["mention_label"]
    assert ken2 and all(x == -100 for x in ken2)  # injured unknown → unmatched candidates ignored


def test_ucdp_reader_groups_by_side(tmp_path):
    f = write_csv(tmp_path / "ucdp.csv", UCDP_HEADER, UCDP_ROWS)
    out = build_dataset(compose_build("ucdp", source_override("ucdp", f)), output_dir=tmp_path / "out")
    dd = datasets.load_from_disk(str(out / "dataset"))
    rows = {r["source_id"]: r for s in dd for r in dd[s]}
    assert rows["11"]["event_type"] == "violence_against_civilians"
    r10 = dict(zip(rows["10"]["mention_value"], rows["10"]["mention_label"], strict=True))
    r11 = dict(zip(rows["11"]["mention_value"], rows["11"]["mention_label"], strict=True))
    assert TAX.mention_labels[r10[14]] == "killed:militants"
    assert TAX.mention_labels[r11[5]] == "killed:civilians"
    assert rows["12"]["casualty_status"].startswith("masked:")  # no number in the headline


def test_records_jsonl_csv_and_txt_folder(tmp_path):
    from eventcoder.data.readers import read_records, split_items

    rec = {"id": "r1", "text": "Police said 3 protesters were hurt.", "event_type": "riots",
           "casualties": [{"outcome": "injured", "group": "civilians", "count": 3, "quote": "3"}]}
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n")
    write_csv(tmp_path / "a.csv", ["id", "text", "event_type", "casualties"],
              [["r2", rec["text"], "riots", json.dumps(rec["casualties"])]])
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "r3.txt").write_text(rec["text"])
    (folder / "r3.json").write_text(json.dumps({"event_type": "riots", "casualties": rec["casualties"]}))
    (folder / "r4.txt").write_text("An unlabelled article.")
    for path, ids in ((tmp_path / "a.jsonl", ["r1"]), (tmp_path / "a.csv", ["r2"]), (folder, ["r3", "r4"])):
        ok, bad = split_items(read_records(path, TAX))
        assert [a.id for a in ok] == ids and not bad
        assert ok[0].casualties is None or ok[0].casualties[0].start == rec["text"].index("3")
        assert ok[0].provenance.file and ok[0].provenance.row == 1


def test_headline_goes_first_with_offsets_shifted(tmp_path):
    from eventcoder.data.readers import read_records, split_items

    body = "Police said 3 protesters were hurt and 2 died."
    rows = [{"id": "h1", "title": "Two dead in clashes", "text": body, "event_type": "riots",
             "casualties": [{"outcome": "injured", "group": "civilians", "count": 3, "quote": "3"},
                            {"outcome": "killed", "group": "civilians", "count": 2,
                             "start": body.index("2"), "end": body.index("2") + 1}]},
            {"id": "h2", "title": "Two dead", "text": "Two dead\n\n" + body, "event_type": "riots"},
            {"id": "h3", "text": body, "event_type": "riots"}]
    (tmp_path / "h.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    ok, bad = split_items(read_records(tmp_path / "h.jsonl", TAX))
    assert not bad
    assert ok[0].text == "Two dead in clashes\n\n" + body
    assert [ok[0].text[c.start:c.end] for c in ok[0].casualties] == ["3", "2"]
    assert ok[1].text == rows[1]["text"]  # a text that already starts with its headline is kept
    assert ok[2].text == body  # no headline: nothing added
    assert [a.labelled_from for a in ok] == [len("Two dead in clashes\n\n"), 0, 0]


def test_numbers_of_an_unannotated_headline_are_masked_not_outside():
    """A headline put before annotated text was never labelled: its toll is not a "no casualty"
    example (labelling it O taught the model to ignore headline tolls); the body keeps its labels."""
    from eventcoder.data.build import article_example
    from eventcoder.data.labels import IGNORE, headline_first
    from eventcoder.numbers import DEFAULT_NUMBERS
    from eventcoder.schema import Article

    body = "Police said 3 protesters were hurt and 2 died; 40 were arrested."
    art = headline_first(Article(id="h", title="2 dead, 3 hurt in clashes", text=body, event_type="riots",
                                 casualties=[{"outcome": "killed", "group": "civilians", "count": 2,
                                              "start": body.index("2"), "end": body.index("2") + 1}]))
    ex = article_example(art, TAX, DEFAULT_NUMBERS, mask_unannotated=True)
    unmasked = article_example(art, TAX, DEFAULT_NUMBERS)  # the adopted recipe's labels: the headline's numbers O
    assert all(TAX.mention_labels[i] == "O" for s, i in zip(unmasked["mention_start"], unmasked["mention_label"],
                                                            strict=True) if s < art.labelled_from)
    by_start = dict(zip(ex["mention_start"], ex["mention_label"], strict=True))
    head_starts = [s for s in by_start if s < art.labelled_from]
    assert head_starts and all(by_start[s] == IGNORE for s in head_starts)
    body_labels = [TAX.mention_labels[by_start[s]] for s in sorted(by_start) if s >= art.labelled_from]
    assert "killed:civilians" in body_labels and "O" in body_labels
    assert ex["labelled_from"] == art.labelled_from


def test_bad_rows_are_counted_exactly_and_written_to_errors(tmp_path):
    f = tmp_path / "acled.csv"
    good = ACLED_ROWS[0]
    with open(f, "wb") as fh:
        fh.write((",".join(ACLED_HEADER) + "\n").encode())
        for i in range(6):
            fh.write((",".join([f"G{i}", *good[1:3], f'"{good[3]}"', good[4]]) + "\n").encode())
        fh.write(b"B1,2019-01-01,Battles,,3\n")  # empty text
        fh.write(b"B2,2019-01-01,Battles,\"a note\",3,extra\n")  # extra field
        fh.write(b"B3,2019-01-01,Battles,\"bad \xff\xfe bytes\",3\n")  # not UTF-8
        fh.write(b"B4,2019-01-01,Wars,\"Two died.\",2\n")  # label outside the table → masked, kept
        fh.write(b"B5,2019-01-01,Battles,\"Three died.\",many\n")  # wrong type
    out = build_dataset(compose_build("acled", source_override("acled", f)), output_dir=tmp_path / "out")
    stats = json.loads((out / "stats.json").read_text())["sources"]["acled"]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert stats["rows_read"] == 11
    assert stats["rows_read"] == stats["rows_kept"] + stats["rows_rejected"]
    assert stats["rows_rejected"] == len(errors) == 4
    assert {e["row"] for e in errors} == {7, 8, 9, 11}
    assert all(e["file"] == str(f) and e["reason"] for e in errors)
    assert next(e for e in errors if e["row"] == 7)["field"] == "notes"


def test_missing_required_column_stops_with_one_clear_message(tmp_path):
    f = write_csv(tmp_path / "acled.csv", ["event_id_cnty", "event_type", "fatalities"], [["1", "Battles", "2"]])
    with pytest.raises(RecordError, match=r"acled.csv: field 'notes': required column 'notes' missing"):
        build_dataset(compose_build("acled", source_override("acled", f)), output_dir=tmp_path / "out")


def test_alignment_total_breakdown_ambiguous_and_missing():
    def cands(text):
        return count_candidates(text)

    text = "The attack killed 27 people, including 20 militants and 7 soldiers."
    labels, status = align_counts({"killed": {"militants": 20, "security_forces": 7}}, {"killed": 27},
                                  cands(text), TAX, {"killed", "injured"})
    assert status == "aligned"
    assert labels == ["killed:unknown", "killed:militants", "killed:security_forces"]
    labels, status = align_counts({"killed": {"unknown": 5}}, {"killed": 5}, cands("Five were killed."),
                                  TAX, {"killed"})
    assert status == "aligned" and labels == ["killed:unknown"]
    _, status = align_counts({"killed": {"unknown": 2}, "injured": {"unknown": 2}},
                             {"killed": 2, "injured": 2}, cands("2 dead, 2 hurt"), TAX, {"killed", "injured"})
    assert status == "masked:ambiguous mention"
    # with the text, each 2 is claimed only by the outcome its words name
    labels, status = align_counts({"killed": {"unknown": 2}, "injured": {"unknown": 2}},
                                  {"killed": 2, "injured": 2}, cands("2 dead, 2 hurt"), TAX, {"killed", "injured"},
                                  text="2 dead, 2 hurt")
    assert status == "aligned" and labels == ["killed:unknown", "injured:unknown"]
    labels, status = align_counts({"killed": {"unknown": 9}}, {"killed": 9}, cands("Three were killed."),
                                  TAX, {"killed"})
    assert status.startswith("masked:") and labels == [None]


@pytest.mark.parametrize("text,cues", [
    ("Russian forces shelled the town, killing one civilian and wounding four others.", ["killed", "injured"]),
    ("1 security personnel killed 5 injured in bomb blast", ["killed", "injured"]),
    ("One man died and a girl was injured during the clash.", ["killed", "injured"]),
    ("Militants set off a bomb, injuring a soldier.", ["injured"]),
    ("The troops had killed 20 extremists.", ["killed"]),
    ("The attack killed 27 people, including 20 militants and 7 soldiers.", ["killed", None, None]),
    ("Police arrested 12 suspects in the village.", [None]),
])
def test_outcome_cue_reads_the_words_at_a_number(text, cues):
    from eventcoder.data.labels import outcome_cue

    assert [outcome_cue(text, m.start, m.end) for m in count_candidates(text)] == cues


def test_alignment_does_not_give_an_export_count_to_a_number_of_the_other_outcome():
    # an ACLED-style note: one killed, one injured, and no injured column
    text = "Gunmen attacked a village, killing one man. 1 fatality and 1 injured."
    cands = count_candidates(text)
    without, _ = align_counts({"killed": {"unknown": 1}}, {"killed": 1}, cands, TAX, {"killed"})
    assert without == ["killed:unknown"] * 3  # every 1 was taken for the fatality
    labels, status = align_counts({"killed": {"unknown": 1}}, {"killed": 1}, cands, TAX, {"killed"}, text=text)
    # the injured 1 is an injured figure (the note names it), not the fatality
    assert status == "aligned" and labels == ["killed:unknown", "killed:unknown", "injured:unknown"]
    # an export that counts both outcomes: a number named as injured that no count matches is O
    labels, _ = align_counts({"killed": {"unknown": 1}, "injured": {"unknown": 0}}, {"killed": 1, "injured": 0},
                             cands, TAX, {"killed", "injured"}, text=text)
    assert labels == ["killed:unknown", "killed:unknown", "O"]
    # a count only a number of the other outcome could match leaves the alignment unsure
    _, status = align_counts({"killed": {"unknown": 5}}, {"killed": 5}, count_candidates("5 injured."), TAX,
                             {"killed"}, text="5 injured.")
    assert status == "masked:killed count not found among the numbers"


def test_alignment_takes_the_group_the_text_names_when_the_export_has_none():
    text = "Afghan special forces killed 18 Taliban militants in Laman on Sunday."
    labels, status = align_counts({"killed": {"unknown": 18}}, {"killed": 18}, count_candidates(text), TAX,
                                  {"killed"}, named_groups=True)
    assert status == "aligned" and labels == ["killed:militants"]  # not killed:unknown
    assert align_counts({"killed": {"unknown": 18}}, {"killed": 18}, count_candidates(text), TAX,
                        {"killed"})[0] == ["killed:unknown"]  # the records' convention when off
    text = "Nine people were wounded, four officers and five assailants, and 7 were killed."
    cands = count_candidates(text)
    labels, status = align_counts({"killed": {"unknown": 7}, "injured": {"unknown": 9}}, {"killed": 7, "injured": 9},
                                  cands, TAX, {"killed", "injured"}, named_groups=True)
    by_text = dict(zip([m.text for m in cands], labels, strict=True))
    assert status == "aligned" and by_text["Nine"] == "injured:unknown" and by_text["7"] == "killed:unknown"
    # parts of a total given without its groups are unknown (ignored by the loss), not "not a casualty"
    assert by_text["four"] is None and by_text["five"] is None
    # when the export gives the groups, the other counts stay O
    labels, _ = align_counts({"killed": {"security_forces": 7}, "injured": {"security_forces": 4, "militants": 5}},
                             {"killed": 7, "injured": 9}, cands, TAX, {"killed", "injured"}, named_groups=True)
    assert dict(zip([m.text for m in cands], labels, strict=True))["four"] == "injured:security_forces"

def test_near_duplicates_never_cross_splits():
    base = "Gunmen attacked a police post in the district of {} killing {} officers on Monday morning, officials said."
    texts = []
    for i in range(60):
        texts += [base.format(f"place{i}", i), base.format(f"place{i}", i) + " Updated."]  # same incident twice
    groups = near_duplicate_groups(texts, threshold=0.8)
    assert all(groups[2 * i] == groups[2 * i + 1] for i in range(60))
    assert len(set(groups)) == 60
    labels = ["battles" if i % 2 else "riots" for i in range(60) for _ in range(2)]
    splits = assign_splits(labels, groups, 0.2, 0.2, seed=1)
    for i in range(60):
        assert splits[2 * i] == splits[2 * i + 1]
    assert {"train", "validation", "test"} == set(splits)


def test_split_by_date_trains_on_the_past():
    splits = assign_splits(["a"] * 4, [0, 1, 2, 3], 0, 0, seed=0,
                           dates=["2015-01-01", "2017-06-01", "2018-02-01", "2019-03-01"],
                           by_date={"test_from": "2018-01-01", "validation_from": "2017-01-01"})
    assert splits == ["train", "validation", "test", "test"]


def test_sample_build_keeps_fixed_splits_and_writes_card(tmp_path):
    out = build_dataset(compose_build("sample"), output_dir=tmp_path)
    dd = datasets.load_from_disk(str(out / "dataset"))
    stats = json.loads((out / "stats.json").read_text())
    assert {s: len(dd[s]) for s in dd} == stats["rows_per_split"]
    assert all(r["split"] == "test" for r in dd["test"])
    assert stats["sources"]["sample"]["casualty_gold"] + stats["sources"]["sample"]["casualty_gold_partial"] == \
        sum(stats["rows_per_split"].values())
    assert (out / "README.md").read_text().startswith("# Dataset `sample`")


@pytest.mark.skipif(not SHARED_DIR.is_dir(), reason="../shared not present")
@pytest.mark.parametrize("name", ["gtd", "acled", "ucdp", "case2021"])
def test_real_export_builds(tmp_path, name):
    """Each real export builds with its config (first 400 rows here; README names the full command)."""
    out = build_dataset(compose_build(name, [f"+data.sources.{name}.limit=400"]), output_dir=tmp_path)
    stats = json.loads((out / "stats.json").read_text())
    src = stats["sources"][name]
    assert src["rows_read"] == 400 == src["rows_kept"] + src["rows_rejected"]
    if name != "case2021":
        assert src["alignment_rate"] is not None and src["alignment_rate"] > 0.05


def test_case2021_reader_is_test_only_event_labels(tmp_path):
    f = write_csv(tmp_path / "case.csv", ["id", "EventSnippet", "SubType", "acled_event_type"],
                  [["1", "Warplanes struck the village, killing 6 civilians.", "AIR_STRIKE", "Explosions/Remote violence"],
                   ["2", "Thousands marched against the new tax.", "PEACE_PROTEST", "Protests"],
                   ["3", "The floods displaced 2,000 families.", "OTHER", "none"]])
    out = build_dataset(compose_build("case2021", source_override("case2021", f)), output_dir=tmp_path / "out")
    dd = datasets.load_from_disk(str(out / "dataset"))
    assert (len(dd["train"]), len(dd["validation"]), len(dd["test"])) == (0, 0, 3)
    assert [r["event_type"] for r in dd["test"]] == ["explosions_remote_violence", "protests", "none"]
    assert all(r["casualty_status"] == "masked:no casualty labels" for r in dd["test"])


def split_row(source: str, i: int, event: str, split: str | None = None) -> dict:
    """A row for `build._split`; its words are its own, so no two rows are near-duplicates."""
    words = " ".join(f"w{source}{i}x{k}" for k in range(12))
    return {"source": source, "split": split, "text": words, "event_type": event, "date": None}


def test_split_by_source_gives_a_small_source_its_share():
    """split.by_source: a source of 200 rows beside 2,000 export rows gets its tenth of validation and
    of test rows (stratified by source and type, not left to chance), and the big source keeps its tenth."""
    rows = [split_row("exports", i, ["battles", "protests", "riots"][i % 3]) for i in range(2000)]
    rows += [split_row("articles", i, ["battles", "protests"][i % 2]) for i in range(200)]
    data = OmegaConf.create({"split": {"validation": 0.1, "test": 0.1, "seed": 13, "by_date": None,
                                       "by_source": True}})
    _split(rows, data, {}, 0.8, 13)
    for source, n in (("exports", 2000), ("articles", 200)):
        got = [r["split"] for r in rows if r["source"] == source]
        for split in ("validation", "test"):
            assert 0.09 * n <= got.count(split) <= 0.11 * n, (source, split, got.count(split))


def test_a_fixed_source_added_last_moves_no_other_row():
    """real_quick_cues_heads_hard lists the project's own hard cases last: appending a fixed-split source
    keeps every other row's split and group, so the held-out export rows stay the rows every earlier
    report scored."""
    data = OmegaConf.create({"split": {"validation": 0.1, "test": 0.1, "seed": 13, "by_date": None}})
    before = [split_row("exports", i, ["battles", "protests", "riots"][i % 3]) for i in range(600)]
    _split(before, data, {}, 0.8, 13)
    after = [split_row("exports", i, ["battles", "protests", "riots"][i % 3]) for i in range(600)]
    after += [split_row("negatives", i, "none", "train") for i in range(40)]
    _split(after, data, {"negatives": True}, 0.8, 13)
    assert [(r["split"], r["group"]) for r in after[:600]] == [(r["split"], r["group"]) for r in before]
    assert {r["split"] for r in after[600:]} == {"train"}
    assert {"train", "validation", "test"} == {r["split"] for r in before}


def test_a_negative_fractional_or_non_numeric_count_is_an_error_naming_file_row_and_field(tmp_path):
    rows = [*GTD_ROWS[:3],
            ["5", "2017", "03/05/2017: A blast hit a bus station.", "Bombing/Explosion", "Private Citizens & Property",
             "-3", "0", "1"],
            ["6", "2017", "03/06/2017: Gunmen stormed a village.", "Armed Assault", "Private Citizens & Property",
             "4", "0", "2.5"],
            ["7", "2017", "03/07/2017: A rocket hit a market.", "Bombing/Explosion", "Private Citizens & Property",
             "many", "0", "0"],
            ["8", "2017", "03/08/2017: A bomb went off, toll unknown.", "Bombing/Explosion", "Business", "-99", "", ""]]
    f = write_csv(tmp_path / "gtd.csv", GTD_HEADER, rows)
    out = build_dataset(compose_build("gtd", source_override("gtd", f)), output_dir=tmp_path / "out")
    bad = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    by_row = {b["row"]: b for b in bad}
    assert set(by_row) == {4, 5, 6}  # 1-based data rows of ids 5, 6, 7; GTD's -99 stays "unknown"
    assert (by_row[4]["field"], by_row[5]["field"], by_row[6]["field"]) == ("nkill", "nwound", "nkill")
    assert "negative" in by_row[4]["reason"] and "fractional" in by_row[5]["reason"]
    assert "non-numeric" in by_row[6]["reason"] and all(b["file"] == str(f) for b in bad)
    kept = {r["source_id"] for s in ("train", "validation", "test") for r in datasets.load_from_disk(str(out / "dataset"))[s]}
    assert kept == {"1", "2", "3", "8"}
    assert "| gtd | 7 | 4 | 3 |" in (out / "README.md").read_text()  # rows read = kept + rejected
