"""The seed article through the real LLM door, replayed from a recording of the embedded model."""

from __future__ import annotations

import pytest

from extractor import Extractor
from tests.golden import golden_differences, load_expected


@pytest.mark.vcr
def test_seed_pipeline_matches_reviewed_expectation(recorded_extractor: Extractor, seed_text: str) -> None:
    result = recorded_extractor.extract(seed_text, article_id="seed")

    assert golden_differences(result, seed_text, load_expected(), positions=True) == []
    assert result.provenance.usage.requests >= 2
    assert result.provenance.usage.prompt_tokens > 0
    assert result.provenance.strategy == "pipeline"
    assert {"topics", "pair_stance"} <= set(result.provenance.prompts)
