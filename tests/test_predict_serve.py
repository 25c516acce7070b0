"""Predictor contract, batch CLI (bad rows, resume, atomic output), HTTP server, ONNX backend."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from eventcoder.batch import predict_file
from eventcoder.casualties import sentence_span
from eventcoder.predictor import Predictor

CONTRACT = {"event_type", "score", "scores", "killed", "injured", "casualties", "vague", "evidence"}


@pytest.fixture(scope="module")
def predictor(trained):
    return Predictor.from_pretrained(trained, backend="torch")


def test_prediction_contract_and_evidence(predictor):
    text = "Gunmen killed 12 villagers and wounded 3 soldiers. Several others were hurt."
    out = predictor([text])[0]
    assert set(out) >= CONTRACT
    assert set(out["casualties"]) == {"killed", "injured"}
    for e in out["evidence"] + out["vague"]:
        assert text[e["start"]:e["end"]] == e["text"]
        assert e["text"] in e["sentence"] and e["sentence"] in text
    from eventcoder import predict
    from eventcoder.incidents.annotate import when_where

    assert predict([text], model=predictor)[0] == {"id": "row-1", "row": 1, **out, **when_where(text)}


def test_predict_the_cli_the_server_and_ray_emit_one_validated_record(trained, predictor, client, tmp_path):
    """The four paths build their records with `schema.prediction_record`: the same keys in the same
    order, the same values for the same article, and every one a valid `Prediction`."""
    from eventcoder import predict
    from eventcoder.cli import main
    from eventcoder.schema import Prediction

    articles = [{"id": "k-1", "title": "Blast kills 4", "text": "A bomb killed 4 people in a market."},
                {"id": "k-2", "text": "Crowds marched against fuel prices."}]
    via_predict = predict(articles, predictor)
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(a) + "\n" for a in articles))
    assert main(["predict", "--input", str(inp), "--output", str(tmp_path / "o.jsonl"), "--model", str(trained),
                 "--backend", "torch", "--no-progress"]) == 0
    via_cli = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    via_server = client.post("/predict", json={"texts": articles}).json()["predictions"]
    assert via_predict == via_cli == via_server
    assert [r["id"] for r in via_cli] == ["k-1", "k-2"] and [r["row"] for r in via_cli] == [1, 2]
    assert list(via_cli[0]) == [f for f in Prediction.model_fields if f != "file"]
    # the headline is put first, as in training: the record is that of the text the model was trained to read
    assert via_predict[0] == predict(["Blast kills 4\n\nA bomb killed 4 people in a market."], predictor)[0] | {"id": "k-1"}
    for record in via_cli:
        Prediction.model_validate(record)
    with pytest.raises(ValueError):  # a field the Predictor adds without the schema knowing it
        Prediction.model_validate({**via_cli[0], "unexpected": 1})


def test_sentence_span():
    text = "First one. Then 14 soldiers died! Last line\nNext line 3 here."
    s = text.index("14")
    left, right = sentence_span(text, s, s + 2)
    assert text[left:right] == "Then 14 soldiers died!" and left == text.index("Then")
    s = text.index("3 here")
    assert text[slice(*sentence_span(text, s, s + 1))] == "Next line 3 here."


def test_empty_text_is_refused_with_a_clear_error(predictor):
    with pytest.raises(ValueError, match="text 1 is empty"):
        predictor(["Fine text.", "   "])


def write_inputs(path: Path, n: int, bad_rows: dict[int, str]) -> None:
    lines = []
    for i in range(1, n + 1):
        lines.append(bad_rows.get(i) or json.dumps({"id": f"a{i}", "text": f"Police said {i} people were hurt."}))
    path.write_text("\n".join(lines) + "\n")


class CountingPredictor:
    """Wraps a Predictor; counts texts coded; can fail after a number of calls (a crash)."""

    def __init__(self, inner, fail_after: int | None = None) -> None:
        self.inner, self.fail_after, self.calls, self.texts = inner, fail_after, 0, 0

    def __call__(self, texts, batch_size=16):
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise KeyboardInterrupt("simulated kill")
        self.texts += len(texts)
        return self.inner(texts, batch_size=batch_size)


def test_batch_with_bad_rows_counts_add_up(predictor, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inp, 40, {7: "{oops", 19: json.dumps({"id": "e", "text": ""}), 33: json.dumps({"id": "n"})})
    counts = predict_file(inp, out, predictor, chunk_size=16, progress=False)
    assert counts == {"rows": 40, "predictions": 37, "errors": 3, "chunks_resumed": 0}
    preds = [json.loads(x) for x in out.read_text().splitlines()]
    errs = [json.loads(x) for x in Path(str(out) + ".errors.jsonl").read_text().splitlines()]
    assert [p["row"] for p in preds] == [r for r in range(1, 41) if r not in (7, 19, 33)]  # input order
    assert sorted(e["row"] for e in errs) == [7, 19, 33] and all(e["file"] == str(inp) for e in errs)
    assert all(set(p) >= CONTRACT for p in preds)


def test_interrupted_batch_resumes_without_loss_or_duplicates(predictor, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inp, 50, {})
    crashing = CountingPredictor(predictor, fail_after=2)
    with pytest.raises(KeyboardInterrupt):
        predict_file(inp, out, crashing, chunk_size=10, progress=False)
    assert not out.exists()  # complete or absent
    again = CountingPredictor(predictor)
    counts = predict_file(inp, out, again, chunk_size=10, progress=False)
    assert counts["chunks_resumed"] == 2 and again.texts == 30  # only the unfinished rows were coded
    ids = [json.loads(x)["id"] for x in out.read_text().splitlines()]
    assert ids == [f"a{i}" for i in range(1, 51)]


def test_csv_and_folder_inputs(predictor, tmp_path):
    csv_in = tmp_path / "in.csv"
    csv_in.write_text('id,text\nx1,"Two soldiers died."\nx2,""\n')
    counts = predict_file(csv_in, tmp_path / "o.jsonl", predictor, progress=False)
    assert (counts["predictions"], counts["errors"]) == (1, 1)
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "a.txt").write_text("A bomb killed 3 people.")
    (folder / "b.txt").write_bytes(b"\xff\xfe bad")
    counts = predict_file(folder, tmp_path / "o2.jsonl", predictor, progress=False)
    assert (counts["predictions"], counts["errors"]) == (1, 1)
    # one .txt file is one article, however many lines it has, named by its file
    one = tmp_path / "ramadi.txt"
    one.write_text("Headline\n\nA bomb killed 3 people.\n\nTwo more were hurt.\n")
    counts = predict_file(one, tmp_path / "o3.jsonl", predictor, progress=False)
    assert (counts["predictions"], counts["errors"]) == (1, 0)
    assert json.loads((tmp_path / "o3.jsonl").read_text())["id"] == "ramadi"
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        predict_file(tmp_path / "missing.txt", tmp_path / "o4.jsonl", predictor, progress=False)


def test_cli_predict(trained, tmp_path):
    from eventcoder.cli import main

    inp = tmp_path / "in.jsonl"
    write_inputs(inp, 5, {2: "not json"})
    assert main(["predict", "--input", str(inp), "--output", str(tmp_path / "o.jsonl"), "--model", str(trained),
                 "--backend", "torch", "--no-progress"]) == 0
    assert len((tmp_path / "o.jsonl").read_text().splitlines()) == 4


def test_cli_writes_a_flat_csv_or_parquet_table_colleagues_can_read(trained, tmp_path):
    """One row per article, in input order: id, row, event type, totals, a column per outcome and
    group, vague words and evidence as text; the row with an empty text is an error record; the
    files follow the umask."""
    import csv
    import os
    import stat

    import pyarrow.parquet as pq

    from eventcoder.cli import main
    from eventcoder.tables import columns

    inp = tmp_path / "in.csv"
    with open(inp, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows([["a-1", "Gunmen killed 12 villagers in Ukora on Monday."], ["a-2", ""],
                     ["a-3", "Police said three protesters were hurt."]])
    old = os.umask(0o022)
    try:
        for name, fmt in (("out.csv", []), ("out.parquet", []), ("table.txt", ["--format", "csv"])):
            assert main(["predict", "--input", str(inp), "--output", str(tmp_path / name), "--model", str(trained),
                         "--backend", "torch", "--no-progress", *fmt]) == 0
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
    finally:
        os.umask(old)
    cols = columns(Predictor.from_pretrained(trained).mention_labels)
    assert {"killed_civilians", "injured_security_forces", "evidence", "vague"} <= set(cols)
    with open(tmp_path / "out.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["a-1", "a-3"] and list(rows[0]) == cols
    assert rows[0]["row"] == "1" and rows[1]["row"] == "3"
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [r["id"] for r in table] == ["a-1", "a-3"] and list(table[0]) == cols
    assert [r["killed"] for r in table] == [int(r["killed"]) for r in rows]
    assert (tmp_path / "table.txt").read_text().splitlines()[0] == ",".join(cols)
    errors = [json.loads(x) for x in (tmp_path / "out.csv.errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["field"], e["id"]) for e in errors] == [(2, "text", "a-2")]


def test_cli_codes_an_acled_export_by_its_own_columns_to_csv_and_parquet(trained, tmp_path):
    """An ACLED-format CSV coded as it comes (`--text-column notes --id-column event_id_cnty`): ids
    echoed in every record and error, the table's columns, the empty-text row an error record, and
    the output files readable by colleagues under umask 022."""
    import csv
    import os
    import stat

    import pyarrow.parquet as pq

    from eventcoder.cli import main
    from eventcoder.tables import columns

    inp = tmp_path / "acled.csv"
    with open(inp, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["event_id_cnty", "event_date", "event_type", "notes", "fatalities"])
        w.writerows([["SOM3001", "2022-05-01", "Battles", "Militants attacked a base; 5 soldiers were killed.", "5"],
                     ["SOM3002", "2022-05-02", "Protests", "", "0"],
                     ["SOM3003", "2022-05-03", "Riots", "Youths burned tyres in Baidoa.", "0"]])
    old = os.umask(0o022)
    try:
        for name in ("coded.csv", "coded.parquet"):
            assert main(["predict", "--input", str(inp), "--output", str(tmp_path / name), "--model", str(trained),
                         "--text-column", "notes", "--id-column", "event_id_cnty", "--backend", "torch",
                         "--no-progress"]) == 0
            for f in (tmp_path / name, tmp_path / f"{name}.errors.jsonl"):
                assert stat.S_IMODE(f.stat().st_mode) == 0o644
    finally:
        os.umask(old)
    cols = columns(Predictor.from_pretrained(trained).mention_labels)
    with open(tmp_path / "coded.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = pq.read_table(tmp_path / "coded.parquet").to_pylist()
    for got in (rows, table):
        assert [r["id"] for r in got] == ["SOM3001", "SOM3003"] and list(got[0]) == cols
    for name in ("coded.csv", "coded.parquet"):
        errors = [json.loads(x) for x in (tmp_path / f"{name}.errors.jsonl").read_text().splitlines()]
        assert [(e["file"], e["row"], e["field"], e["id"]) for e in errors] == [(str(inp), 2, "notes", "SOM3002")]


@pytest.fixture(scope="module")
def client(trained):
    from fastapi.testclient import TestClient

    from eventcoder.serve import Limits, create_app

    return TestClient(create_app(trained, backend="torch", limits=Limits(max_body_bytes=5000, max_texts=3,
                                                                         max_text_chars=1000)))


def test_server_endpoints_and_limits(client):
    assert client.get("/health").json() == {"status": "ok"}
    info = client.get("/model").json()
    assert info["event_labels"][-1] == "none" and "eventcoder model" in info["card"]
    r = client.post("/predict", json={"texts": ["A bomb killed 3 people.", "Crowds marched."]})
    assert r.status_code == 200 and len(r.json()["predictions"]) == 2
    assert set(r.json()["predictions"][0]) >= CONTRACT
    assert client.post("/predict", json={"texts": ["a"] * 4}).status_code == 422
    too_long = client.post("/predict", json={"texts": ["x" * 1001]})
    assert too_long.status_code == 422 and "1000" in too_long.text and "texts" in too_long.text
    assert client.post("/predict", json={"texts": [" "]}).status_code == 422
    assert client.post("/predict", json={"texts": ["\x1f\x1c "]}).status_code == 422  # blank to str.strip()
    big = client.post("/predict", content=b'{"texts": ["' + b"y" * 6000 + b'"]}',
                      headers={"content-type": "application/json"})
    assert big.status_code == 413 and "limit" in big.json()["detail"]
    assert client.post("/predict", json={"texts": ["a"], "text": "b"}).status_code == 422  # unknown field
    assert client.post("/predict", json={}).status_code == 422
    assert "/predict" in client.get("/openapi.json").json()["paths"]


def test_the_server_echoes_ids_and_answers_bad_items_in_plain_words(client):
    r = client.post("/predict", json={"texts": [{"id": "a-7", "title": "Two killed", "text": "Two were shot dead."},
                                                "Crowds marched."]})
    assert r.status_code == 200 and [p["id"] for p in r.json()["predictions"]] == ["a-7", "row-2"]
    r = client.post("/predict", json={"texts": [" ", {"id": "x", "text": "y" * 1001}, 7]})
    assert r.status_code == 422
    msgs = [d["msg"] for d in r.json()["detail"]]
    assert msgs == ["item 1: the text is blank", "item 2: the text is longer than 1000 characters",
                    "item 3: expected a text or an object with 'text' (and 'id', 'title')"]
    assert "[^" not in r.text and "should match" not in r.text  # no regular expression in the answer
    assert client.post("/predict", json={"texts": ["a"] * 4}).json()["detail"][0]["msg"] == \
        "more than 3 texts in one request"


def test_the_api_docs_load_their_assets_from_the_server_not_a_cdn(client):
    import re

    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']?([^"' >]+)|url: ?'([^']+)'""", page.text)
    urls = [a or b for a, b in assets] + re.findall(r"https?://[^\s\"']+", page.text)
    assert urls and not [u for u in urls if u.startswith("http")], urls
    for u in urls:
        if u.endswith((".js", ".css")):
            assert client.get(u).status_code == 200, u


