"""LLM-facing draft models: small, closed, bounded.

Choices are narrowed per request to what code found, so a constrained decoder (llama-server
json_schema) can only answer with ids that exist. The classes themselves are built once (see
:mod:`extractor.llm.constrained`): the names and ids of one article travel as schema and validation context.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from extractor.llm.constrained import Constrained, choice_schema, copy_json

__all__ = [
    "DraftActor",
    "DraftClaim",
    "DraftExtraction",
    "DraftPosition",
    "NameKind",
    "NameKinds",
    "NamedTopic",
    "PairStance",
    "SpeakerChoice",
    "TopicNames",
    "actor_kinds_model",
    "pair_stance_model",
    "speaker_model",
    "topic_names_model",
]

DecidedKind = Literal[
    "person", "government", "organization", "media", "country", "group", "place", "not_an_actor"
]
_STANCE = Literal["support", "oppose", "neutral", "mixed"]
_TOPIC = Annotated[str, Field(min_length=3, max_length=80)]
"""A position's topic, the same bounds in every question that asks for one."""
_CLAIM_KIND = Literal[
    "statement", "threat", "promise", "prediction", "accusation", "denial", "opinion", "warning"
]
_MODALITY = Literal["asserted", "hypothetical", "negated", "conditional"]
_CONFIG = ConfigDict(extra="forbid")


class NameKind(BaseModel):
    """One name's kind; the name must be one asked (checked by :class:`NameKinds`)."""

    model_config = _CONFIG
    name: str
    kind: DecidedKind


class NameKinds(BaseModel):
    """``{"answers": [{"name", "kind"}, ...]}``: one answer per name asked (validation context ``names``)."""

    model_config = _CONFIG
    answers: list[NameKind]

    @model_validator(mode="after")
    def _answers_the_names_asked(self, info: ValidationInfo) -> Self:
        context = info.context or {}
        names = context.get("names")
        if names is None:
            return self
        if len(self.answers) != context["count"]:
            raise ValueError(f"answers should have exactly {context['count']} items, one per name")
        for answer in self.answers:
            if answer.name not in names:
                raise ValueError(f"name {answer.name!r} should be one of {_listed(names)}")
        return self


class SpeakerChoice(BaseModel):
    """``{"speaker": <actor id | author | unknown>}`` (validation context ``speakers``)."""

    model_config = _CONFIG
    speaker: str

    @model_validator(mode="after")
    def _speaker_is_offered(self, info: ValidationInfo) -> Self:
        speakers = (info.context or {}).get("speakers")
        if speakers is not None and self.speaker not in speakers:
            raise ValueError(f"speaker should be one of {_listed(speakers)}")
        return self


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(repr(value) for value in values)


def actor_kinds_model(names: list[str]) -> Constrained[NameKinds]:
    """:class:`NameKinds` narrowed to exactly these names."""
    unique = tuple(dict.fromkeys(names))
    schema = copy_json(_base_schema(NameKinds))
    schema["$defs"]["NameKind"]["properties"]["name"] = choice_schema(unique, "Name")
    answers = {**schema["properties"]["answers"], "maxItems": len(names), "minItems": len(names)}
    schema["properties"]["answers"] = dict(sorted(answers.items()))  # pydantic's key order
    return Constrained(NameKinds, schema, {"names": unique, "count": len(names)})


def speaker_model(actor_ids: list[str]) -> Constrained[SpeakerChoice]:
    """:class:`SpeakerChoice` narrowed to these actor ids (and ``author``, ``unknown``)."""
    speakers = tuple(dict.fromkeys([*actor_ids, "author", "unknown"]))
    schema = copy_json(_base_schema(SpeakerChoice))
    schema["properties"]["speaker"] = choice_schema(speakers, "Speaker")
    return Constrained(SpeakerChoice, schema, {"speakers": speakers})


