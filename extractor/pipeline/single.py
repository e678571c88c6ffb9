"""The ``single`` strategy: one request for everything, then code grounds and resolves what came back.

Meant for strong hosted models. The model's quotes and evidence are located in the article by code;
whatever does not ground is dropped from the quote field and reported in the warnings, never kept as a
quote. Speakers are matched to the actors code found, by name.
"""

from __future__ import annotations

import asyncio

from extractor.actors.build import build_actors
from extractor.actors.roster import ActorDraft, Roster, build_roster
from extractor.claims.build import drafted_claims
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.client import LLMClient
from extractor.llm.drafts import DraftExtraction
from extractor.pipeline.meter import UsageMeter
from extractor.pipeline.results import StageOutput
from extractor.positions.build import drafted_positions
from extractor.settings import Settings
from extractor.text.candidates import analyse
from extractor.text.grounding import Grounder
from prompts import render

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


async def extract_single(text: str, client: LLMClient, meter: UsageMeter, settings: Settings) -> StageOutput:
    """One ``extract_all`` request; code grounds quotes and evidence and maps names onto actors."""
    infos = await asyncio.to_thread(analyse, text)
    roster = build_roster(text, infos)
    warnings: list[str] = []
    window = text[: settings.window_chars * 2]
    if len(text) > len(window):
        warnings.append(f"single strategy read the first {len(window)} characters only; use the pipeline")
    try:
        answer = await meter.ask(client, render("extract_all", article=window), DraftExtraction, 3000)
        draft = DraftExtraction.model_validate(answer, from_attributes=True)
    except LLMOutputError as error:
        warnings.append(f"single request failed validation after {error.attempts} attempts")
        draft = DraftExtraction()
    kinds: dict[str, str] = {}
    for item in draft.actors:
        actor = _match_actor(item.name, roster)
        if actor is not None and actor.kind is None:
            kinds[actor.id] = item.kind
    table = build_actors(text, roster, Decisions(kinds=kinds), [])
    grounder = Grounder(text)

    def actor_id(name: str) -> str | None:
        return table.id_of(_match_actor(name, roster))

    claims = drafted_claims(grounder, draft.claims, actor_id, warnings)
    topics, positions = drafted_positions(grounder, draft.topics, draft.positions, claims, actor_id, warnings)
    return StageOutput(table.actors, claims, positions, warnings, topics)
