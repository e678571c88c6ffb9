"""Navigation on results (speaker, an actor's claims, positions) and reading files from newer versions."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor import Extractor
from extractor.api.models import ArticleInput, BatchRequest, ExtractRequest
from extractor.settings import Settings
from extractor.testing import FakeLLM
from schemas import Article, ArticleExtraction, Claim

SEED = Path(__file__).resolve().parents[2] / "seeds" / "us_mexico_cartel_strikes.txt"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> ArticleExtraction:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), cache_enabled=False)
    extraction = Extractor(llm=FakeLLM(), settings=settings).extract(SEED.read_text(encoding="utf-8"))
    assert extraction.positions and any(claim.speaker_id for claim in extraction.claims)
    return extraction


def test_a_claim_knows_its_speaker_and_an_actor_its_claims(seed: ArticleExtraction) -> None:
    actors = {actor.id: actor for actor in seed.actors}
    for claim in seed.claims:
        if claim.speaker_id is None:
            assert claim.speaker is None
        else:
            assert claim.speaker is actors[claim.speaker_id]
    for actor in seed.actors:
        assert list(actor.claims) == [claim for claim in seed.claims if claim.speaker_id == actor.id]
    assert any(actor.claims for actor in seed.actors)


def test_positions_of_an_actor_or_its_id(seed: ArticleExtraction) -> None:
    holder = next(actor for actor in seed.actors if seed.positions_of(actor))
    assert seed.positions_of(holder) == seed.positions_of(holder.id)
    assert all(position.actor_id == holder.id for position in seed.positions_of(holder))
    assert seed.positions_of("nobody-at-all") == []


@pytest.mark.parametrize(
    "remake",
    [
        lambda e: ArticleExtraction.model_validate_json(e.model_dump_json()),
        lambda e: ArticleExtraction.model_validate(e.model_dump()),
        lambda e: e.model_copy(update={"title": "Another headline"}),
        lambda e: e.model_copy(deep=True),
        lambda e: copy.deepcopy(e),
        lambda e: pickle.loads(pickle.dumps(e)),
    ],
    ids=["json", "dict", "model_copy", "model_copy-deep", "deepcopy", "pickle"],
)
def test_navigation_survives_every_way_of_remaking_an_extraction(
    seed: ArticleExtraction, remake: object
) -> None:
    other: ArticleExtraction = remake(seed)  # type: ignore[operator]
    spoken = next(claim for claim in other.claims if claim.speaker_id)
    assert spoken.speaker is not None and spoken.speaker.id == spoken.speaker_id
    assert spoken.speaker in other.actors
    assert other.claims == seed.claims


def test_navigation_is_not_part_of_the_json_the_schema_or_equality(seed: ArticleExtraction) -> None:
    assert set(json.loads(seed.model_dump_json())) == set(ArticleExtraction.model_fields)
    assert set(json.loads(seed.claims[0].model_dump_json())) == set(Claim.model_fields)
    schema = json.dumps(ArticleExtraction.model_json_schema())
    assert "_links" not in schema and 'speaker"' not in schema
    loose = Claim.model_validate(seed.claims[0].model_dump())  # not inside an extraction
    assert loose == seed.claims[0] and loose.speaker is None


def test_a_file_from_a_newer_version_with_unknown_fields_still_loads(seed: ArticleExtraction) -> None:
    data = json.loads(seed.model_dump_json())
    data["sentiment"] = {"overall": 0.2}
    data["actors"][0]["wikidata_id"] = "Q1"
    data["claims"][0]["confidence"] = 0.9
    data["claims"][0]["content"]["sentence_index"] = 3
    data["provenance"]["host"] = "gpu-7"
    assert ArticleExtraction.model_validate(data) == seed


def test_inputs_still_refuse_unknown_fields() -> None:
    # A misspelt field of an input is a mistake to report: the SDK's Article and every HTTP request body.
    with pytest.raises(ValidationError, match="titel"):
        Article(text="A said b.", titel="x")  # type: ignore[call-arg]
    for model in (ArticleInput, ExtractRequest):
        with pytest.raises(ValidationError, match="prompt"):
            model.model_validate({"text": "A said b.", "prompt": "x"})
    with pytest.raises(ValidationError, match="priority"):
        BatchRequest.model_validate({"articles": [{"text": "A said b."}], "priority": 1})
