"""FakeLLM answers through the door's retry loop: injected faults take the path real ones take."""

from __future__ import annotations

import time

import pytest
from pydantic import BaseModel

from extractor.errors import LLMOutputError, LLMRateLimitError, LLMTimeoutError
from extractor.llm.retry import REASK_PREFIX
from extractor.testing import FakeCall, FakeLLM, fake_llm_from_model


class Verdict(BaseModel):
    answer: str


QUESTION = [{"role": "user", "content": "q"}]


async def test_garbage_is_re_asked_with_the_messages_a_real_model_would_see() -> None:
    def handler(call: FakeCall) -> object:
        return "{this is not json" if call.attempt == 1 else {"answer": "ok"}

    fake = FakeLLM(handler)
    completion = await fake.complete(QUESTION, Verdict)
    assert completion.value.answer == "ok" and completion.attempts == 2
    assert completion.usage.requests == 2 and completion.usage.prompt_tokens == 200
    first, second = fake.calls
    assert first.messages == tuple(QUESTION)
    assert second.messages[1] == {"role": "assistant", "content": "{this is not json"}
    assert second.messages[2]["content"].startswith(REASK_PREFIX)


async def test_garbage_every_time_is_the_door_s_output_error() -> None:
    fake = FakeLLM(lambda call: "nope", max_retries=1)
    with pytest.raises(LLMOutputError) as caught:
        await fake.complete(QUESTION, Verdict)
    assert (caught.value.attempts, caught.value.last_output, caught.value.usage.requests) == (2, "nope", 2)


async def test_an_injected_timeout_is_raised_at_once_by_default() -> None:
    fake = FakeLLM(lambda call: LLMTimeoutError("injected"))
    with pytest.raises(LLMTimeoutError):
        await fake.complete(QUESTION, Verdict)
    assert len(fake.calls) == 1


async def test_transient_retries_honour_an_injected_retry_after() -> None:
    def handler(call: FakeCall) -> object:
        return LLMRateLimitError("429", retry_after=0.05) if call.attempt == 1 else {"answer": "ok"}

    fake = FakeLLM(handler, transient_retries=1)
    started = time.perf_counter()
    completion = await fake.complete(QUESTION, Verdict)
    assert time.perf_counter() - started >= 0.05
    assert completion.value.answer == "ok" and [call.attempt for call in fake.calls] == [1, 2]
    assert completion.usage.requests == 1  # the rate-limited request cost nothing


async def test_a_fake_model_string_s_garbage_is_re_asked_until_it_validates() -> None:
    fake = fake_llm_from_model("fake/garbage=0.3,seed=1")
    answers = [await fake.complete(QUESTION, Verdict) for _ in range(10)]
    assert all(answer.value.answer for answer in answers)
    assert any(answer.attempts > 1 for answer in answers)
