"""One small constrained decision put to the model, and where its answer (or its failure) lands."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.constrained import ResponseSpec
from extractor.llm.messages import Message

__all__ = ["Question", "ScoredAnswer"]


@dataclass(frozen=True)
class Question:
    """One request: its messages, the narrowed answer model, and how the answer lands in ``Decisions``.

    A ``scored`` question asks for the log-probabilities of its answer's first value token; its
    ``on_answer`` receives a :class:`ScoredAnswer`.
    """

    messages: list[Message]
    response_model: ResponseSpec[BaseModel]
    max_tokens: int
    on_answer: Callable[[Decisions, Any], None]
    on_failure: Callable[[Decisions, LLMOutputError], None]
    scored: bool = False


@dataclass(frozen=True)
class ScoredAnswer:
    """An answer and, when the model gave them, its first value token's alternatives' log-probabilities."""

    value: BaseModel
    choice_logprobs: Mapping[str, float] | None
