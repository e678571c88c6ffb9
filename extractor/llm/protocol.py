"""What the pipeline asks of a model, free of any LLM library: the protocol, its messages and answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from extractor.llm.constrained import ResponseSpec
from extractor.llm.messages import Message
from schemas import Usage

__all__ = ["Completion", "LLMClient", "Message", "ResponseT"]

ResponseT = TypeVar("ResponseT", bound=BaseModel)


@dataclass(frozen=True)
class Completion(Generic[ResponseT]):
    """A validated model response with what it cost.

    Attributes:
        value: The answer, validated against the requested response model.
        usage: Tokens and requests summed over every attempt of the call.
        raw: The text of the answer that validated.
        attempts: Answers the model gave (the first one and every re-ask).
        choice_logprobs: When asked for and the provider returned them, the log-probabilities of the
            likeliest first tokens of the answer's first string value (``{"op": -0.4, "support": -1.1}``
            for ``{"stance": "oppose"}``), keyed by the token's text without quotes or spaces.
    """

    value: ResponseT
    usage: Usage
    raw: str | None = None
    attempts: int = 1
    choice_logprobs: Mapping[str, float] | None = None


class LLMClient(Protocol):
    """What the pipeline needs from a model: one structured completion at a time."""

    @property
    def model(self) -> str:
        """The model string reported in provenance."""
        ...

    async def complete(
        self,
        messages: Sequence[Message],
        response_model: ResponseSpec[ResponseT],
        *,
        max_tokens: int = 1024,
        choice_logprobs: bool = False,
    ) -> Completion[ResponseT]:
        """Return ``response_model`` filled by the model, or raise an :class:`~extractor.errors.LLMError`.

        ``choice_logprobs`` asks for :attr:`Completion.choice_logprobs`; a client or provider that cannot
        give them answers without.
        """
        ...
