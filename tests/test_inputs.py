"""Users' files as the Predictor reads them: column maps, headlines first, one-line missing columns."""
from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventcoder.cli import main
from eventcoder.data.labels import headline_text
from eventcoder.inputs import InputColumns, count_rows, iter_inputs
from eventcoder.schema import RecordError

ACLED_ROWS = [["event_id_cnty", "event_date", "event_type", "notes", "fatalities"],
              ["NIG101", "2021-03-02", "Battles", "Troops clashed with militants near Dikwa; 7 militants were killed. "
               "[size=no report]", "7"],
              ["NIG102", "2021-03-03", "Protests", "", "0"],
              ["NIG103", "2021-03-04", "Riots", "Traders rioted over fuel prices in Kano.", "0"]]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_an_export_is_read_through_the_columns_the_user_names(tmp_path):
    f = write_csv(tmp_path / "acled.csv", ACLED_ROWS)
    rows = list(iter_inputs(f, InputColumns(text="notes", id="event_id_cnty")))
    assert [r for r, _ in rows] == [1, 2, 3]
    assert rows[0][1] == {"id": "NIG101", "text": ACLED_ROWS[1][3], "date": None}  # no "date" column named
    assert rows[1][1] == {"id": "NIG102", "text": "", "date": None}  # empty text is the batch's error to record, with the id
    assert count_rows(f) == 3


def test_source_acled_takes_the_builders_column_map_and_cleanup(tmp_path):
    f = write_csv(tmp_path / "acled.csv", ACLED_ROWS)
    cols = InputColumns.of_source("acled")
    assert (cols.text, cols.id) == ("notes", "event_id_cnty") and "strip_acled_tags" in cols.cleanup
    first = next(iter_inputs(f, cols))[1]
    assert first["id"] == "NIG101" and first["text"].endswith("were killed.")  # the [size=...] tag removed
    assert first["date"] == "2021-03-02"  # the export's event_date: "yesterday" is read against it
    with pytest.raises(ValueError, match="export sources are"):
        InputColumns.of_source("train_articles")


def test_the_headline_goes_first_as_in_training(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": 1, "title": "Blast kills 4 in Quetta", "text": "A bomb went off."}) + "\n"
                 + json.dumps({"id": 2, "title": "Same start", "text": "Same start of the body."}) + "\n")
    items = [it for _, it in iter_inputs(f)]
    assert items[0] == {"id": "1", "text": "Blast kills 4 in Quetta\n\nA bomb went off.", "date": None}
    assert items[1]["text"] == "Same start of the body."  # a body that starts with its headline is not doubled
    assert headline_text("Body.", None) == "Body."


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_missing_text_column_is_one_error_naming_the_file_and_its_columns(tmp_path, kind):
    if kind == "csv":
        f = write_csv(tmp_path / "in.csv", ACLED_ROWS)
    else:
        f = tmp_path / "in.parquet"
        pq.write_table(pa.table({"event_id_cnty": ["a"], "notes": ["x"]}), f)
    with pytest.raises(RecordError) as e:
        list(iter_inputs(f))
    assert str(f) in str(e.value) and "notes" in str(e.value) and "'text'" in str(e.value)


def test_the_cli_says_a_missing_column_in_one_line(tmp_path, capsys):
    f = write_csv(tmp_path / "in.csv", ACLED_ROWS)
    rc = main(["predict", "--input", str(f), "--output", str(tmp_path / "o.csv"), "--model", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1 and len(err.strip().splitlines()) == 1 and str(f) in err and "event_id_cnty" in err


def test_parquet_rows_keep_their_ids_and_rows(tmp_path):
    f = tmp_path / "in.parquet"
    pq.write_table(pa.table({"key": [10, 11], "body": ["Two were shot dead.", None]}), f)
    rows = list(iter_inputs(f, InputColumns(text="body", id="key")))
    assert rows[0] == (1, {"id": "10", "text": "Two were shot dead.", "date": None})
    assert isinstance(rows[1][1], RecordError) and rows[1][1].record_id == "11" and rows[1][1].field == "body"
    assert count_rows(f) == 2
