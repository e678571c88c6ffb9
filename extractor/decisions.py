"""What the model decided about one article: the answers every stage's questions record into.

Plain data over ids and indexes (schemas only), so the stages that ask and the stages that build the
output share it without importing one another or the LLM client.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import Stance

__all__ = ["Decisions", "PositionDecision"]


@dataclass(frozen=True)
class PositionDecision:
    """A position the model chose, over known ids."""

    actor_id: str
    topic: str
    stance: Stance
    claim_ids: tuple[str, ...]


@dataclass
class Decisions:
    """What the model decided about one article."""

    kinds: dict[str, str] = field(default_factory=dict)
    speakers: dict[int, str] = field(default_factory=dict)
    positions: list[PositionDecision] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