def test_the_non_blank_pattern_is_pythons_isspace_for_every_code_point():
    import re
    from typing import Annotated

    from pydantic import StringConstraints, TypeAdapter

    from eventcoder.serve import NON_BLANK

    python_re, schema = re.compile(NON_BLANK), TypeAdapter(Annotated[str, StringConstraints(pattern=NON_BLANK)])
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert bool(python_re.search(ch)) is not ch.isspace(), hex(code)
        if ch.isspace() or code < 0x3100:  # the validator on every blank and on the first 12,544 others
            try:
                schema.validate_python(ch)
                accepted = True
            except ValueError:
                accepted = False
            assert accepted is not ch.isspace(), hex(code)


def test_a_text_the_predictor_refuses_is_a_422_not_a_500(client, monkeypatch):
    from eventcoder.predictor import Predictor

    def refuse(self, texts, batch_size=16):
        raise ValueError("text 0 is empty or not a string")

    monkeypatch.setattr(Predictor, "__call__", refuse)
    r = client.post("/predict", json={"texts": ["anything"]})
    assert r.status_code == 422 and "text 0 is empty" in r.json()["detail"]


def test_server_serves_concurrent_requests(client):
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Attackers killed {i} soldiers." for i in range(2, 14)]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda t: client.post("/predict", json={"texts": [t]}), texts))
    assert all(r.status_code == 200 for r in results)
    evidence = [r.json()["predictions"][0]["evidence"] for r in results]
    for t, ev in zip(texts, evidence, strict=True):  # each answer belongs to its own request
        assert all(t[e["start"]:e["end"]] == e["text"] for e in ev)


