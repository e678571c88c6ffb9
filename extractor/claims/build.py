"""The public claims: code's candidates with their speakers (code's, else the model's) and exact spans."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractor.actors.build import ActorTable, SpokenBy
from extractor.claims.candidate import ClaimCandidate
from extractor.decisions import Decisions
from extractor.llm.drafts import DraftClaim
from extractor.text.grounding import Grounder, exact_span_fields
from schemas import Claim, Span

__all__ = ["build_claims", "drafted_claims", "spoken_by"]


def spoken_by(candidates: list[ClaimCandidate]) -> list[SpokenBy]:
    """The speakers code found, for the actors stage (a speaker is an actor whatever its kind)."""
    return [SpokenBy(c.speaker, c.speaker_mention) for c in candidates if c.speaker is not None]


def build_claims(
    text: str, candidates: list[ClaimCandidate], decisions: Decisions, table: ActorTable
) -> list[Claim]:
    """Public claims; speakers from code, else from the model, else unattributed."""
    claims: list[Claim] = []
    known_ids = table.ids
    for index, candidate in enumerate(candidates):
        speaker_id = table.id_of(candidate.speaker)
        decided = decisions.speakers.get(index)
        if speaker_id is None and decided not in (None, "author", "unknown"):
            speaker_id = decided
        if speaker_id is not None and speaker_id not in known_ids:
            speaker_id = None
        attribution = "actor" if speaker_id else ("author" if decided == "author" else "unattributed")
        start, end = candidate.content
        quote, cue, sentence = candidate.quote, candidate.cue, candidate.sentence.segment
        claims.append(
            Claim.model_validate(
                {
                    "id": f"c{len(claims) + 1}",
                    "speaker_id": speaker_id,
                    "attribution": attribution,
                    "statement": text[start:end][:1000],
                    "content": exact_span_fields(text, start, end),
                    "quote": exact_span_fields(text, quote.start, quote.end) if quote else None,
                    "cue": exact_span_fields(text, cue.start, cue.end) if cue else None,
                    "kind": candidate.kind,
                    "modality": candidate.modality,
                    "evidence": [exact_span_fields(text, sentence.start, sentence.end)],
                }
            )
        )
    return claims


def drafted_claims(
    grounder: Grounder,
    drafts: Sequence[DraftClaim],
    actor_id: Callable[[str], str | None],
    warnings: list[str],
) -> list[Claim]:
    """Public claims from a model's drafted claims (the ``single`` strategy), quotes grounded by code.

    A drafted quote that is not in the article is dropped with a warning; the claim's content is then
    located from its statement, with whatever alignment that finds.
    """
    claims: list[Claim] = []
    seen_quotes: set[tuple[int | None, int | None]] = set()
    for item in drafts:
        speaker_id = actor_id(item.speaker)
        quote: Span | None = None
        if item.quote.strip():
            located = grounder.locate(item.quote)
            if located.grounded:
                quote = located
            else:
                warnings.append(f"dropped a quote not found in the article: {item.quote[:80]!r}")
        if quote is not None and (quote.start, quote.end) in seen_quotes:
            continue
        if quote is not None:
            seen_quotes.add((quote.start, quote.end))
        content = quote or grounder.locate(item.statement)
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                speaker_id=speaker_id,
                attribution="actor" if speaker_id else "unattributed",
                statement=item.statement,
                content=content,
                quote=quote,
                kind=item.kind,
                modality=item.modality,
            )
        )
    return claims
