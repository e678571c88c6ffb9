"""LLM-facing draft models: small, closed, bounded.

Enums are built per article from what code found, so a constrained decoder (llama-server json_schema)
can only answer with ids that exist.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

__all__ = [
    "DraftActor",
    "DraftClaim",
    "DraftExtraction",
    "DraftPosition",
    "actor_kinds_model",
    "position_model",
    "speaker_model",
]

DecidedKind = Literal[
    "person", "government", "organization", "media", "country", "group", "place", "not_an_actor"
]
_STANCE = Literal["support", "oppose", "neutral", "mixed"]
_CLAIM_KIND = Literal[
    "statement", "threat", "promise", "prediction", "accusation", "denial", "opinion", "warning"
]
_MODALITY = Literal["asserted", "hypothetical", "negated", "conditional"]
_CONFIG = ConfigDict(extra="forbid")


# Building a pydantic model class is costly; the same id lists recur across requests and articles.
def actor_kinds_model(names: list[str]) -> type[BaseModel]:
    """``{"answers": [{"name": <one of names>, "kind": ...}, ...]}`` with exactly one answer per name."""
    return _actor_kinds_model(tuple(names))


def speaker_model(actor_ids: list[str]) -> type[BaseModel]:
    """``{"speaker": <actor id | author | unknown>}``."""
    return _speaker_model(tuple(actor_ids))


def position_model(claim_ids: list[str]) -> type[BaseModel]:
    """``{"topic", "stance", "claims": [...]}``: one speaker's position, citing only their claim ids."""
    return _position_model(tuple(claim_ids))


def _choice(values: list[str] | tuple[str, ...]) -> Any:
    return Literal[tuple(values)]


@lru_cache(maxsize=256)
def _actor_kinds_model(names: tuple[str, ...]) -> type[BaseModel]:
    """``{"answers": [{"name": <one of names>, "kind": ...}, ...]}`` with exactly one answer per name."""
    item = create_model("NameKind", __config__=_CONFIG, name=(_choice(names), ...), kind=(DecidedKind, ...))
    return create_model(
        "NameKinds",
        __config__=_CONFIG,
        answers=(list[item], Field(min_length=len(names), max_length=len(names))),
    )


@lru_cache(maxsize=256)
def _speaker_model(actor_ids: tuple[str, ...]) -> type[BaseModel]:
    """``{"speaker": <actor id | author | unknown>}``."""
    return create_model(
        "SpeakerChoice", __config__=_CONFIG, speaker=(_choice([*actor_ids, "author", "unknown"]), ...)
    )


@lru_cache(maxsize=256)
def _position_model(claim_ids: tuple[str, ...]) -> type[BaseModel]:
    """``{"topic", "stance", "claims": [...]}``: one speaker's position, citing only their claim ids."""
    return create_model(
        "PositionChoice",
        __config__=_CONFIG,
        topic=(str, Field(min_length=3, max_length=80)),
        stance=(_STANCE, ...),
        claims=(list[_choice(claim_ids)], Field(min_length=1, max_length=3)),  # type: ignore[misc]
    )


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
    topic: str = Field(min_length=3, max_length=80)
    stance: _STANCE
    evidence: str = Field(default="", max_length=400)


class DraftExtraction(BaseModel):
    """Everything in one answer (for strong hosted models); lists bounded so a looping model stops."""

    model_config = _CONFIG
    actors: list[DraftActor] = Field(default_factory=list, max_length=20)
    claims: list[DraftClaim] = Field(default_factory=list, max_length=20)
    positions: list[DraftPosition] = Field(default_factory=list, max_length=10)
