"""The actors stage's question: the kind of each name neither the word lists nor the syntax settle."""

from __future__ import annotations

from typing import Any

from extractor.actors.roster import Roster
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.drafts import actor_kinds_model
from extractor.llm.questions import Question
from extractor.text.chunking import window_for
from prompts import render

__all__ = ["kind_questions"]

_MAX_NAMES_PER_REQUEST = 12


def kind_questions(text: str, spans: list[tuple[int, int]], roster: Roster) -> list[Question]:
    """One question per window and batch of names, each name asked once, in its first mention's window."""
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
