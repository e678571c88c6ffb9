"""Navigation between the actors and claims of one extraction, derived from their ids (never serialised)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemas.actors import Actor
    from schemas.claims import Claim

__all__ = ["Links"]


class Links:
    """The id lookups of one :class:`~schemas.ArticleExtraction`, shared by its actors and claims.

    Built by the extraction's validator from the ids alone, so it is never part of the JSON, the JSON
    schema or equality, and every way of making an extraction (validation, JSON, ``model_copy``, pickle)
    carries it along.
    """

    __slots__ = ("actors", "claims_by_speaker")

    def __init__(self, actors: list[Actor], claims: list[Claim]) -> None:
        self.actors = {actor.id: actor for actor in actors}
        said: defaultdict[str, list[Claim]] = defaultdict(list)
        for claim in claims:
            if claim.speaker_id is not None:
                said[claim.speaker_id].append(claim)
        self.claims_by_speaker = {speaker: tuple(items) for speaker, items in said.items()}
