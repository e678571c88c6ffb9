"""Failed authentications are throttled per client address."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from extractor.api.problems import ApiProblem
from extractor.api.security import AuthFailureThrottle
from tests.api.conftest import AppMaker


def test_an_address_is_refused_after_too_many_failures_then_let_back() -> None:
    now = [0.0]
    throttle = AuthFailureThrottle(3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.check("10.0.0.1")
        throttle.failed("10.0.0.1")

    with pytest.raises(ApiProblem) as refused:
        throttle.check("10.0.0.1")
    throttle.check("10.0.0.2")
    now[0] = 61.0
    throttle.check("10.0.0.1")

    assert refused.value.status_code == 429
    assert refused.value.headers == {"Retry-After": "60"}


def test_wrong_keys_get_429_with_retry_after_even_before_a_right_key(make_app: AppMaker) -> None:
    with TestClient(make_app(api_keys="right", api_auth_failures_per_minute=2)) as client:
        wrong = [client.get("/v1/jobs/job_x", headers={"X-API-Key": "wrong"}).status_code for _ in range(3)]
        blocked = client.get("/v1/jobs/job_x", headers={"X-API-Key": "right"})

    assert wrong == [401, 401, 429]
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert blocked.json()["code"] == "too_many_auth_failures"
