"""Topics: the policies and actions an article discusses, which positions refer to by id."""

from __future__ import annotations

from pydantic import Field

from schemas._base import StrictModel
from schemas.spans import Span


class Topic(StrictModel):
    """A policy or action the article discusses; the columns of the article's actor x topic matrix."""

    id: str = Field(pattern=r"^t[0-9]{1,5}$")
    """Topic id, unique within the extraction (``t1``, ``t2``...)."""

    label: str = Field(min_length=1, max_length=200)
    """Short noun phrase naming the policy or action itself (e.g. ``US strikes on cartels in Mexico``)."""

    evidence: list[Span] = Field(default_factory=list, max_length=20)
    """Sentences of the article where the topic is discussed."""
