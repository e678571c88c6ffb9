"""article -> candidates (code) -> small constrained decisions (model) -> grounding -> actors merged.

The ``pipeline`` strategy asks the model only what code cannot settle: the kind of names no word list
recognises, the speaker of claims whose syntax names none, and the policy positions behind the claims.
Each question carries enums of the ids that exist, so a constrained decoder cannot invent any. The
``single`` strategy (one request for everything, for strong hosted models) lives in ``single.py``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from extractor.actors.roster import Roster, build_roster
from extractor.cache import text_sha256
from extractor.claims.attribution import ClaimCandidate, find_claims
from extractor.errors import LLMOutputError
from extractor.llm.client import LLMClient, Message
from extractor.llm.constrained import ResponseSpec
from extractor.llm.drafts import actor_kinds_model, speaker_model
from extractor.llm.questions import Question
from extractor.pipeline.assemble import Decisions, build_actors, build_claims, build_positions
from extractor.positions.questions import Grouping, position_grouping, position_questions
from extractor.settings import Settings
from extractor.text.candidates import analyse
from extractor.text.chunking import window_for, windows
from prompts import PROMPTS, render
from schemas import Article, ArticleExtraction, Provenance, Usage

__all__ = ["INLINE_ANALYSIS_CHARS", "PROMPT_VERSIONS", "UsageMeter", "prompts_in_use", "run_extraction"]

PROMPT_VERSIONS: dict[str, str] = dict(PROMPTS)
_MAX_NAMES_PER_REQUEST = 12
INLINE_ANALYSIS_CHARS = 8_000
"""Articles up to this long are analysed on the event loop (under 10 ms here). A worker thread costs a
hand-off and, with many articles in flight, GIL contention with the loop: at 64 articles of 3 KB in
flight, analysing inline took 7 % less client CPU an article (12.2 against 13.1 ms, four alternating
rounds)."""


def prompts_in_use(strategy: str, model: str, settings: Settings) -> dict[str, str]:
    """The prompt versions an extraction by ``model`` with ``strategy`` uses (provenance, cache key)."""
    if strategy == "single":
        return {"extract_all": PROMPT_VERSIONS["extract_all"]}
    unused = "window_positions" if position_grouping(settings, model) == "speaker" else "positions"
    return {name: version for name, version in PROMPT_VERSIONS.items() if name not in ("extract_all", unused)}


class UsageMeter:
    """Sums usage over every request of one extraction, failed ones included."""

    def __init__(self) -> None:
        self.usage = Usage()

    async def ask(
        self, client: LLMClient, messages: Sequence[Message], model: ResponseSpec[BaseModel], max_tokens: int
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
        from extractor.pipeline.single import extract_single

        actors, claims, positions, warnings = await extract_single(article.text, client, meter, settings)
    else:
        grouping = position_grouping(settings, client.model)
        actors, claims, positions, warnings = await _extract_pipeline(
            article.text, client, meter, settings, grouping
        )
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
            prompts=prompts_in_use(strategy, client.model, settings),
            usage=meter.usage,
            latency_s=round(time.perf_counter() - started, 4),
            warnings=warnings[:200],
        ),
    )


async def _extract_pipeline(
    text: str, client: LLMClient, meter: UsageMeter, settings: Settings, grouping: Grouping
) -> tuple[list[Any], list[Any], list[Any], list[str]]:
    if len(text) <= INLINE_ANALYSIS_CHARS:
        infos, roster, candidates = _analyse(text)
    else:
        # Code analysis is linear in the text; off the event loop, a 100 KB article does not stall it.
        infos, roster, candidates = await asyncio.to_thread(_analyse, text)
    spans = windows(text, settings.window_chars, settings.window_overlap_chars)
    decisions = Decisions()
    # Kinds and speakers are independent (speaker choices come from code's roster, not from the kinds),
    # so they share one round trip; positions need the final claims, so they take a second one.
    first_round = _kind_questions(text, spans, roster) + _speaker_questions(text, spans, roster, candidates)
    await _ask_all(first_round, client, meter, decisions)
    actors, draft_ids = build_actors(text, roster, decisions, candidates)
    claims = build_claims(text, candidates, decisions, draft_ids)
    await _ask_all(position_questions(text, spans, actors, claims, grouping), client, meter, decisions)
    positions = build_positions(decisions, claims, {actor.id for actor in actors})
    return actors, claims, positions, decisions.warnings


def _analyse(text: str) -> tuple[Any, Roster, list[ClaimCandidate]]:
    infos = analyse(text)
    roster = build_roster(text, infos)
    return infos, roster, find_claims(text, infos, roster)


async def _ask_all(
    questions: list[Question], client: LLMClient, meter: UsageMeter, decisions: Decisions
) -> None:
    """Ask every question at once, then record the answers in question order (so output is deterministic).

    An answer that never validates becomes a warning; any other model error (timeout, rate limit,
    connection) cancels the questions still in flight and propagates.
    """
    if not questions:
        return
    tasks = [asyncio.ensure_future(_answer_or_output_error(meter, client, q)) for q in questions]
    try:
        # An invalid answer is a value here, so only a failure of the model itself stops the round.
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
    failure = next((t.exception() for t in tasks if not t.cancelled() and t.exception() is not None), None)
    if failure is not None:
        # Let the cancelled questions unwind before the error leaves.
        await asyncio.gather(*tasks, return_exceptions=True)
        raise failure
    for question, task in zip(questions, tasks, strict=True):
        result = task.result()
        if isinstance(result, LLMOutputError):
            question.on_failure(decisions, result)
        else:
            question.on_answer(decisions, result)


async def _answer_or_output_error(meter: UsageMeter, client: LLMClient, question: Question) -> Any:
    try:
        return await meter.ask(client, question.messages, question.response_model, question.max_tokens)
    except LLMOutputError as error:
        return error


def _kind_questions(text: str, spans: list[tuple[int, int]], roster: Roster) -> list[Question]:
    undecided = [actor for actor in roster.actors if actor.kind is None and actor.mentions]
    by_name = {a.canonical: a.id for a in undecided}

    def record(decisions: Decisions, answer: Any) -> None:
        for item in answer.answers:
            decisions.kinds.setdefault(by_name[item.name], item.kind)

    def warn(decisions: Decisions, error: LLMOutputError) -> None:
        decisions.warnings.append(f"actor kinds undecided ({error.attempts} attempts); names kept as people")

    questions: list[Question] = []
    for window in spans:
        # Each name is asked once, in the window of its first mention.
        names = [a.canonical for a in undecided if window_for(spans, *a.mentions[0]) == window]
        for begin in range(0, len(names), _MAX_NAMES_PER_REQUEST):
            batch = names[begin : begin + _MAX_NAMES_PER_REQUEST]
            messages = render("actor_kinds", article=text[window[0] : window[1]], names=batch)
            questions.append(Question(messages, actor_kinds_model(batch), 40 + 24 * len(batch), record, warn))
    return questions


def _speaker_questions(
    text: str, spans: list[tuple[int, int]], roster: Roster, candidates: list[ClaimCandidate]
) -> list[Question]:
    choices: list[dict[str, str]] = [
        {"id": actor.id, "name": actor.canonical, "title": actor.title or ""}
        for actor in roster.actors
        if actor.kind != "country" or actor.mentions
    ]
    model = speaker_model([c["id"] for c in choices])
    questions: list[Question] = []
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
        questions.append(Question(messages, model, 40, *_speaker_recorders(index)))
    return questions


def _speaker_recorders(
    index: int,
) -> tuple[Callable[[Decisions, Any], None], Callable[[Decisions, LLMOutputError], None]]:
    def record(decisions: Decisions, answer: Any) -> None:
        decisions.speakers[index] = answer.speaker

    def warn(decisions: Decisions, error: LLMOutputError) -> None:
        decisions.warnings.append(f"speaker of claim {index + 1} undecided ({error.attempts} attempts)")

    return record, warn
