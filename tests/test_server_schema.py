"""Schemathesis against the server's own OpenAPI schema: no 5xx, responses match the schema."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def api_schema(trained):
    from eventcoder.serve import Limits, create_app

    app = create_app(trained, backend="torch", limits=Limits(max_body_bytes=20_000, max_texts=4,
                                                             max_text_chars=2_000))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize(("path", "method"), [("/predict", "POST"), ("/health", "GET"), ("/model", "GET")])
def test_api_conforms_to_its_schema(api_schema, path, method):
    operation = api_schema[path][method]
    seen = []

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        case = data.draw(operation.as_strategy())
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, response.text
        case.validate_response(response)

    run()
    assert seen and all(s < 500 for s in seen)
