"""Policy positions: an actor's stance on a topic, with evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas._base import StrictModel
from schemas.spans import Span

Stance = Literal["support", "oppose", "neutral", "mixed"]
"""Closed vocabulary of stances."""


class PolicyPosition(StrictModel):
    """An actor's stance toward a policy or action."""

    id: str = Field(pattern=r"^p[0-9]{1,5}$")
    """Position id, unique within the extraction (``p1``, ``p2``...)."""

    actor_id: str
    """Id of the actor who holds the position."""

    topic_id: str = Field(pattern=r"^t[0-9]{1,5}$")
    """Id of the topic (in the extraction's ``topics``) the position is about."""

    topic: str = Field(min_length=1, max_length=200)
    """The topic's label, repeated for readers of the position alone."""

    stance: Stance
    """The actor's stance toward the topic."""

    evidence: list[Span] = Field(default_factory=list, max_length=10)
    """Sentences or claim contents of the article that show the stance; each mentions the topic."""

    claim_ids: list[str] = Field(default_factory=list, max_length=20)
    """Claims that express the position, when its evidence is the holder's own claims."""
