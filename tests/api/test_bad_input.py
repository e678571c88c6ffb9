"""Hostile and broken requests: each gets its documented status and a problem document, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import AppMaker

KEY = "test-key-0123456789"
GOOD = {"Authorization": f"Bearer {KEY}"}
JSON = {"Content-Type": "application/json"}

CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("empty body", {"content": b"", "headers": {**GOOD, **JSON}}, 422, "validation_error"),
    ("not JSON", {"content": b"{text: 'x'", "headers": {**GOOD, **JSON}}, 422, "validation_error"),
    ("JSON array", {"json": ["text"], "headers": GOOD}, 422, "validation_error"),
    ("text is a number", {"json": {"text": 42}, "headers": GOOD}, 422, "validation_error"),
    ("text missing", {"json": {"title": "t"}, "headers": GOOD}, 422, "validation_error"),
    ("text empty", {"json": {"text": ""}, "headers": GOOD}, 422, "validation_error"),
    (
        "bad date",
        {"json": {"text": "A said: b.", "published": "yesterday"}, "headers": GOOD},
        422,
        "validation_error",
    ),
    (
        "unknown field",
        {"json": {"text": "A said: b.", "prompt": "x"}, "headers": GOOD},
        422,
        "validation_error",
    ),
    (
        "id too long",
        {"json": {"text": "A said: b.", "id": "x" * 201}, "headers": GOOD},
        422,
        "validation_error",
    ),
    ("whitespace text", {"json": {"text": " \n "}, "headers": GOOD}, 422, "empty_article"),
    ("NUL in text", {"json": {"text": "binary\u0000data"}, "headers": GOOD}, 422, "decode_error"),
    (
        "invalid UTF-8",
        {"content": b'{"text": "caf\xe9 au lait"}', "headers": {**GOOD, **JSON}},
        422,
        "decode_error",
    ),
    (
        "huge body",
        {"content": b'{"text": "' + b"a" * 6000 + b'"}', "headers": {**GOOD, **JSON}},
        413,
        "body_too_large",
    ),
    ("no key", {"json": {"text": "A said: b."}}, 401, "unauthorized"),
    (
        "wrong key",
        {"json": {"text": "A said: b."}, "headers": {"Authorization": "Bearer nope"}},
        401,
        "unauthorized",
    ),
    (
        "wrong scheme",
        {"json": {"text": "A said: b."}, "headers": {"Authorization": f"Basic {KEY}"}},
        401,
        "unauthorized",
    ),
    (
        "right key, wrong bearer",
        {"json": {"text": "A said: b."}, "headers": {"X-API-Key": KEY, "Authorization": "Bearer nope"}},
        401,
        "unauthorized",
    ),
    ("key prefix", {"json": {"text": "A said: b."}, "headers": {"X-API-Key": KEY[:-1]}}, 401, "unauthorized"),
]


@pytest.fixture
def guarded(make_app: AppMaker) -> TestClient:
    return TestClient(make_app(api_keys=KEY, api_max_body_bytes=4096))


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_bad_request_table(
    guarded: TestClient, request_kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = guarded.post("/v1/extract", **request_kwargs)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == f"urn:claimscope:problem:{code}"
    assert problem["status"] == status
    assert problem["title"] and "Traceback" not in response.text


def test_validation_problem_lists_the_fields_without_echoing_input(guarded: TestClient) -> None:
    secret = "do-not-echo-this-value"
    response = guarded.post("/v1/extract", json={"text": 7, "prompt": secret}, headers=GOOD)

    problem = response.json()
    assert response.status_code == 422
    locations = {tuple(error["loc"]) for error in problem["errors"]}
    assert ("body", "text") in locations and ("body", "prompt") in locations
    assert secret not in response.text


def test_body_over_the_limit_without_content_length_is_refused_while_streaming(guarded: TestClient) -> None:
    def chunks() -> Any:
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    response = guarded.post("/v1/extract", content=chunks(), headers={**GOOD, **JSON})

    assert response.status_code == 413
    assert response.json()["type"] == "urn:claimscope:problem:body_too_large"
    assert "4,096 bytes" in response.json()["detail"]


def test_unknown_route_and_wrong_method_are_problems(guarded: TestClient) -> None:
    missing = guarded.get("/v1/nothing-here")
    wrong = guarded.get("/v1/extract")

    assert missing.status_code == 404 and missing.json()["type"] == "urn:claimscope:problem:not_found"
    assert wrong.status_code == 405 and wrong.json()["type"] == "urn:claimscope:problem:method_not_allowed"
