"""The schema checks against a live ``claimscope serve`` (uvicorn subprocess, fake model, loopback only).

The in-process run (``test_schemathesis.py``) skips what only the deployed server does: uvicorn's
streaming of request bodies, the body and line limits under real chunking, and the proxy-header setting.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from benchmarks.upload_rss import free_port, start_server, stop_server

KEY = "live-schemathesis-key"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {
        "CLAIMSCOPE_API_KEYS": KEY,
        "CLAIMSCOPE_API_RATE_LIMIT_PER_MINUTE": "1000000",
        "CLAIMSCOPE_API_AUTH_FAILURES_PER_MINUTE": "1000000",
        "CLAIMSCOPE_API_ALLOW_MODEL_OVERRIDE": "true",
        "CLAIMSCOPE_API_ALLOWED_MODELS": "fake/*",
        "CLAIMSCOPE_REQUEST_TIMEOUT_S": "5",
        "CLAIMSCOPE_MAX_ARTICLE_CHARS": "5000",
        "CLAIMSCOPE_API_MAX_JOB_BYTES": "2000000",
    }
    data_dir = Path(tmp_path_factory.mktemp("live")) / "data"
    server = start_server(data_dir, port, "--forwarded-allow-ips", "127.0.0.1", env=env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(server)


@pytest.fixture
def live_schema(live_url: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("live_schema")


@schema.auth()
class ApiKey:
    def get(self, case: schemathesis.Case, context: schemathesis.AuthContext) -> str:
        return KEY

    def set(self, case: schemathesis.Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "X-API-Key": data}


@schema.parametrize()
@settings(
    max_examples=5, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_the_deployed_server_conforms_and_never_fails_with_5xx(case: schemathesis.Case) -> None:
    # As in the in-process run: schema-valid but refused-on-purpose inputs (blank or over-long text) are
    # documented 422/413 problems, so "valid data is accepted" is left out.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance], timeout=30)


def test_a_streamed_upload_through_a_trusted_proxy_keeps_its_oversized_line_as_one_record(
    live_url: str,
) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"id": "big", "text": "'
        for _ in range(40):
            yield b"x" * 25_000  # 1 MB in chunks: over the per-line limit, under the upload limit
        yield b'"}\n{"id": "ok", "text": "Mayor Jane Doe said the bridge is safe."}\n'

    headers = {"X-API-Key": KEY, "Content-Type": "application/x-ndjson", "X-Forwarded-For": "203.0.113.7"}
    with httpx.Client(base_url=live_url, timeout=30) as client:
        created = client.post("/v1/jobs", content=body(), headers=headers)
        assert created.status_code == 202, created.text
        job = created.json()
        for _ in range(200):
            status = client.get(f"/v1/jobs/{job['id']}", headers={"X-API-Key": KEY}).json()
            if status["status"] not in ("queued", "running"):
                break
            time.sleep(0.05)
        results = client.get(job["results_url"], headers={"X-API-Key": KEY}).text

    assert (status["status"], status["total"], status["failed"]) == ("succeeded", 2, 1)
    errors = [json.loads(line) for line in results.splitlines() if '"error"' in line]
    assert [(e["id"], e["line"], e["error"]["type"]) for e in errors] == [(None, 1, "article_too_large")]
