"""HTTP server: `eventcoder serve --model DIR` (FastAPI + uvicorn).

POST /predict with {"texts": [...]}, each a text or {"id", "title", "text"} → {"predictions": [...]},
the records of `predict()` and the CLI (`schema.Prediction`: the given id, else `row-N`; the headline
first). GET /health; GET /model (card, labels, taxonomy); OpenAPI at /openapi.json, API docs at
/docs and /redoc served from the installed package (fastapi-offline), so they work offline. Limits
answer 413 (body too large) or 422 with a plain message naming the item (too many texts, a text too
long, a blank text); the limits are written into the OpenAPI schema. Model calls run one at a time
in a worker thread, so concurrent requests are all served.
"""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from eventcoder.batch import DEFAULT_BATCH_SIZE
from eventcoder.model_dir import CARD_FILE, read_label_maps
from eventcoder.schema import Prediction


class Limits(BaseModel):
    max_body_bytes: int = 2_000_000
    max_texts: int = 64
    max_text_chars: int = 200_000


# A character that is not white space to Python's str.isspace (the Predictor's blank test), spelt
# out because regex engines disagree on `\s`: the schema's validator (Rust) and ECMA-262 (clients,
# schemathesis) differ from Python on U+001C-U+001F, U+0085 and U+FEFF. A test checks every code point.
NON_BLANK = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def request_model(limits: Limits) -> type[BaseModel]:
    """The POST /predict body, with the server's limits written into its JSON Schema."""
    from typing import Annotated

    from pydantic import Discriminator, StringConstraints, Tag, create_model

    text = Annotated[str, StringConstraints(min_length=1, max_length=limits.max_text_chars,
                                            pattern=NON_BLANK)]
    item = create_model("ArticleItem", __config__=ConfigDict(extra="forbid"),
                        id=(str | None, Field(default=None, max_length=200, description="echoed in the record")),
                        title=(str | None, Field(default=None, max_length=2_000,
                                                 description="the headline, put before the text")),
                        text=(text, Field(description="the article (non-blank)")),
                        date=(str | None, Field(default=None, max_length=40,
                                                description="the article's date: \"yesterday\" is read against it")))
    # the shape is chosen before validation, by the project's own tags: each item's errors are those
    # of the shape it has, and a value of neither shape gets one plain error
    entry = Annotated[Annotated[text, Tag("text")] | Annotated[item, Tag("item")],
                      Discriminator(_shape, custom_error_type="item_type", custom_error_message=ITEM_SHAPES)]
    return create_model(
        "PredictRequest", __config__=ConfigDict(extra="forbid"),
        texts=(list[entry], Field(min_length=1, max_length=limits.max_texts,
                                  description="articles to code: texts, or {id, title, text} items")),
        batch_size=(int, Field(default=DEFAULT_BATCH_SIZE, ge=1, le=64)))


ITEM_SHAPES = "expected a text or an object with 'text' (and 'id', 'title')"


def _shape(value: Any) -> str | None:
    """Which shape an item of `texts` has: "text", "item" (an object) or neither (None)."""
    return "text" if isinstance(value, str) else "item" if isinstance(value, dict | BaseModel) else None


def plain_errors(errors: list[dict[str, Any]], limits: Limits) -> list[dict[str, Any]]:
    """Validation errors as a reader would say them, naming the item: no regular expressions,
    and without the shape's tag in the location (`texts.2.item.text` is item 3's text)."""
    out = []
    for e in errors:
        loc = [p for p in e.get("loc", ()) if p != "body"]
        if len(loc) > 2 and loc[0] == "texts" and isinstance(loc[1], int) and loc[2] in ("text", "item"):
            del loc[2]
        out.append({"loc": ["body", *loc], "type": e.get("type", ""), "msg": _plain({**e, "loc": loc}, limits)})
    return out


