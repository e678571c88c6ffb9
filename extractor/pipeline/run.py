"""article -> candidates (code) -> small constrained decisions (model) -> grounding -> actors merged.

The ``pipeline`` strategy asks the model only what code cannot settle: the kind of names no word list
recognises, the speaker of claims whose syntax names none, and the policy positions behind the claims.
Each question carries enums of the ids that exist, so a constrained decoder cannot invent any. The
``single`` strategy (one request for everything, for strong hosted models) lives in ``single.py``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from extractor.actors.build import build_actors
from extractor.actors.questions import kind_questions
from extractor.actors.roster import build_roster
from extractor.cache import text_sha256
from extractor.claims.attribution import find_claims
from extractor.claims.build import build_claims, spoken_by
from extractor.claims.questions import speaker_questions
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.client import LLMClient
from extractor.llm.questions import Question, ScoredAnswer
from extractor.pipeline.meter import UsageMeter
from extractor.pipeline.results import Analysis, StageOutput
from extractor.positions import build_positions, plan_positions
from extractor.settings import Settings
from extractor.text.candidates import analyse
from extractor.text.nlp import parse
from prompts import PROMPTS
from schemas import Article, ArticleExtraction, Provenance

__all__ = ["INLINE_ANALYSIS_CHARS", "PROMPT_VERSIONS", "UsageMeter", "prompts_in_use", "run_extraction"]

PROMPT_VERSIONS: dict[str, str] = dict(PROMPTS)
INLINE_ANALYSIS_CHARS = 12_000
"""Articles up to this long are analysed on the event loop (about 0.75 ms per 1,000 characters here, so
under 10 ms). A worker thread costs a hand-off and, with many articles in flight, GIL contention with the
loop: at 64 articles of 3 KB in flight, analysing inline took 7 % less client CPU an article, and for one
10 KB article at a time 1.7 ms (13 %) less."""


def prompts_in_use(strategy: str, model: str, settings: Settings) -> dict[str, str]:
    """The prompt versions an extraction by ``model`` with ``strategy`` uses (provenance, cache key)."""
    if strategy == "single":
        return {"extract_all": PROMPT_VERSIONS["extract_all"]}
    return {name: version for name, version in PROMPT_VERSIONS.items() if name != "extract_all"}


async def run_extraction(
    article: Article, client: LLMClient, *, strategy: str, settings: Settings, started: float | None = None
) -> ArticleExtraction:
    """Extract from a checked article with the given strategy."""
    started = time.perf_counter() if started is None else started
    meter = UsageMeter()
    if strategy == "single":
        from extractor.pipeline.single import extract_single

        output = await extract_single(article.text, client, meter, settings)
    else:
        output = await _extract_pipeline(article.text, client, meter, settings)
    digest = text_sha256(article.text)
    return ArticleExtraction(
        article_id=article.id or f"sha256:{digest[:16]}",
        title=article.title,
        url=article.url,
        published=article.published,
        text_sha256=digest,
        actors=output.actors,
        claims=output.claims,
        topics=output.topics,
        positions=output.positions,
        provenance=Provenance(
            model=client.model,
            strategy=strategy,
            prompts=prompts_in_use(strategy, client.model, settings),
            usage=meter.usage,
            latency_s=round(time.perf_counter() - started, 4),
            warnings=output.warnings[:200],
        ),
    )


async def _extract_pipeline(
    text: str, client: LLMClient, meter: UsageMeter, settings: Settings
) -> StageOutput:
    if len(text) <= INLINE_ANALYSIS_CHARS:
        analysis = _analyse(text)
    else:
        # Code analysis is linear in the text; off the event loop, a 100 KB article does not stall it.
        analysis = await asyncio.to_thread(_analyse, text)
    decisions = Decisions()
    # Kinds come from the entity recogniser, speakers from the syntax; the model decides the kinds the tagger
    # disputes and the speakers syntax leaves open (one round), then, needing the final claims, positions.
    speaking = [c.speaker for c in analysis.candidates if c.speaker is not None]
    first_round = kind_questions(text, analysis.infos, analysis.roster, speaking) + speaker_questions(
        text, analysis.infos, analysis.roster, analysis.candidates
    )
    await _ask_all(first_round, client, meter, decisions)
    table = build_actors(text, analysis.roster, decisions, spoken_by(analysis.candidates))
    claims = build_claims(text, analysis.candidates, decisions, table)
    # Positions: topics named once over code's candidates, then one small stance question per pair.
    doc = parse(text) if len(text) <= INLINE_ANALYSIS_CHARS else await asyncio.to_thread(parse, text)
    plan = plan_positions(text, doc, table.actors, claims, settings)
    await _ask_all(plan.topic_questions(), client, meter, decisions)
    await _ask_all(plan.stance_questions(), client, meter, decisions)
    plan.calibrate_stances()
    topics, positions = build_positions(plan)
    return StageOutput(table.actors, claims, positions, decisions.warnings, topics)


def _analyse(text: str) -> Analysis:
    infos = analyse(text)
    roster = build_roster(text, infos)
    return Analysis(infos, roster, find_claims(text, infos, roster))


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
        if not question.scored:
            return await meter.ask(client, question.messages, question.response_model, question.max_tokens)
        completion = await meter.complete(
            client, question.messages, question.response_model, question.max_tokens, choice_logprobs=True
        )
    except LLMOutputError as error:
        return error
    return ScoredAnswer(completion.value, completion.choice_logprobs)