@cache
def _base_schema(model: type[BaseModel]) -> dict[str, Any]:
    # The docstrings are for readers: the schema the model sees stays what it was when these classes
    # were built per article without them (constrained decoding and recorded cassettes depend on it).
    schema = model.model_json_schema()
    for part in (schema, *schema.get("$defs", {}).values()):
        part.pop("description", None)
    return schema


class NamedTopic(BaseModel):
    """One topic of the article: its label and the candidate phrases (keys) it covers."""

    model_config = _CONFIG
    label: _TOPIC
    covers: list[str] = Field(min_length=1, max_length=6)


class TopicNames(BaseModel):
    """``{"topics": [{"label", "covers": [k1, ...]}]}``: the article's topics over the candidates asked.

    Validation context ``keys`` holds the candidate keys asked; ``code_guess`` is code's own answer (the
    candidates as they are), which :class:`extractor.testing.FakeLLM` gives.
    """

    model_config = _CONFIG
    topics: list[NamedTopic] = Field(min_length=1, max_length=6)

    @model_validator(mode="after")
    def _covers_known_candidates(self, info: ValidationInfo) -> Self:
        keys = (info.context or {}).get("keys")
        if keys is None:
            return self
        for topic in self.topics:
            for key in topic.covers:
                if key not in keys:
                    raise ValueError(f"covers should list keys among {_listed(keys)}, not {key!r}")
        return self


def topic_names_model(keys: list[str], code_guess: dict[str, Any]) -> Constrained[TopicNames]:
    """:class:`TopicNames` whose ``covers`` may only list these candidate keys."""
    unique = tuple(dict.fromkeys(keys))
    schema = copy_json(_base_schema(TopicNames))
    schema["$defs"]["NamedTopic"]["properties"]["covers"]["items"] = choice_schema(unique, "Key")
    return Constrained(TopicNames, schema, {"keys": unique, "code_guess": code_guess})


PairStanceValue = Literal["support", "oppose", "mixed", "none"]


class PairStance(BaseModel):
    """``{"stance": ...}``: one actor's stance on one topic, ``none`` when the sentences show none.

    ``neutral`` is not offered: a small model answers it for "no stance", which would invent a position.
    """

    model_config = _CONFIG
    stance: PairStanceValue


def pair_stance_model(code_guess: PairStanceValue) -> Constrained[PairStance]:
    """:class:`PairStance`, carrying code's lexical guess (which the fake model answers) as context."""
    return Constrained(PairStance, _base_schema(PairStance), {"code_guess": {"stance": code_guess}})


class DraftActor(BaseModel):
    """An actor as the model names it (single-request strategy)."""

    model_config = _CONFIG
    name: str = Field(min_length=1, max_length=80)
    kind: Literal["person", "government", "organization", "media", "country", "group", "other"]
    title: str = Field(default="", max_length=80)


class DraftClaim(BaseModel):
    """A claim as the model reports it; its quote is grounded by code afterwards."""

    model_config = _CONFIG
    speaker: str = Field(max_length=80)
    quote: str = Field(default="", max_length=400)
    statement: str = Field(min_length=1, max_length=240)
    kind: _CLAIM_KIND = "statement"
    modality: _MODALITY = "asserted"


class DraftPosition(BaseModel):
    """A position as the model reports it; its evidence is grounded by code afterwards."""

    model_config = _CONFIG
    actor: str = Field(max_length=80)
    topic: _TOPIC
    stance: _STANCE
    evidence: str = Field(default="", max_length=400)


class DraftExtraction(BaseModel):
    """Everything in one answer (for strong hosted models); lists bounded so a looping model stops."""

    model_config = _CONFIG
    actors: list[DraftActor] = Field(default_factory=list, max_length=20)
    claims: list[DraftClaim] = Field(default_factory=list, max_length=20)
    topics: list[_TOPIC] = Field(default_factory=list, max_length=8)
    positions: list[DraftPosition] = Field(default_factory=list, max_length=16)
