from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from extractor.api import create_app
from extractor.cache import ResultCache
from extractor.errors import LLMTimeoutError
from extractor.llm import embedded as embedded
from extractor.llm.embedded import EmbeddedStatus
from extractor.sdk import Extractor
from extractor.settings import EMBEDDED_MODEL, Settings
from extractor.testing import FakeCall, FakeLLM, minimal_instance
from tests.api.conftest import AppMaker


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "model": "fake/llm", "checks": {"model": "ok", "jobs_db": "ok"}}


@pytest.mark.parametrize("running", [True, False])
def test_readyz_follows_the_embedded_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running: bool
) -> None:
    def status(settings: Settings) -> EmbeddedStatus:
        return EmbeddedStatus(binary="b", weights="w", running=running, url=None, pid=None)

    monkeypatch.setattr(embedded, "status", status)
    app = create_app(Settings(data_dir=tmp_path, model=EMBEDDED_MODEL))
    with TestClient(app) as client:
        response = client.get("/readyz")

    assert response.status_code == (200 if running else 503)
    assert response.json()["model"] == EMBEDDED_MODEL
    assert (response.json()["checks"]["model"] == "ok") is running


def test_readyz_counts_a_configured_remote_model_as_ready(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, model="openai/gpt-4o-mini"))
    with TestClient(app) as client:
        assert client.get("/readyz").json()["ready"] is True


def test_metrics_count_requests_tokens_and_llm_errors(make_app: AppMaker, seed_text: str) -> None:
    def handler(call: FakeCall) -> object:
        if "TIMEOUT" in call.user_text:
            return LLMTimeoutError("slow")
        return minimal_instance(call.response_model)

    with TestClient(make_app(handler)) as client:
        client.post("/v1/extract", json={"text": seed_text})
        client.post("/v1/extract", json={"text": seed_text})
        client.post("/v1/extract", json={"text": seed_text.replace("Trump", "TIMEOUT Trump")})
        text = client.get("/metrics").text

    assert 'claimscope_http_requests_total{method="POST",route="/v1/extract",status="200"} 2.0' in text
    assert 'claimscope_http_requests_total{method="POST",route="/v1/extract",status="504"} 1.0' in text
    assert 'claimscope_llm_errors_total{code="llm_timeout"} 1.0' in text
    assert 'claimscope_extractions_total{outcome="ok"} 2.0' in text
    prompt = next(
        line for line in text.splitlines() if line.startswith('claimscope_llm_tokens_total{kind="prompt"}')
    )
    assert float(prompt.split()[-1]) > 0
    assert 'claimscope_http_request_duration_seconds_count{method="POST",route="/v1/extract"} 3.0' in text


def test_metrics_count_cache_hits(settings: Settings, tmp_path: Path, seed_text: str) -> None:
    cache = ResultCache(tmp_path / "cache.sqlite3")
    extractor = Extractor(llm=FakeLLM(), settings=settings, cache=cache, use_cache=True)
    with TestClient(create_app(settings, extractor_factory=lambda model: extractor)) as client:
        first = client.post("/v1/extract", json={"text": seed_text})
        second = client.post("/v1/extract", json={"text": seed_text})
        text = client.get("/metrics").text

    assert first.json()["provenance"]["cached"] is False
    assert second.json()["provenance"]["cached"] is True
    assert 'claimscope_cache_lookups_total{result="miss"} 1.0' in text
    assert 'claimscope_cache_lookups_total{result="hit"} 1.0' in text


def test_openapi_describes_the_schemas_and_problems(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    extract = schema["paths"]["/v1/extract"]["post"]

    assert extract["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ExtractRequest")
    assert extract["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ArticleExtraction"
    )
    assert extract["responses"]["422"]["content"]["application/problem+json"]["schema"]["$ref"].endswith(
        "/Problem"
    )
    assert "HTTPValidationError" not in components
    jobs_body = schema["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]
    assert set(jobs_body) == {"application/json", "application/x-ndjson"}
    assert "JobRequest" in components and "ArticleInput" in components
    assert components["BatchRequest"]["properties"]["articles"]["maxItems"] == 20, "the configured limit"
    assert components["Actor"]["properties"]["canonical_name"]["description"]
    assert set(schema["components"]["securitySchemes"]) == {"HTTPBearer", "APIKeyHeader"}
    assert client.get("/docs").status_code == 200


def test_shutdown_closes_the_model_connections_of_every_extractor(make_app: AppMaker, seed_text: str) -> None:
    closed: list[str] = []

    class ClosingFake(FakeLLM):
        async def aclose(self) -> None:
            closed.append("closed")

    app = make_app(fake=ClosingFake())
    with TestClient(app) as client:
        assert client.post("/v1/extract", json={"text": seed_text}).status_code == 200
        assert closed == []

    assert closed == ["closed"]
