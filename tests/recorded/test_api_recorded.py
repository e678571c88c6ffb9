"""POST /v1/extract on the seed article through the real LLM door, replayed from a recording."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from extractor import Extractor
from extractor.api import create_app
from schemas import ArticleExtraction
from tests.golden import golden_differences, load_expected


@pytest.mark.vcr
def test_http_extract_of_the_seed_matches_the_reviewed_expectation(
    recorded_extractor: Extractor, seed_text: str
) -> None:
    # TestClient talks to the app in process (no socket, not intercepted); the app's calls to the model
    # go through the LLM door over httpx and are replayed from the cassette.
    app = create_app(recorded_extractor.settings, extractor_factory=lambda model: recorded_extractor)
    with TestClient(app) as client:
        response = client.post("/v1/extract", json={"text": seed_text, "id": "seed"})
        metrics = client.get("/metrics").text

    assert response.status_code == 200, response.text
    result = ArticleExtraction.model_validate(response.json())
    assert result.article_id == "seed"
    assert golden_differences(result, seed_text, load_expected(), positions=True, shared_topics=False) == []
    assert result.provenance.usage.requests >= 2
    assert 'claimscope_extractions_total{outcome="ok"} 1.0' in metrics