def test_onnx_backend_agrees_with_torch(trained, tmp_path):
    from eventcoder.data.readers import load_sample
    from eventcoder.export import export_onnx

    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    files = export_onnx(d)
    assert files == [d / "model.onnx"]
    texts = [a.text for a in load_sample("test")]
    torch_out = Predictor.from_pretrained(d, backend="torch")(texts)
    onnx_p = Predictor.from_pretrained(d, backend="onnx")
    assert onnx_p.backend == "onnx" and Predictor.from_pretrained(d).backend == "torch"  # auto, nothing measured yet
    onnx_out = onnx_p(texts)
    same_event = sum(a["event_type"] == b["event_type"] for a, b in zip(torch_out, onnx_out, strict=True))
    same_totals = sum((a["killed"], a["injured"]) == (b["killed"], b["injured"])
                      for a, b in zip(torch_out, onnx_out, strict=True))
    assert same_event >= 0.99 * len(texts) and same_totals >= 0.99 * len(texts)


def test_quantize_encoder_with_a_layer_filter_quantises_only_those_layers(trained):
    from eventcoder.model import EventCoderModel
    from eventcoder.runtimes import quantize_encoder

    model = quantize_encoder(EventCoderModel.from_pretrained(str(trained)).eval(), lambda n: n.endswith("query"))
    quantised = {n for n, m in model.named_modules() if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)}
    linear = {n for n, m in model.encoder.named_modules() if isinstance(m, torch.nn.Linear)}
    assert quantised and all(n.startswith("encoder.") and n.endswith("query") for n in quantised)
    assert any(n.endswith("key") for n in linear)  # the other layers stay fp32 torch.nn.Linear