def _where(loc: list[Any]) -> str:
    if len(loc) > 1 and loc[0] == "texts" and isinstance(loc[1], int):
        return f"item {loc[1] + 1}" + (f" field '{loc[2]}'" if len(loc) > 2 and loc[2] != "text" else "")
    return ".".join(map(str, loc)) or "request"


def _plain(error: dict[str, Any], limits: Limits) -> str:
    where, kind = _where(error["loc"]), error.get("type", "")
    if kind == "string_pattern_mismatch":
        return f"{where}: the text is blank"
    if kind == "string_too_short":
        return f"{where}: the text is empty"
    if kind == "string_too_long" and (error["loc"][-1] == "text" or len(error["loc"]) == 2):
        return f"{where}: the text is longer than {limits.max_text_chars} characters"
    if kind == "too_long" and error["loc"] == ["texts"]:
        return f"more than {limits.max_texts} texts in one request"
    return f"{where}: {error.get('msg', 'invalid')}"


class PredictResponse(BaseModel):
    predictions: list[Prediction]


class ModelInfo(BaseModel):
    model_dir: str
    backend: str
    event_labels: list[str]
    mention_labels: list[str]
    taxonomy: dict[str, Any]
    card: str


def create_app(model_dir: str | Path, backend: str = "auto", limits: Limits | None = None, predictor: Any = None,
               device: str | None = None):
    from fastapi import HTTPException, Request
    from fastapi.encoders import jsonable_encoder
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from fastapi_offline import FastAPIOffline

    from eventcoder.predictor import Predictor
    from eventcoder.predictor import predict as code_articles

    limits = limits or Limits()
    model_dir = Path(model_dir)
    pred = predictor or Predictor.from_pretrained(model_dir, backend=backend, device=device)
    lock = threading.Lock()  # one model call at a time; requests wait in worker threads
    app = FastAPIOffline(title="eventcoder", version=_version(),
                         description="Event type and casualty figures, with evidence, from news articles.")

    @app.exception_handler(RequestValidationError)
    async def plain_422(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content=jsonable_encoder({"detail": plain_errors(exc.errors(), limits)}))

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > limits.max_body_bytes:
            return JSONResponse(status_code=413, content={
                "detail": f"request body of {size} bytes is over the limit of {limits.max_body_bytes}"})
        return await call_next(request)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/model", response_model=ModelInfo)
    def model_info() -> ModelInfo:
        card = (model_dir / CARD_FILE).read_text() if (model_dir / CARD_FILE).is_file() else ""
        maps = read_label_maps(model_dir)
        return ModelInfo(model_dir=str(model_dir), backend=pred.backend, event_labels=pred.event_labels,
                         mention_labels=pred.mention_labels, taxonomy=maps.get("taxonomy", {}), card=card)

    PredictRequest = request_model(limits)  # noqa: N806

    async def predict(req):  # annotated below: the request model is built from the limits at run time
        articles = [t if isinstance(t, str) else t.model_dump() for t in req.texts]

        def run_model() -> list[dict[str, Any]]:
            with lock:
                return code_articles(articles, pred, req.batch_size)

        try:
            results = await asyncio.to_thread(run_model)
        except ValueError as e:  # a text the Predictor refuses (e.g. blank): the client's error, not ours
            raise HTTPException(status_code=422, detail=str(e)) from None
        return PredictResponse(predictions=[Prediction(**r) for r in results])  # already validated records

    predict.__annotations__ = {"req": PredictRequest, "return": PredictResponse}
    app.post("/predict", response_model=PredictResponse,
             responses={413: {"description": "body too large"},
                        422: {"description": "invalid input or over a limit"}})(predict)

    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eventcoder")
    except PackageNotFoundError:
        return "0+unknown"


def run(model_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, backend: str = "auto",
        device: str | None = None) -> None:
    import uvicorn

    uvicorn.run(create_app(model_dir, backend=backend, device=device), host=host, port=port, log_level="info")
