"""article -> candidates (code) -> small constrained decisions (model) -> grounding -> actors merged.

The ``pipeline`` strategy asks the model only what code cannot settle: the kind of names no word list
recognises, the speaker of claims whose syntax names none, and the policy positions behind the claims.
Each question carries enums of the ids that exist, so a constrained decoder cannot invent any. The
``single`` strategy (one request for everything, for strong hosted models) lives in ``single.py``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from extractor.assemble import Decisions, PositionDecision, build_actors, build_claims, build_positions
from extractor.attribution import ClaimCandidate, find_claims
from extractor.cache import text_sha256
from extractor.candidates import analyse
from extractor.chunking import window_for, windows
from extractor.drafts import actor_kinds_model, position_model, speaker_model
from extractor.errors import LLMOutputError
from extractor.llm import LLMClient, Message
from extractor.resolve import Roster, build_roster
from extractor.settings import Settings
from prompts import PROMPTS, render
from schemas import Article, ArticleExtraction, Provenance, Usage

__all__ = ["PROMPT_VERSIONS", "UsageMeter", "run_extraction"]

PROMPT_VERSIONS: dict[str, str] = dict(PROMPTS)
_MAX_POSITIONS = 6
_MAX_NAMES_PER_REQUEST = 12


class UsageMeter:
    """Sums usage over every request of one extraction, failed ones included."""

    def __init__(self) -> None:
        self.usage = Usage()

    async def ask(
        self, client: LLMClient, messages: Sequence[Message], model: type[BaseModel], max_tokens: int
    ) -> BaseModel:
        """One decision; usage counted even when the answer never validates."""
        try:
            completion = await client.complete(messages, model, max_tokens=max_tokens)
        except LLMOutputError as error:
            self.usage = self.usage + error.usage
            raise
        self.usage = self.usage + completion.usage
        return completion.value


async def run_extraction(
    article: Article, client: LLMClient, *, strategy: str, settings: Settings, started: float | None = None
) -> ArticleExtraction:
    """Extract from a checked article with the given strategy."""
    started = time.perf_counter() if started is None else started
    meter = UsageMeter()
    if strategy == "single":
        from extractor.single import extract_single

        actors, claims, positions, warnings = await extract_single(article.text, client, meter, settings)
        prompts = {"extract_all": PROMPT_VERSIONS["extract_all"]}
    else:
        actors, claims, positions, warnings = await _extract_pipeline(article.text, client, meter, settings)
        prompts = {name: version for name, version in PROMPT_VERSIONS.items() if name != "extract_all"}
    digest = text_sha256(article.text)
    return ArticleExtraction(
        article_id=article.id or f"sha256:{digest[:16]}",
        title=article.title,
        url=article.url,
        published=article.published,
        text_sha256=digest,
        actors=actors,
        claims=claims,
        positions=positions,
        provenance=Provenance(
            model=client.model,
            strategy=strategy,
            prompts=prompts,
            usage=meter.usage,
            latency_s=round(time.perf_counter() - started, 4),
            warnings=warnings[:200],
        ),
    )


async def _extract_pipeline(
    text: str, client: LLMClient, meter: UsageMeter, settings: Settings
) -> tuple[list[Any], list[Any], list[Any], list[str]]:
    # Code analysis is linear in the text; run it off the event loop so a 100 KB article does not stall it.
    infos, roster, candidates = await asyncio.to_thread(_analyse, text)
    spans = windows(text, settings.window_chars, settings.window_overlap_chars)
    decisions = Decisions()
    await _decide_kinds(text, spans, roster, client, meter, decisions)
    await _decide_speakers(text, spans, roster, candidates, client, meter, decisions)
    actors, draft_ids = build_actors(text, roster, decisions, candidates)
    claims = build_claims(text, candidates, decisions, draft_ids)
    await _decide_positions(text, spans, actors, claims, client, meter, decisions)
    positions = build_positions(decisions, claims, {actor.id for actor in actors})
    return actors, claims, positions, decisions.warnings


def _analyse(text: str) -> tuple[Any, Roster, list[ClaimCandidate]]:
    infos = analyse(text)
    roster = build_roster(text, infos)
    return infos, roster, find_claims(text, infos, roster)


async def _decide_kinds(
    text: str,
    spans: list[tuple[int, int]],
    roster: Roster,
    client: LLMClient,
    meter: UsageMeter,
    decisions: Decisions,
) -> None:
    undecided = [actor for actor in roster.actors if actor.kind is None and actor.mentions]
    for window in spans:
        names = [
            a.canonical
            for a in undecided
            if window_for(spans, *a.mentions[0]) == window and a.id not in decisions.kinds
        ]
        for begin in range(0, len(names), _MAX_NAMES_PER_REQUEST):
            batch = names[begin : begin + _MAX_NAMES_PER_REQUEST]
            messages = render("actor_kinds", article=text[window[0] : window[1]], names=batch)
            try:
                answer: Any = await meter.ask(
                    client, messages, actor_kinds_model(batch), 40 + 24 * len(batch)
                )
            except LLMOutputError as error:
                decisions.warnings.append(
                    f"actor kinds undecided ({error.attempts} attempts); names kept as people"
                )
                continue
            by_name = {a.canonical: a.id for a in undecided}
            for item in answer.answers:
                decisions.kinds.setdefault(by_name[item.name], item.kind)


async def _decide_speakers(
    text: str,
    spans: list[tuple[int, int]],
    roster: Roster,
    candidates: list[ClaimCandidate],
    client: LLMClient,
    meter: UsageMeter,
    decisions: Decisions,
) -> None:
    choices: list[dict[str, str]] = [
        {"id": actor.id, "name": actor.canonical, "title": actor.title or ""}
        for actor in roster.actors
        if actor.kind != "country" or actor.mentions
    ]
    for index, candidate in enumerate(candidates):
        if candidate.speaker is not None:
            continue
        window = window_for(spans, *candidate.content)
        sentence = candidate.sentence.segment
        passage_start = max(window[0], sentence.start - 300)
        messages = render(
            "attribute_speaker",
            article=text[window[0] : window[1]],
            claim=text[candidate.content[0] : candidate.content[1]][:400],
            passage=text[passage_start : sentence.end],
            actors=choices,
        )
        try:
            answer: Any = await meter.ask(client, messages, speaker_model([c["id"] for c in choices]), 40)
        except LLMOutputError as error:
            decisions.warnings.append(f"speaker of claim {index + 1} undecided ({error.attempts} attempts)")
            continue
        decisions.speakers[index] = answer.speaker


async def _decide_positions(
    text: str,
    spans: list[tuple[int, int]],
    actors: list[Any],
    claims: list[Any],
    client: LLMClient,
    meter: UsageMeter,
    decisions: Decisions,
) -> None:
    """One small decision per speaker (the most prolific first): topic, stance and the claims showing it."""
    names = {actor.id: actor.name for actor in actors}
    by_speaker: dict[str, list[Any]] = {}
    for claim in claims:
        if claim.speaker_id:
            by_speaker.setdefault(claim.speaker_id, []).append(claim)
    ranked = sorted(by_speaker.items(), key=lambda item: -len(item[1]))[:_MAX_POSITIONS]
    for speaker_id, own in ranked:
        own = own[:8]
        first = own[0].content
        window = window_for(spans, first.start, first.end)
        messages = render(
            "positions",
            article=text[window[0] : window[1]],
            speaker=names[speaker_id],
            claims=[{"id": c.id, "text": c.content.text[:300]} for c in own],
        )
        try:
            answer: Any = await meter.ask(client, messages, position_model([c.id for c in own]), 120)
        except LLMOutputError as error:
            decisions.warnings.append(f"position of {speaker_id} undecided ({error.attempts} attempts)")
            continue
        decisions.positions.append(
            PositionDecision(speaker_id, answer.topic, answer.stance, tuple(answer.claims))
        )
