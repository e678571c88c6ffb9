from __future__ import annotations

from fastapi.testclient import TestClient

from extractor.errors import LLMConnectionError, LLMTimeoutError
from extractor.testing import FakeCall, FakeLLM, minimal_instance
from schemas import ArticleExtraction
from tests.api.conftest import AppMaker


def test_batch_returns_one_item_per_article_in_order_with_per_item_problems(
    client: TestClient, seed_text: str
) -> None:
    articles = [
        {"text": seed_text, "id": "seed"},
        {"text": "   "},
        {"text": "The mayor said: the bridge is safe.", "id": "mayor"},
        {"text": "Another text.", "id": "mayor"},
        {"text": "No id here; the minister said: taxes will fall."},
    ]

    response = client.post("/v1/extract/batch", json={"articles": articles})

    assert response.status_code == 200
    body = response.json()
    assert [item["index"] for item in body["items"]] == [0, 1, 2, 3, 4]
    assert [item["ok"] for item in body["items"]] == [True, False, True, False, True]
    assert (body["succeeded"], body["failed"]) == (3, 2)
    assert ArticleExtraction.model_validate(body["items"][0]["result"]).article_id == "seed"
    assert body["items"][1]["error"]["type"] == "urn:claimscope:problem:empty_article"
    assert body["items"][1]["error"]["status"] == 422
    assert body["items"][3]["error"]["type"] == "urn:claimscope:problem:duplicate_id"
    assert body["items"][4]["result"]["article_id"] == "line-5"


def test_batch_over_the_item_limit_is_refused(make_app: AppMaker) -> None:
    with TestClient(make_app(api_max_batch_items=2)) as client:
        response = client.post(
            "/v1/extract/batch", json={"articles": [{"text": f"Text {n}."} for n in range(3)]}
        )

    assert response.status_code == 422
    assert response.json()["type"] == "urn:claimscope:problem:too_many_items"


def test_empty_batch_is_a_validation_problem(client: TestClient) -> None:
    response = client.post("/v1/extract/batch", json={"articles": []})

    assert response.status_code == 422
    assert response.json()["type"] == "urn:claimscope:problem:validation_error"


def test_a_failing_article_does_not_fail_the_others(make_app: AppMaker) -> None:
    def handler(call: FakeCall) -> object:
        if "TIMEOUT" in call.user_text:
            return LLMTimeoutError("no answer")
        return minimal_instance(call.response_model)

    # Unattributed quotations: each article puts a speaker question (with its passage) to the model.
    articles = [
        {"text": 'Mayor Ann Lee arrived. "We will stop the TIMEOUT plan tonight, all of it."', "id": "slow"},
        {"text": 'Mayor Ann Lee arrived. "We will keep the park open tonight, all of it."', "id": "ok"},
    ]
    with TestClient(make_app(handler)) as client:
        response = client.post("/v1/extract/batch", json={"articles": articles})

    items = response.json()["items"]
    assert response.status_code == 200
    assert items[0]["error"]["type"] == "urn:claimscope:problem:llm_timeout"
    assert items[0]["error"]["status"] == 504
    assert items[1]["ok"] is True


def test_an_unreachable_model_fails_the_whole_batch(make_app: AppMaker, seed_text: str) -> None:
    fake = FakeLLM(lambda call: LLMConnectionError("connection refused"))
    with TestClient(make_app(fake=fake)) as client:
        response = client.post("/v1/extract/batch", json={"articles": [{"text": seed_text}] * 2})

    assert response.status_code == 503
    assert response.json()["type"] == "urn:claimscope:problem:llm_unreachable"