def test_torch_int8_keeps_the_heads_in_fp32_and_agrees_with_torch(trained):
    from eventcoder.data.readers import load_sample

    texts = [a.text for a in load_sample("test")]
    int8 = Predictor.from_pretrained(trained, backend="torch-int8")
    quantised = {n for n, m in int8.model.named_modules() if "quantized" in type(m).__module__}
    assert quantised and all(n.startswith("encoder.") for n in quantised)
    layer = int8.model.get_submodule(sorted(quantised)[0])
    assert layer.weight().qscheme() == torch.per_channel_affine  # one scale per output channel
    assert isinstance(int8.model.event_head, torch.nn.Linear) and int8.model.event_head.weight.dtype == torch.float32
    fp32 = Predictor.from_pretrained(trained, backend="torch")
    raw = list(zip(fp32.score(texts), int8.score(texts), strict=True))  # each model run once; decoded below
    assert sum(fp32.decode(t, a)["event_type"] == int8.decode(t, b)["event_type"]
               for t, (a, b) in zip(texts, raw, strict=True)) >= 0.99 * len(texts)
    # The raw scores, not the totals: this 4-step model gives every mention label about 1/9, so a total
    # turns on ties a millionth wide, and which way one falls changed between runs of one code. Whether
    # int8 keeps a trained model's totals is measured by `export` on the model itself and decides
    # the default (test below); here, what quantising the encoder may change must stay small.
    for a, b in raw:
        assert torch.allclose(a.window_event_log_probs.exp(), b.window_event_log_probs.exp(), atol=1e-3)
        assert torch.allclose(a.mention_probs, b.mention_probs, atol=1e-3)


