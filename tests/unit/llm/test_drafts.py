"""Per-request choices without per-request classes: the schema a model sees and what validates."""

from __future__ import annotations

import copy
import json
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from extractor.llm.constrained import copy_json
from extractor.llm.drafts import (
    DecidedKind,
    NameKinds,
    PairStance,
    SpeakerChoice,
    TopicNames,
    actor_kinds_model,
    pair_stance_model,
    speaker_model,
    topic_names_model,
)
from extractor.testing import minimal_instance

_FORBID = ConfigDict(extra="forbid")


def _literal_kinds_class(names: list[str]) -> type[BaseModel]:
    """How the kinds question was spelled before: a class per article with the names as a Literal."""
    item = create_model(
        "NameKind", __config__=_FORBID, name=(Literal[tuple(names)], ...), kind=(DecidedKind, ...)
    )
    return create_model(
        "NameKinds",
        __config__=_FORBID,
        answers=(list[item], Field(min_length=len(names), max_length=len(names))),
    )


def _literal_speaker_class(actor_ids: list[str]) -> type[BaseModel]:
    choices = tuple([*actor_ids, "author", "unknown"])
    return create_model("SpeakerChoice", __config__=_FORBID, speaker=(Literal[choices], ...))


@pytest.mark.parametrize("names", [["Mexico"], ["Claudia Sheinbaum", "Mexico"], ["A", "B", "C", "Pentagon"]])
def test_the_kinds_schema_is_byte_for_byte_the_per_article_literal_one(names: list[str]) -> None:
    # Constrained decoding and the recorded cassettes both see exactly these bytes.
    sent = json.dumps(actor_kinds_model(names).model_json_schema())
    assert sent == json.dumps(_literal_kinds_class(names).model_json_schema())


@pytest.mark.parametrize("actor_ids", [[], ["claudia-sheinbaum"], ["donald-trump", "mexico"]])
def test_the_speaker_schema_is_byte_for_byte_the_per_article_literal_one(actor_ids: list[str]) -> None:
    sent = json.dumps(speaker_model(actor_ids).model_json_schema())
    assert sent == json.dumps(_literal_speaker_class(actor_ids).model_json_schema())


def test_kinds_answers_validate_only_for_the_names_asked() -> None:
    spec = actor_kinds_model(["Mexico", "Pentagon"])
    good = {"answers": [{"name": "Pentagon", "kind": "government"}, {"name": "Mexico", "kind": "country"}]}
    assert [a.name for a in spec.model_validate(good).answers] == ["Pentagon", "Mexico"]
    with pytest.raises(ValidationError, match="should be one of 'Mexico', 'Pentagon'"):
        spec.model_validate({"answers": [{"name": "Texas", "kind": "place"}, good["answers"][0]]})
    with pytest.raises(ValidationError, match="exactly 2 items"):
        spec.model_validate_json(json.dumps({"answers": good["answers"][:1]}))
    with pytest.raises(ValidationError, match="kind"):
        spec.model_validate({"answers": [{"name": "Mexico", "kind": "planet"}, good["answers"][0]]})
    # The cached class alone (no choices in context) checks only the shape.
    assert (
        NameKinds.model_validate({"answers": [{"name": "Texas", "kind": "place"}]}).answers[0].name == "Texas"
    )


def test_speaker_answers_validate_only_for_the_ids_offered() -> None:
    spec = speaker_model(["donald-trump"])
    assert spec.model_validate_json('{"speaker": "author"}').speaker == "author"
    assert spec.model_validate({"speaker": "donald-trump"}).speaker == "donald-trump"
    with pytest.raises(ValidationError, match="one of 'donald-trump', 'author', 'unknown'"):
        spec.model_validate({"speaker": "claudia-sheinbaum"})
    with pytest.raises(ValidationError):
        spec.model_validate({"speaker": "author", "confidence": 1})


def test_one_class_serves_every_article() -> None:
    first, second = speaker_model(["a"]), speaker_model(["b", "c"])
    assert first.model is second.model is SpeakerChoice
    assert first.__name__ == "SpeakerChoice"
    assert first is not second and first != second  # identity: a request's choices are its own


def test_the_minimal_instance_respects_the_choices() -> None:
    value: Any = minimal_instance(actor_kinds_model(["Mexico", "Pentagon"]))
    assert len(value.answers) == 2 and {a.name for a in value.answers} <= {"Mexico", "Pentagon"}
    assert minimal_instance(speaker_model(["x"])).speaker == "x"


def test_schema_copies_are_deep_and_equal() -> None:
    schema = NameKinds.model_json_schema()
    copied = copy_json(schema)
    assert copied == copy.deepcopy(schema)
    copied["$defs"]["NameKind"]["properties"]["name"]["title"] = "changed"
    copied["required"].append("extra")
    assert schema == NameKinds.model_json_schema()  # the original is untouched


def test_the_topics_schema_lists_only_the_candidate_keys_asked() -> None:
    guess = {"topics": [{"label": "a bread tax", "covers": ["k1"]}]}
    spec = topic_names_model(["k1", "k2"], guess)
    items = spec.model_json_schema()["$defs"]["NamedTopic"]["properties"]["covers"]["items"]
    assert items == {"enum": ["k1", "k2"], "title": "Key", "type": "string"}
    merged = spec.model_validate({"topics": [{"label": "a tax on bread", "covers": ["k1", "k2"]}]})
    assert merged.topics[0].covers == ["k1", "k2"]
    with pytest.raises(ValidationError, match="not 'k3'"):
        spec.model_validate_json(json.dumps({"topics": [{"label": "a tax on bread", "covers": ["k3"]}]}))
    with pytest.raises(ValidationError):
        spec.model_validate({"topics": []})  # at least one topic
    # The fake answers code's guess; the cached class alone checks only the shape.
    assert minimal_instance(spec).topics[0].label == "a bread tax"
    assert TopicNames.model_validate({"topics": [{"label": "abc", "covers": ["k9"]}]}).topics[0].covers == [
        "k9"
    ]


def test_a_stance_is_one_of_four_answers_and_none_is_one() -> None:
    spec = pair_stance_model("oppose")
    assert spec.model_json_schema()["properties"]["stance"]["enum"] == ["support", "oppose", "mixed", "none"]
    assert spec.model_validate({"stance": "none"}).stance == "none"
    with pytest.raises(ValidationError):
        spec.model_validate({"stance": "neutral"})
    assert minimal_instance(spec) == PairStance(stance="oppose")
