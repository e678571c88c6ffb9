"""Cassette hygiene for recorded tests.

Cassettes are real exchanges with an LLM server (the embedded llama-server by default), recorded by
``make record`` and replayed in CI with ``--record-mode=none --block-network``: a missing or stale cassette
fails the test. Credentials are filtered; bodies are stored as readable JSON text. Requests match on
method, path and JSON body, so the host and port of the recording server do not matter.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from extractor import Extractor
from extractor.sdk import embedded_client
from extractor.settings import Settings

RECORD_API_BASE = os.environ.get("CLAIMSCOPE_RECORD_API_BASE", "http://127.0.0.1:8080/v1")
_SECRET_HEADERS = ["authorization", "x-api-key", "api-key", "openai-organization", "openai-project", "cookie"]


def _readable(body: Any) -> Any:
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
        try:
            return json.dumps(json.loads(text), ensure_ascii=False, indent=1)
        except ValueError:
            return text
    return body


def _clean_request(request: Any) -> Any:
    request.body = _readable(request.body)
    return request


def _clean_response(response: dict[str, Any]) -> dict[str, Any]:
    # Runs at playback too, so the body is left as bytes (vcr's YAML stores UTF-8 bodies as text anyway).
    for header in list(response.get("headers", {})):
        # A stored body may be re-serialised; its recorded length is not needed to replay it.
        if header.lower() in {*_SECRET_HEADERS, "set-cookie", "content-length"}:
            del response["headers"][header]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": _SECRET_HEADERS,
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
        "before_record_request": _clean_request,
        "before_record_response": _clean_response,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(Path(__file__).parent / "cassettes" / request.module.__name__.split(".")[-1])


@pytest.fixture
def recorded_extractor(tmp_path: Path) -> Extractor:
    """The default model's client pointed at the recording server, through the real door, no cache."""
    settings = Settings(data_dir=tmp_path / "data", cache_enabled=False)
    return Extractor(llm=embedded_client(RECORD_API_BASE, settings), settings=settings)