def test_export_records_the_fastest_agreeing_backend_and_auto_uses_it(trained, tmp_path, monkeypatch, capsys):
    from eventcoder import export
    from eventcoder.cli import main

    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    assert main(["export", "--model", str(d), "--int8"]) == 0
    record = json.loads((d / "backend.json").read_text())
    assert set(record["measured"]) == {"torch", "torch-int8", "onnx", "onnx-int8"}
    assert record["measured"]["torch"]["same_totals"] == 1.0
    agreeing = [n for n, m in record["measured"].items() if min(m["same_event_type"], m["same_totals"]) >= 0.99]
    assert record["default"] == max(agreeing, key=lambda n: record["measured"][n]["articles_per_second"])
    assert Predictor.from_pretrained(d).backend == record["default"]
    assert f"default backend (auto): {record['default']}" in capsys.readouterr().out

    # a backend off on the totals is never chosen, however fast: make every non-torch backend disagree
    real_call = Predictor.__call__

    def off_by_one(self, texts, batch_size=16):
        out = real_call(self, texts, batch_size)
        return out if self.backend == "torch" else [{**o, "killed": o["killed"] + 1} for o in out]

    monkeypatch.setattr(Predictor, "__call__", off_by_one)
    assert export.choose_backend(d, ["Two soldiers were killed."] * 3)["default"] == "torch"
    assert Predictor.from_pretrained(d).backend == "torch"


