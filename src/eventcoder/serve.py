"""HTTP server: `eventcoder serve --model DIR` (FastAPI + uvicorn).

POST /predict with {"texts": [...]} → {"predictions": [...]} in the contract of DESIGN.md;
GET /health; GET /model (card, labels, taxonomy); OpenAPI at /openapi.json and /docs. Limits answer
413 (body too large) or 422 (too many texts, text too long, blank text: pydantic's message names the
field and the limit); the limits are written into the OpenAPI schema. Model calls run one at a time in a worker thread, so concurrent requests are all served.
"""
from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from eventcoder.batch import DEFAULT_BATCH_SIZE
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

    from pydantic import StringConstraints, create_model

    article = Annotated[str, StringConstraints(min_length=1, max_length=limits.max_text_chars,
                                               pattern=NON_BLANK)]
    return create_model(
        "PredictRequest", __config__=ConfigDict(extra="forbid"),
        texts=(list[article], Field(min_length=1, max_length=limits.max_texts,
                                    description="articles to code (non-blank)")),
        batch_size=(int, Field(default=DEFAULT_BATCH_SIZE, ge=1, le=64)))


class PredictResponse(BaseModel):
    predictions: list[Prediction]


class ModelInfo(BaseModel):
    model_dir: str
    backend: str
    event_labels: list[str]
    mention_labels: list[str]
    taxonomy: dict[str, Any]
    card: str


def create_app(model_dir: str | Path, backend: str = "auto", limits: Limits | None = None, predictor: Any = None):
    from fastapi import FastAPI, HTTPException, Request
    from fastapi.responses import JSONResponse

    from eventcoder.predictor import Predictor

    limits = limits or Limits()
    model_dir = Path(model_dir)
    pred = predictor or Predictor.from_pretrained(model_dir, backend=backend)
    lock = threading.Lock()  # one model call at a time; requests wait in worker threads
    app = FastAPI(title="eventcoder", version="0.1.0",
                  description="Event type and casualty figures, with evidence, from news articles.")

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
        card = (model_dir / "README.md").read_text() if (model_dir / "README.md").is_file() else ""
        maps = json.loads((model_dir / "label_maps.json").read_text())
        return ModelInfo(model_dir=str(model_dir), backend=pred.backend, event_labels=pred.event_labels,
                         mention_labels=pred.mention_labels, taxonomy=maps.get("taxonomy", {}), card=card)

    PredictRequest = request_model(limits)  # noqa: N806

    async def predict(req):  # annotated below: the request model is built from the limits at run time
        texts = req.texts
        def run_model() -> list[dict[str, Any]]:
            with lock:
                return pred(texts, req.batch_size)

        try:
            results = await asyncio.to_thread(run_model)
        except ValueError as e:  # a text the Predictor refuses (e.g. blank): the client's error, not ours
            raise HTTPException(status_code=422, detail=str(e)) from None
        return PredictResponse(predictions=[Prediction(**r) for r in results])

    predict.__annotations__ = {"req": PredictRequest, "return": PredictResponse}
    app.post("/predict", response_model=PredictResponse,
             responses={413: {"description": "body too large"},
                        422: {"description": "invalid input or over a limit"}})(predict)

    return app


def run(model_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, backend: str = "auto") -> None:
    import uvicorn

    uvicorn.run(create_app(model_dir, backend=backend), host=host, port=port, log_level="info")
