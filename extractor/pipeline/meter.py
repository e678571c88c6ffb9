"""Token usage of one extraction, summed over every request the pipeline sends."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from extractor.errors import LLMOutputError
from extractor.llm.client import Completion, LLMClient, Message
from extractor.llm.constrained import ResponseSpec
from schemas import Usage

__all__ = ["UsageMeter"]


class UsageMeter:
    """Sums usage over every request of one extraction, failed ones included."""

    def __init__(self) -> None:
        self.usage = Usage()

    async def ask(
        self, client: LLMClient, messages: Sequence[Message], model: ResponseSpec[BaseModel], max_tokens: int
    ) -> BaseModel:
        """One decision; usage counted even when the answer never validates."""
        return (await self.complete(client, messages, model, max_tokens)).value

    async def complete(
        self,
        client: LLMClient,
        messages: Sequence[Message],
        model: ResponseSpec[BaseModel],
        max_tokens: int,
        *,
        choice_logprobs: bool = False,
    ) -> Completion[BaseModel]:
        """One decision with what the client returned beside it (log-probabilities when asked for)."""
        try:
            completion = await client.complete(
                messages, model, max_tokens=max_tokens, choice_logprobs=choice_logprobs
            )
        except LLMOutputError as error:
            self.usage = self.usage + error.usage
            raise
        self.usage = self.usage + completion.usage
        return completion
