"""The actors stage's question: the kind of names the entity recogniser disputes or leaves open.

Asked only for a name whose mentions the tagger labels in ways that disagree ("Scientology" as a place
six times and an organisation five), or a speaking name it never labels. The model reads the sentences
those names first appear in, not the article.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from extractor.actors.drafts import ActorDraft, Roster
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.drafts import actor_kinds_model
from extractor.llm.questions import Question
from extractor.text.candidates import SentenceInfo
from prompts import render

__all__ = ["disputed_kinds", "kind_questions"]

_MAX_NAMES_PER_REQUEST = 12


def disputed_kinds(roster: Roster, speakers: Iterable[ActorDraft]) -> list[ActorDraft]:
    """The drafts whose kind the model decides: disputed by the tagger, or unknown and speaking."""
    speaking = {id(actor) for actor in speakers}
    return [
        actor
        for actor in roster.actors
        if actor.mentions and (actor.kind_disputed or (actor.kind is None and id(actor) in speaking))
    ]


def kind_questions(
    text: str, infos: list[SentenceInfo], roster: Roster, speakers: Iterable[ActorDraft]
) -> list[Question]:
    """One question per batch of disputed names, over the sentences each is first mentioned in."""
    disputed = disputed_kinds(roster, speakers)
    by_name = {actor.canonical: actor.id for actor in disputed}

    def record(decisions: Decisions, answer: Any) -> None:
        for item in answer.answers:
            decisions.kinds.setdefault(by_name[item.name], item.kind)

    def warn(decisions: Decisions, error: LLMOutputError) -> None:
        decisions.warnings.append(f"actor kinds undecided ({error.attempts} attempts); the tagger's kept")

    questions: list[Question] = []
    for begin in range(0, len(disputed), _MAX_NAMES_PER_REQUEST):
        batch = disputed[begin : begin + _MAX_NAMES_PER_REQUEST]
        passage = "\n".join(_first_sentences(text, infos, batch))
        names = [actor.canonical for actor in batch]
        messages = render("actor_kinds", article=passage, names=names)
        questions.append(Question(messages, actor_kinds_model(names), 40 + 24 * len(names), record, warn))
    return questions


def _first_sentences(text: str, infos: list[SentenceInfo], actors: list[ActorDraft]) -> list[str]:
    starts = sorted({min(actor.mentions)[0] for actor in actors})
    chosen: list[tuple[int, int]] = []
    for start in starts:
        sentence = next((i.segment for i in infos if i.segment.start <= start < i.segment.end), None)
        bounds = (sentence.start, sentence.end) if sentence else (start, min(len(text), start + 200))
        if bounds not in chosen:
            chosen.append(bounds)
    return [text[a:b] for a, b in sorted(chosen)]
