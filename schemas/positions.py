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

    topic: str = Field(min_length=1, max_length=200)
    """Short noun phrase naming the policy (e.g. ``US land strikes on Mexican cartels``)."""

    stance: Stance
    """The actor's stance toward the topic."""

    evidence: list[Span] = Field(default_factory=list, max_length=10)
    """Spans of the article that show the stance."""

    claim_ids: list[str] = Field(default_factory=list, max_length=20)
    """Claims that express the position."""
