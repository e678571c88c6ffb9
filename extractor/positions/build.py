"""The public positions: the model's choices kept only where they rest on the holder's own claims."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractor.decisions import Decisions
from extractor.llm.drafts import DraftPosition
from extractor.text.grounding import Grounder
from schemas import Claim, PolicyPosition, Span

__all__ = ["build_positions", "drafted_positions"]


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


def drafted_positions(
    grounder: Grounder,
    drafts: Sequence[DraftPosition],
    claims: list[Claim],
    actor_id: Callable[[str], str | None],
    warnings: list[str],
) -> list[PolicyPosition]:
    """Public positions from a model's drafted ones (the ``single`` strategy), evidence grounded by code."""
    positions: list[PolicyPosition] = []
    for item in drafts:
        holder_id = actor_id(item.actor)
        if holder_id is None:
            warnings.append(f"dropped position of unknown actor {item.actor!r}")
            continue
        evidence = grounder.locate(item.evidence) if item.evidence.strip() else None
        positions.append(
            PolicyPosition(
                id=f"p{len(positions) + 1}",
                actor_id=holder_id,
                topic=item.topic,
                stance=item.stance,
                evidence=[evidence] if evidence is not None and evidence.grounded else [],
                claim_ids=[c.id for c in claims if c.speaker_id == holder_id][:20],
            )
        )
    return positions
