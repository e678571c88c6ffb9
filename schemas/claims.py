"""Claims: who asserted what, with the verbatim words located in the text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, PrivateAttr

from schemas._base import StrictModel
from schemas._links import Links
from schemas.spans import Span

if TYPE_CHECKING:
    from schemas.actors import Actor

ClaimKind = Literal[
    "statement", "threat", "promise", "prediction", "accusation", "denial", "opinion", "warning", "other"
]
"""Closed vocabulary of speech acts."""

Modality = Literal["asserted", "hypothetical", "negated", "conditional"]
"""How firmly the claim is put forward."""

Attribution = Literal["actor", "author", "unattributed"]
"""Who stands behind the claim: a named actor, the article's author, or nobody identifiable."""


class Claim(StrictModel):
    """One attributed assertion."""

    id: str = Field(pattern=r"^c[0-9]{1,5}$")
    """Claim id, unique within the extraction (``c1``, ``c2``...)."""

    speaker_id: str | None = None
    """Id of the speaking actor; None when the claim is the author's or unattributed."""

    attribution: Attribution = "actor"
    """Whether the claim belongs to an actor, the author, or nobody identifiable."""

    statement: str = Field(min_length=1, max_length=1000)
    """What is claimed, as a short statement."""

    content: Span
    """The span of the article that carries the claim's content (the quote or the reported clause)."""

    quote: Span | None = None
    """The verbatim quotation, when the article quotes the speaker's words; always exact."""

    cue: Span | None = None
    """The reporting verb or phrase (said, warned, according to...)."""

    kind: ClaimKind = "statement"
    """The speech act."""

    modality: Modality = "asserted"
    """How firmly the claim is made."""

    evidence: list[Span] = Field(default_factory=list, max_length=10)
    """Sentences of the article that support the attribution."""

    _links: Links | None = PrivateAttr(default=None)

    @property
    def speaker(self) -> Actor | None:
        """The speaking :class:`~schemas.Actor` (looked up by ``speaker_id`` in this claim's extraction).

        None when the claim is the author's or unattributed, or the claim belongs to no extraction.
        """
        if self._links is None or self.speaker_id is None:
            return None
        return self._links.actors.get(self.speaker_id)
