"""Which models a request may choose, how long any model may take, and what a client learns of failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from extractor.api import create_app
from extractor.api.problems import public_detail
from extractor.errors import LLMConnectionError
from extractor.settings import Settings
from extractor.testing import FakeCall
from tests.api.conftest import AppMaker

TEXT = 'Mayor Jane Doe said "we will pass the bridge tax" on Monday. Minister Bob Roe opposed the bridge tax.'
INTERNALS = "Cannot connect to host 127.0.0.1:11434 ssl:<ssl.SSLContext object at 0x7f3a2b1c0d40>"


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    base = Settings(
        data_dir=tmp_path / "data", model="fake/llm", cache_enabled=False, api_allow_model_override=True
    )
    return base.model_copy(update=overrides)


@pytest.mark.parametrize(
    ("allowed", "model", "status"),
    [
        ("", "fake/other", 403),
        ("fake/*", "ollama/x", 403),
        ("*", "embedded/qwen2.5-coder-1.5b-instruct", 403),
        ("fake/*, openai/gpt-4o*", "fake/seed=1", 200),
        ("fake/*", "fake/bogus=1", 422),
    ],
)
def test_only_allowlisted_models_and_never_the_embedded_one(
    tmp_path: Path, allowed: str, model: str, status: int
) -> None:
    with TestClient(create_app(_settings(tmp_path, api_allowed_models=allowed))) as client:
        response = client.post("/v1/extract", json={"text": TEXT, "model": model})

    assert response.status_code == status
    if status != 200:
        assert response.json()["code"] == ("model_not_allowed" if status == 403 else "invalid_model")


def test_the_request_timeout_bounds_every_model_fake_ones_too(tmp_path: Path) -> None:
    settings = _settings(tmp_path, api_allowed_models="fake/*", request_timeout_s=0.3)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/extract", json={"text": TEXT, "model": "fake/latency=5"})

    assert response.status_code == 504
    assert response.json()["code"] == "llm_timeout"


def test_model_failures_name_their_class_not_hosts_or_objects(make_app: AppMaker) -> None:
    def handler(call: FakeCall) -> object:
        return LLMConnectionError(INTERNALS)

    with TestClient(make_app(handler, transient_retries=0)) as client:
        response = client.post("/v1/extract", json={"text": TEXT})

    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "LLMConnectionError" in detail
    assert "127.0.0.1" not in detail and "0x" not in detail and "SSLContext" not in detail


def test_public_detail_keeps_messages_about_the_clients_input() -> None:
    assert public_detail("malformed_json", "input line is not valid JSON") == "input line is not valid JSON"
    assert "0x" not in public_detail("embedded_model_error", INTERNALS)
    assert "RuntimeError" not in public_detail("internal_error", "RuntimeError: <object at 0x1>")
