"""The one retry loop, shared by the real door and :class:`~extractor.testing.FakeLLM`.

A call sends attempts until one answers with valid output, and tells two kinds of failure apart:

- an answer that is not the response model (:class:`InvalidOutput`) is re-asked at once: the model sees
  its answer and the validation errors, in the words instructor's JSON-schema mode uses, up to
  ``max_retries`` times; a body that is no answer at all is sent again unchanged;
- a timeout, rate limit or unreachable server waits (the provider's ``Retry-After`` when it gave one,
  else a jittered exponential backoff) and sends the same request again, up to ``transient_retries`` times.

Token usage is summed over every answer; when the answers run out the call raises an
:class:`~extractor.errors.LLMOutputError` carrying the attempts, the last raw output and that usage.
Both fakes and the door go through here, so an injected fault takes the path a real one takes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic

from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from extractor.errors import LLMConnectionError, LLMOutputError, LLMRateLimitError, LLMTimeoutError
from extractor.llm.constrained import ResponseSpec
from extractor.llm.protocol import Completion, Message, ResponseT
from schemas import Usage

__all__ = [
    "REASK_PREFIX",
    "TRANSIENT_ERRORS",
    "Attempt",
    "InvalidOutput",
    "Reply",
    "RetryPolicy",
    "complete_with_retries",
    "reask_messages",
    "validate_reply",
]

TRANSIENT_ERRORS = (LLMTimeoutError, LLMRateLimitError, LLMConnectionError)
"""Failures that say nothing about the request: the same one is sent again after a wait."""

REASK_PREFIX = "Correct your JSON ONLY RESPONSE, based on the following errors:\n"
"""How a re-ask starts: instructor's wording for its JSON-schema mode, which models are used to."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often a call tries again, and how long it waits between transient failures.

    Attributes:
        max_retries: Re-asks after an invalid answer (so ``max_retries + 1`` answers at most).
        transient_retries: Retries after a timeout, rate limit or connection error, over the whole call.
        backoff_base_s: First backoff delay; doubles on each transient retry, jittered by ±50%.
        max_backoff_s: Cap on any wait, a provider's ``Retry-After`` included.
    """

    max_retries: int = 2
    transient_retries: int = 3
    backoff_base_s: float = 1.0
    max_backoff_s: float = 60.0


@dataclass(frozen=True)
class Reply(Generic[ResponseT]):
    """One attempt's valid answer: the value, its raw text and what the attempt cost."""

    value: ResponseT
    raw: str | None
    usage: Usage
    choice_logprobs: Mapping[str, float] | None = None


class InvalidOutput(Exception):  # noqa: N818 - a verdict on an answer, handled inside the loop
    """An attempt's answer that is not the response model; never leaves :func:`complete_with_retries`.

    Args:
        cause: What was wrong (a pydantic ``ValidationError``, a parse error), shown to the model.
        raw: The answer's text; None when the body held no answer (then it is sent again unchanged).
        usage: What the attempt cost.
        reason: How the final error describes the failure ("did not validate", "was cut off ...").
        final: Asking again cannot help (e.g. the answer was cut off at ``max_tokens``).
    """

    def __init__(
        self,
        cause: BaseException,
        *,
        raw: str | None,
        usage: Usage,
        reason: str = "did not validate",
        final: bool = False,
    ) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.raw = raw
        self.usage = usage
        self.reason = reason
        self.final = final


Attempt = Callable[[Sequence[Message]], Awaitable[Reply[ResponseT]]]
"""Sends one request with these messages: returns a :class:`Reply`, or raises :class:`InvalidOutput` or
an :class:`~extractor.errors.LLMError`."""


def validate_reply(spec: ResponseSpec[ResponseT], raw: str, usage: Usage) -> Reply[ResponseT]:
    """The reply for answer text ``raw``, or :class:`InvalidOutput` when it is not ``spec``."""
    try:
        value = spec.model_validate_json(raw)
    except ValidationError as error:
        raise InvalidOutput(error, raw=raw, usage=usage) from error
    return Reply(value, raw, usage)


def reask_messages(raw: str, cause: BaseException) -> list[Message]:
    """The messages that show the model its invalid answer and what was wrong with it."""
    return [{"role": "assistant", "content": raw}, {"role": "user", "content": f"{REASK_PREFIX}{cause}"}]


