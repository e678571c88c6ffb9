"""Turn code's roster and claim candidates (plus the model's decisions) into the public output models."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.actors.roster import ActorDraft, Roster
from extractor.claims.attribution import ClaimCandidate
from extractor.text.grounding import exact_span
from schemas import Actor, ActorKind, Claim, PolicyPosition, Span, Stance

__all__ = ["Decisions", "PositionDecision", "build_actors", "build_claims", "build_positions"]


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


def _final_kind(actor: ActorDraft, decided: str | None, speaks: bool = False) -> ActorKind | None:
    kind = actor.kind or decided
    if kind == "not_an_actor":
        if not speaks:
            return None
        # Code found this name as the subject of a reporting verb: whatever the model thinks, it speaks.
        kind = None
    if kind == "place":
        # States, cities and regions act as jurisdictions in policy news; they are kept as "other".
        return "other"
    if kind is None:
        # Undecided (model failed): several capitalised words are most often a person's name.
        return "person" if len(actor.canonical.split()) > 1 else "other"
    return kind  # type: ignore[return-value]


def build_actors(
    text: str, roster: Roster, decisions: Decisions, claims: list[ClaimCandidate]
) -> tuple[list[Actor], dict[int, str]]:
    """Public actors with unique ids, and the map from each draft (by identity) to its id.

    Speaker mentions found through pronouns and titles are added to the actor's mentions.
    """
    draft_ids: dict[int, str] = {}
    extra_mentions: dict[int, set[tuple[int, int]]] = {}
    for claim in claims:
        if claim.speaker is not None and claim.speaker_mention is not None:
            extra_mentions.setdefault(id(claim.speaker), set()).add(claim.speaker_mention)
    actors: list[Actor] = []
    used: set[str] = set()
    speakers = {id(claim.speaker) for claim in claims if claim.speaker is not None}
    for draft in roster.actors:
        kind = _final_kind(draft, decisions.kinds.get(draft.id), id(draft) in speakers)
        if kind is None:
            continue
        actor_id = draft.id
        suffix = 2
        while actor_id in used:
            actor_id = f"{draft.id}-{suffix}"
            suffix += 1
        used.add(actor_id)
        spans = sorted(set(draft.mentions) | extra_mentions.get(id(draft), set()))
        actors.append(
            Actor(
                id=actor_id,
                name=draft.written[:200],
                canonical_name=draft.canonical[:200],
                kind=kind,
                title=draft.title,
                affiliation=draft.affiliation,
                mentions=[exact_span(text, start, end) for start, end in spans[:500]],
            )
        )
        draft_ids[id(draft)] = actor_id
    return actors, draft_ids


def build_claims(
    text: str, candidates: list[ClaimCandidate], decisions: Decisions, draft_ids: dict[int, str]
) -> list[Claim]:
    """Public claims; speakers from code, else from the model, else unattributed."""
    claims: list[Claim] = []
    known_ids = set(draft_ids.values())
    for index, candidate in enumerate(candidates):
        speaker_id: str | None = None
        if candidate.speaker is not None:
            speaker_id = draft_ids.get(id(candidate.speaker))
        decided = decisions.speakers.get(index)
        if speaker_id is None and decided not in (None, "author", "unknown"):
            speaker_id = decided
        if speaker_id is not None and speaker_id not in known_ids:
            speaker_id = None
        attribution = "actor" if speaker_id else ("author" if decided == "author" else "unattributed")
        start, end = candidate.content
        content = exact_span(text, start, end)
        quote = exact_span(text, candidate.quote.start, candidate.quote.end) if candidate.quote else None
        cue = exact_span(text, candidate.cue.start, candidate.cue.end) if candidate.cue else None
        sentence = candidate.sentence.segment
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                speaker_id=speaker_id,
                attribution=attribution,
                statement=content.text[:1000],
                content=content,
                quote=quote,
                cue=cue,
                kind=candidate.kind,
                modality=candidate.modality,
                evidence=[exact_span(text, sentence.start, sentence.end)],
            )
        )
    return claims


def build_positions(decisions: Decisions, claims: list[Claim], actor_ids: set[str]) -> list[PolicyPosition]:
    """Public positions whose evidence is the content of the claims the model cited."""
    by_id = {claim.id: claim for claim in claims}
    positions: list[PolicyPosition] = []
    seen: set[tuple[str, str]] = set()
    for decision in decisions.positions:
        key = (decision.actor_id, decision.topic.strip().lower())
        cited = [by_id[c] for c in decision.claim_ids if c in by_id]
        # A position must rest on the holder's own claims; anything else is the model guessing.
        own = [claim for claim in cited if claim.speaker_id == decision.actor_id]
        if decision.actor_id not in actor_ids or key in seen or not own:
            if decision.actor_id in actor_ids and not own:
                decisions.warnings.append(
                    f"dropped position {decision.topic!r} for {decision.actor_id}: "
                    "the cited claims are not theirs"
                )
            continue
        seen.add(key)
        evidence: list[Span] = [claim.content for claim in own]
        positions.append(
            PolicyPosition(
                id=f"p{len(positions) + 1}",
                actor_id=decision.actor_id,
                topic=decision.topic.strip()[:200],
                stance=decision.stance,
                evidence=evidence[:10],
                claim_ids=[claim.id for claim in own],
            )
        )
    return positions
