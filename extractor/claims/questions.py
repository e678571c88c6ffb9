"""The claims stage's question: the speaker of a claim whose syntax names none, among the roster's ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extractor.actors.roster import Roster
from extractor.claims.attribution import ClaimCandidate
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.drafts import speaker_model
from extractor.llm.questions import Question
from extractor.text.chunking import window_for
from prompts import render

__all__ = ["speaker_questions"]


def speaker_questions(
    text: str, spans: list[tuple[int, int]], roster: Roster, candidates: list[ClaimCandidate]
) -> list[Question]:
    """One question per claim code left without a speaker, over its window and the sentences before it."""
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