@dataclass
class _Call:
    """One call's progress: the conversation so far and what its answers cost."""

    policy: RetryPolicy
    messages: list[Message]
    usage: Usage = field(default_factory=Usage)
    last_raw: str | None = None
    answers: int = 0
    transient: int = 0

    def record(self, error: BaseException) -> None:
        if isinstance(error, InvalidOutput):
            self.answers += 1
            self.usage = self.usage + error.usage
            if error.raw is not None:
                self.last_raw = error.raw
                if not error.final:
                    self.messages.extend(reask_messages(error.raw, error.cause))
        elif isinstance(error, TRANSIENT_ERRORS):
            self.transient += 1

    def retryable(self, error: BaseException) -> bool:
        if isinstance(error, InvalidOutput):
            return not error.final
        return isinstance(error, TRANSIENT_ERRORS)

    def spent(self, state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, InvalidOutput):
            return self.answers > self.policy.max_retries
        return self.transient > self.policy.transient_retries

    def wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if not isinstance(error, TRANSIENT_ERRORS):
            return 0.0  # a re-ask goes out at once: the model answered, it only answered wrong
        if isinstance(error, LLMRateLimitError) and error.retry_after is not None:
            return min(max(error.retry_after, 0.0), self.policy.max_backoff_s)
        delay = self.policy.backoff_base_s * (2 ** (self.transient - 1)) * (0.5 + random.random())
        return float(min(delay, self.policy.max_backoff_s))


async def complete_with_retries(
    attempt: Attempt[ResponseT],
    messages: Sequence[Message],
    spec: ResponseSpec[ResponseT],
    *,
    policy: RetryPolicy,
    model: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Completion[ResponseT]:
    """Send ``attempt`` until it answers validly, re-asking and backing off as the policy allows.

    Args:
        attempt: Sends one request (see :data:`Attempt`).
        messages: The conversation to start from; re-asks extend a copy of it.
        spec: The requested response model, named in the final error.
        policy: Retry budgets and backoff.
        model: Model name for the final error.
        sleep: How to wait between transient retries.

    Returns:
        The valid answer, with the usage of every answer summed and the number of answers.

    Raises:
        LLMOutputError: Every answer allowed was invalid (or one could not be improved by asking again).
        LLMError: A transient failure outlasted ``transient_retries``, or any other model failure.
    """
    # Most requests are answered validly at once: the first attempt is made before any retry machinery
    # (the call's record included) is set up, and its failure, if any, is handed to that machinery as its
    # own first attempt's.
    sent = tuple(messages)
    try:
        first = await attempt(sent)
    except Exception as error:
        call = _Call(policy, list(sent))
        call.record(error)
        first_failure: Exception | None = error
    else:
        return Completion(first.value, first.usage, first.raw, 1, first.choice_logprobs)
    reply: Reply[ResponseT] | None = None
    retrying = AsyncRetrying(
        sleep=sleep,
        retry=retry_if_exception(call.retryable),
        stop=call.spent,
        wait=call.wait,
        reraise=True,
    )
    try:
        async for try_ in retrying:
            with try_:
                if first_failure is not None:
                    failure, first_failure = first_failure, None
                    raise failure
                try:
                    reply = await attempt(tuple(call.messages))
                except Exception as error:
                    call.record(error)
                    raise
    except InvalidOutput as invalid:
        raise _output_error(invalid, call, spec, model) from invalid.cause
    if reply is None:  # pragma: no cover - tenacity ends the loop only on a result or by raising
        raise AssertionError("the retry loop ended without an answer")
    return Completion(
        reply.value, call.usage + reply.usage, reply.raw, call.answers + 1, reply.choice_logprobs
    )


def _output_error(
    invalid: InvalidOutput, call: _Call, spec: ResponseSpec[ResponseT], model: str
) -> LLMOutputError:
    if call.last_raw is not None:
        detail = f"last output starts {call.last_raw[:200]!r}"
    else:
        detail = f"no answer could be read: {type(invalid.cause).__name__}: {str(invalid.cause)[:300]}"
    return LLMOutputError(
        f"{model} output {invalid.reason} after {call.answers} attempt(s) for {spec.__name__}; {detail}",
        model=model,
        attempts=call.answers,
        last_output=call.last_raw,
        usage=call.usage,
    )
