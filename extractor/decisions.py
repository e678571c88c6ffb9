"""What the model decided about one article: the answers every stage's questions record into.

Plain data over ids and indexes, so the stages that ask and the stages that build the
output share it without importing one another or the LLM client.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Decisions"]


@dataclass
class Decisions:
    """What the model decided about one article."""

    kinds: dict[str, str] = field(default_factory=dict)
    speakers: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