class CountOnly:
    """A stand-in predictor (same call signature, no model): the batch bookkeeping at scale."""

    def __call__(self, texts, batch_size=16):
        return [{"event_type": "none", "score": 1.0, "scores": {"none": 1.0}, "killed": 0, "injured": 0,
                 "casualties": {"killed": {}, "injured": {}}} for _ in texts]


def test_ten_thousand_rows_with_three_bad_give_9997_predictions(tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inp, 10_000, {17: "{bad", 5000: json.dumps({"id": "x", "text": "  "}), 9999: "[1, 2]"})
    counts = predict_file(inp, out, CountOnly(), chunk_size=512, progress=False)
    assert (counts["predictions"], counts["errors"]) == (9997, 3)
    rows = [json.loads(x)["row"] for x in out.read_text().splitlines()]
    assert len(rows) == len(set(rows)) == 9997 and rows == sorted(rows)
    errs = [json.loads(x) for x in Path(str(out) + ".errors.jsonl").read_text().splitlines()]
    assert sorted(e["row"] for e in errs) == [17, 5000, 9999]


def test_unwritable_output_gives_a_clear_error_and_no_file(predictor, tmp_path):
    inp = tmp_path / "in.jsonl"
    write_inputs(inp, 3, {})
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where a folder should be")
    out = blocker / "out.jsonl"
    with pytest.raises(OSError, match="cannot write the output .*out.jsonl"):
        predict_file(inp, out, predictor, progress=False)
    assert not out.exists()


def test_model_dir_with_mismatched_label_maps_is_named(trained, tmp_path):
    d = tmp_path / "m"
    shutil.copytree(trained, d, ignore=shutil.ignore_patterns("checkpoints", "runs"))
    maps = json.loads((d / "label_maps.json").read_text())
    maps["event_labels"] = list(reversed(maps["event_labels"]))
    (d / "label_maps.json").write_text(json.dumps(maps))
    with pytest.raises(ValueError, match="label_maps.json does not match"):
        Predictor.from_pretrained(d)


def test_evaluating_with_another_taxonomy_names_the_model_config(compose_config, trained, tmp_path):

    from eventcoder.evaluate import evaluate_model

    cfg = compose_config("evaluate", [f"model_dir={trained}", "taxonomy=ucdp", f"output_dir={tmp_path}/r"])
    with pytest.raises(ValueError, match="config.json: the model's labels are of taxonomy 'acled', not 'ucdp'"):
        evaluate_model(cfg)
