"""What the stages hand each other inside one extraction, as named types rather than tuples."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.actors.roster import Roster
from extractor.claims.candidate import ClaimCandidate
from extractor.text.candidates import SentenceInfo
from schemas import Actor, Claim, PolicyPosition, Topic

__all__ = ["Analysis", "StageOutput"]


@dataclass(frozen=True)
class Analysis:
    """Code's reading of an article: its sentences, the roster of actors, the claim candidates."""

    infos: list[SentenceInfo]
    roster: Roster
    candidates: list[ClaimCandidate]


@dataclass
class StageOutput:
    """The public objects a strategy produced, and the warnings collected on the way."""

    actors: list[Actor]
    claims: list[Claim]
    positions: list[PolicyPosition]
    warnings: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
