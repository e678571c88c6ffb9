"""Actors: the people, governments, organisations and countries an article mentions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, PrivateAttr

from schemas._base import StrictModel
from schemas._links import Links
from schemas.spans import Span

if TYPE_CHECKING:
    from schemas.claims import Claim

ActorKind = Literal["person", "government", "organization", "country", "group", "media", "other"]
"""Closed vocabulary of actor kinds; ``other`` includes states, cities and regions acting as jurisdictions."""


class Actor(StrictModel):
    """Someone who can say something or hold a position."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    """Stable id, derived from the canonical name (e.g. ``claudia-sheinbaum``)."""

    name: str = Field(min_length=1, max_length=200)
    """The fullest name as written in the article (e.g. ``President Claudia Sheinbaum``)."""

    canonical_name: str = Field(min_length=1, max_length=200)
    """The name without titles (e.g. ``Claudia Sheinbaum``)."""

    kind: ActorKind
    """What sort of actor this is."""

    title: str | None = Field(default=None, max_length=200)
    """Title or role as the article gives it (e.g. ``President``, ``security expert``)."""

    affiliation: str | None = Field(default=None, max_length=200)
    """Country or organisation the actor belongs to, when the article says."""

    mentions: list[Span] = Field(default_factory=list, max_length=500)
    """Every place the actor is referred to: names, surnames, titles, resolved pronouns."""

    _links: Links | None = PrivateAttr(default=None)

    @property
    def claims(self) -> tuple[Claim, ...]:
        """The claims this actor makes in its extraction, in extraction order (empty outside one)."""
        if self._links is None:
            return ()
        return self._links.claims_by_speaker.get(self.id, ())
