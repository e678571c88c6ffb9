from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from fastapi.testclient import TestClient

from extractor.api.problems import ApiProblem
from extractor.api.security import ApiKeyAuth, ConcurrencyLimiter, RateLimiter, key_fingerprint
from extractor.testing import FakeLLM
from tests.api.conftest import AppMaker

KEYS = "alpha-key-111,beta-key-222"
ARTICLE = {"text": "The mayor said: the bridge will reopen in May."}


def test_both_key_headers_are_accepted_and_probes_stay_open(make_app: AppMaker) -> None:
    with TestClient(make_app(api_keys=KEYS)) as client:
        bearer = client.post("/v1/extract", json=ARTICLE, headers={"Authorization": "Bearer beta-key-222"})
        header = client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "alpha-key-111"})
        refused = client.post("/v1/extract", json=ARTICLE)
        probes = [
            client.get(path).status_code for path in ("/healthz", "/readyz", "/metrics", "/openapi.json")
        ]

    assert bearer.status_code == header.status_code == 200
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert probes == [200, 200, 200, 200]


def test_keys_never_reach_the_logs(make_app: AppMaker, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with TestClient(make_app(api_keys=KEYS)) as client:
        client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "alpha-key-111"})
        client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "wrong-key-333"})

    assert "alpha-key-111" not in caplog.text
    assert "wrong-key-333" not in caplog.text


def test_api_key_check_compares_every_key() -> None:
    auth = ApiKeyAuth(["first", "second"])

    assert auth.enabled
    assert auth.check("first") and auth.check("second")
    assert not auth.check("firs") and not auth.check("") and not auth.check(None)
    assert not ApiKeyAuth([]).enabled
    assert key_fingerprint("first") != key_fingerprint("second")
    assert "first" not in key_fingerprint("first")


def test_rate_limit_answers_429_with_retry_after(make_app: AppMaker) -> None:
    with TestClient(make_app(api_keys=KEYS, api_rate_limit_per_minute=2)) as client:
        statuses = [
            client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "alpha-key-111"}).status_code
            for _ in range(3)
        ]
        limited = client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "alpha-key-111"})
        other_key = client.post("/v1/extract", json=ARTICLE, headers={"X-API-Key": "beta-key-222"})

    assert statuses == [200, 200, 429]
    assert limited.json()["type"] == "urn:claimscope:problem:rate_limited"
    assert int(limited.headers["retry-after"]) == 30
    assert other_key.status_code == 200, "limits are per key"


def test_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    for _ in range(60):
        limiter.hit("a")
    with pytest.raises(ApiProblem) as refused:
        limiter.hit("a")
    assert refused.value.headers == {"Retry-After": "1"}
    now[0] += 1.0
    limiter.hit("a")


def test_concurrency_limiter_refuses_past_the_limit_and_frees_slots() -> None:
    limiter = ConcurrencyLimiter(1)
    with limiter.slot("a"):
        with pytest.raises(ApiProblem) as refused, limiter.slot("a"):
            pass
        with limiter.slot("b"):
            pass
    assert refused.value.status_code == 429
    with limiter.slot("a"):
        pass


async def test_concurrent_requests_per_key_are_capped(make_app: AppMaker, seed_text: str) -> None:
    app = make_app(fake=FakeLLM(latency_s=0.05), api_max_concurrent_per_key=1)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        responses = await asyncio.gather(
            *(client.post("/v1/extract", json={"text": seed_text}) for _ in range(3))
        )

    statuses = sorted(response.status_code for response in responses)
    assert statuses[0] == 200
    assert 429 in statuses
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.json()["type"] == "urn:claimscope:problem:too_many_concurrent_requests"


def test_cors_is_off_by_default_and_on_for_configured_origins(make_app: AppMaker) -> None:
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST"}
    with TestClient(make_app()) as client:
        closed = client.options("/v1/extract", headers=preflight)
        plain = client.get("/healthz", headers={"Origin": "https://app.example"})
    with TestClient(make_app(api_cors_origins="https://app.example")) as client:
        opened = client.options("/v1/extract", headers=preflight)
        other = client.options("/v1/extract", headers={**preflight, "Origin": "https://evil.example"})

    assert "access-control-allow-origin" not in closed.headers
    assert "access-control-allow-origin" not in plain.headers
    assert opened.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in other.headers
