"""The ``single`` strategy: one request for everything, then code grounds and resolves what came back.

Meant for strong hosted models. The model's quotes and evidence are located in the article by code;
whatever does not ground is dropped from the quote field and reported in the warnings, never kept as a
quote. Speakers are matched to the actors code found, by name.
"""

from __future__ import annotations

import asyncio
from typing import Any

from extractor.actors.roster import ActorDraft, Roster, build_roster
from extractor.errors import LLMOutputError
from extractor.llm.drafts import DraftExtraction
from extractor.pipeline.assemble import build_actors
from extractor.settings import Settings
from extractor.text.candidates import analyse
from extractor.text.grounding import Grounder
from prompts import render
from schemas import Actor, Claim, PolicyPosition, Span

__all__ = ["extract_single"]


def _match_actor(name: str, roster: Roster) -> ActorDraft | None:
    wanted = name.strip().lower()
    if not wanted:
        return None
    for actor in roster.actors:
        forms = {alias.lower() for alias in actor.aliases} | {actor.canonical.lower(), actor.written.lower()}
        if wanted in forms or any(wanted.endswith(" " + form) for form in forms if len(form) > 3):
            return actor
    return None


async def extract_single(
    text: str, client: Any, meter: Any, settings: Settings
) -> tuple[list[Actor], list[Claim], list[PolicyPosition], list[str]]:
    """One ``extract_all`` request; code grounds quotes and evidence and maps names onto actors."""
    infos = await asyncio.to_thread(analyse, text)
    roster = build_roster(text, infos)
    warnings: list[str] = []
    window = text[: settings.window_chars * 2]
    if len(text) > len(window):
        warnings.append(f"single strategy read the first {len(window)} characters only; use the pipeline")
    try:
        draft: Any = await meter.ask(client, render("extract_all", article=window), DraftExtraction, 3000)
    except LLMOutputError as error:
        warnings.append(f"single request failed validation after {error.attempts} attempts")
        draft = DraftExtraction()
    kinds: dict[str, str] = {}
    for item in draft.actors:
        actor = _match_actor(item.name, roster)
        if actor is not None and actor.kind is None:
            kinds[actor.id] = item.kind
    from extractor.pipeline.assemble import Decisions

    actors, draft_ids = build_actors(text, roster, Decisions(kinds=kinds), [])
    grounder = Grounder(text)
    claims: list[Claim] = []
    seen_quotes: set[tuple[int | None, int | None]] = set()
    for item in draft.claims:
        speaker = _match_actor(item.speaker, roster)
        speaker_id = draft_ids.get(id(speaker)) if speaker is not None else None
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
    positions: list[PolicyPosition] = []
    for item in draft.positions:
        holder = _match_actor(item.actor, roster)
        holder_id = draft_ids.get(id(holder)) if holder is not None else None
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
    return actors, claims, positions, warnings
