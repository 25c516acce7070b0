"""The record: Article (input, optionally labelled), Casualty mention, Prediction (output).

Labels are plain strings here and are checked against a `Taxonomy` (see `taxonomy.py`), so a taxonomy
swap needs no change to these models. `parse_article` turns a raw dict into an Article and raises a
`RecordError` naming the file, the row and the field when it cannot.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class RecordError(ValueError):
    """A record that cannot be used; says where (file, row, field) and why."""

    def __init__(self, file: str | None, row: int | None, field: str | None, reason: str,
                 record_id: str | None = None) -> None:
        self.file, self.row, self.field, self.reason, self.record_id = file, row, field, reason, record_id
        where = f"{file or '<input>'}" + (f", row {row}" if row is not None else "")
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{reason}")

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "field": self.field, "reason": self.reason,
                "id": self.record_id}


class Provenance(BaseModel):
    """Where a record came from: the file, its row (1-based data row) and the source's own id."""

    model_config = ConfigDict(extra="forbid")
    file: str | None = None
    row: int | None = None
    source_id: str | None = None
    dataset: str | None = None


class Casualty(BaseModel):
    """One number mention that backs a casualty figure.

    `count` is None for vague quantities, which keep their word in `vague`. Offsets are optional on
    input (a `quote`, optionally inside a unique `context`, is resolved by the loader).
    """

    model_config = ConfigDict(extra="ignore")
    outcome: str
    group: str
    count: int | None = Field(default=None, ge=0)
    vague: str | None = None
    quote: str | None = None
    context: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _count_or_vague(self) -> Casualty:
        if self.count is None and not self.vague:
            raise ValueError("a casualty needs a count or a vague word")
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end go together")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        return self


class Article(BaseModel):
    """An article, with gold labels when it is annotated.

    `event_type=None` means unlabelled; `casualties=None` means casualty labels are unknown (masked),
    while `[]` means "labelled: no casualty mention".
    """

    model_config = ConfigDict(extra="ignore")
    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    region: str | None = None
    split: str | None = None
    event_type: str | None = None
    killed_total: int | None = Field(default=None, ge=0)
    injured_total: int | None = Field(default=None, ge=0)
    casualties: list[Casualty] | None = None
    # Counts without spans, as exports give them: {outcome: {group: count}}; an outcome absent here
    # and from `casualties` is unknown for this record (its mention labels are masked).
    counts: dict[str, dict[str, int]] | None = None
    # Casualty spans were annotated from this character on: a headline put before the annotated text
    # (`labels.headline_first`) was never labelled, so its numbers are unknown, not "no casualty".
    labelled_from: int = Field(default=0, ge=0)
    notes: str | None = None
    provenance: Provenance = Field(default_factory=Provenance)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, v: str) -> str:
        if not v or not v.strip():
            raise ValueError("text is empty")
        return v

    @field_validator("id", mode="before")
    @classmethod
    def _id_to_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


class Evidence(BaseModel):
    """The mention behind a predicted figure: what it says, where, and the sentence around it."""

    model_config = ConfigDict(extra="forbid")
    outcome: str
    group: str
    count: int | None
    vague: str | None = None
    start: int
    end: int
    text: str
    sentence: str
    score: float


class When(BaseModel):
    """The event's date, its precision (day, week, month) and the words that give it (null when the
    article's date stands in)."""

    date: str
    precision: str
    text: str | None = None
    start: int | None = None
    end: int | None = None
    article_date: str | None = None


class Where(BaseModel):
    """The event's country, first-level region and place, with coordinates, a UCDP-style precision
    (place 1, admin1 4, country 6) and the mention that gives it."""

    country: str
    country_code: str
    admin1: str | None = None
    admin1_code: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: str
    precision_code: int
    text: str | None = None
    start: int | None = None
    end: int | None = None


class Prediction(BaseModel):
    """The output contract: `predict()`, the batch CLI, the server and the Ray engine all build their
    records with `prediction_record`, so all four emit this one validated shape (docs/record.md)."""

    model_config = ConfigDict(extra="forbid")  # a field the Predictor adds must be added here first
    file: str | None = Field(default=None, exclude_if=lambda v: v is None,
                             description="the input shard: Ray engine only, absent elsewhere")
    id: str | None = None
    row: int | None = Field(default=None, ge=1)  # 1-based: the file's data row, or the position in a list
    event_type: str
    score: float
    scores: dict[str, float]
    killed: int
    injured: int
    casualties: dict[str, dict[str, int | str]]
    vague: list[Evidence] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    when: When | None = None
    where: Where | None = None


def prediction_record(prediction: dict[str, Any], id: str | None, row: int | None,
                      file: str | None = None) -> dict[str, Any]:
    """One output record: the Predictor's prediction with the input's id and row (and, on Ray, the
    shard's file), validated by `Prediction` and dumped in its field order."""
    return Prediction.model_validate({"file": file, "id": id, "row": row, **prediction}).model_dump(mode="json")


def default_id(row: int) -> str:
    """The id of an input that gives none: its row, as every path names it."""
    return f"row-{row}"


class ErrorRecord(BaseModel):
    """A rejected input row: kept, never silently dropped."""

    file: str | None = None
    row: int | None = None
    field: str | None = None
    reason: str
    id: str | None = None


def _first_error_field(err: ValidationError) -> tuple[str, str]:
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or None
    return field or "", first["msg"]


class LabelSet(Protocol):
    """What `parse_article` checks labels against: a `taxonomy.Taxonomy` (named here by what it does,
    so the record types do not import the label sets built on them)."""

    def check_article(self, article: Article, file: str | None = None, row: int | None = None) -> None: ...


def parse_article(obj: Any, file: str | None = None, row: int | None = None,
                  taxonomy: LabelSet | None = None) -> Article:
    """Validate one raw record; raise RecordError naming file, row and field on failure."""
    if not isinstance(obj, dict):
        raise RecordError(file, row, None, f"expected a JSON object, got {type(obj).__name__}")
    record_id = obj.get("id")
    data = dict(obj)
    if "provenance" not in data:
        data["provenance"] = {"file": file, "row": row, "source_id": str(record_id) if record_id else None}
    try:
        article = Article.model_validate(data)
    except ValidationError as e:
        field, msg = _first_error_field(e)
        raise RecordError(file, row, field, msg, str(record_id) if record_id else None) from None
    if taxonomy is not None:
        taxonomy.check_article(article, file=file, row=row)
    return article


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the record types users read and write."""
    return {name: model.model_json_schema() for name, model in
            {"Article": Article, "Casualty": Casualty, "Prediction": Prediction,
             "ErrorRecord": ErrorRecord}.items()}


def write_json_schemas(out_dir: str | Path) -> list[Path]:
    """Write one `<Name>.schema.json` per record type into out_dir (atomically)."""
    from eventcoder.io import atomic_write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = out / f"{name}.schema.json"
        atomic_write_text(path, json.dumps(schema, indent=2) + "\n")
        written.append(path)
    return written
