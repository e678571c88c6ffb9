"""The claims stage's question: the speaker of a claim whose syntax names none, among the roster's ids.

The model reads the passage the decision needs, not the article: the claim's sentence, the sentences
before it back to about 600 characters (a quotation continued across paragraphs names its speaker
earlier), and the sentence after it ("..., said X." on the next line). The choices are the actors
mentioned in that passage and the speakers of the claims just before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extractor.actors.drafts import ActorDraft, Roster
from extractor.claims.candidate import ClaimCandidate
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.drafts import speaker_model
from extractor.llm.questions import Question
from extractor.text.candidates import SentenceInfo
from prompts import render

__all__ = ["PASSAGE_BEFORE_CHARS", "speaker_questions"]

PASSAGE_BEFORE_CHARS = 600
_RECENT_SPEAKERS = 3


def speaker_questions(
    text: str, infos: list[SentenceInfo], roster: Roster, candidates: list[ClaimCandidate]
) -> list[Question]:
    """One question per claim code left without a speaker, over the passage around it."""
    questions: list[Question] = []
    recent: list[ActorDraft] = []
    for index, candidate in enumerate(candidates):
        if candidate.speaker is not None:
            others = [actor for actor in recent if actor is not candidate.speaker]
            recent = ([candidate.speaker] + others)[:_RECENT_SPEAKERS]
            continue
        start, end = _passage(infos, candidate.sentence)
        choices = _choices(roster, start, end, recent)
        if not choices:
            continue
        messages = render(
            "attribute_speaker",
            article=text[start:end],
            claim=text[candidate.content[0] : candidate.content[1]][:400],
            actors=choices,
        )
        model = speaker_model([choice["id"] for choice in choices])
        questions.append(Question(messages, model, 40, *_speaker_recorders(index)))
    return questions


def _passage(infos: list[SentenceInfo], sentence: SentenceInfo) -> tuple[int, int]:
    if sentence.index < 0:  # a headline claim: the line alone
        return sentence.segment.start, sentence.segment.end
    first = sentence.index
    while first > 0 and sentence.segment.start - infos[first - 1].segment.start <= PASSAGE_BEFORE_CHARS:
        first -= 1
    last = min(sentence.index + 1, len(infos) - 1)
    return infos[first].segment.start, infos[last].segment.end


def _choices(roster: Roster, start: int, end: int, recent: list[ActorDraft]) -> list[dict[str, str]]:
    seen: list[ActorDraft] = []
    for mention in roster.in_range(start, end):
        if mention.actor not in seen:
            seen.append(mention.actor)
    for actor in recent:
        if actor not in seen:
            seen.append(actor)
    return [{"id": actor.id, "name": actor.canonical, "title": actor.title or ""} for actor in seen]


def _speaker_recorders(
    index: int,
) -> tuple[Callable[[Decisions, Any], None], Callable[[Decisions, LLMOutputError], None]]:
    def record(decisions: Decisions, answer: Any) -> None:
        decisions.speakers[index] = answer.speaker

    def warn(decisions: Decisions, error: LLMOutputError) -> None:
        decisions.warnings.append(f"speaker of claim {index + 1} undecided ({error.attempts} attempts)")

    return record, warn
