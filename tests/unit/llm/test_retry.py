"""The one retry loop: re-asks, backoff, usage over attempts and the exhausted-call error."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from pydantic import BaseModel, ValidationError

from extractor.errors import (
    LLMAuthError,
    LLMConnectionError,
    LLMOutputError,
    LLMRateLimitError,
    LLMTimeoutError,
)
from extractor.llm.drafts import speaker_model
from extractor.llm.protocol import Message
from extractor.llm.retry import (
    REASK_PREFIX,
    InvalidOutput,
    Reply,
    RetryPolicy,
    complete_with_retries,
    validate_reply,
)
from schemas import Usage


class Verdict(BaseModel):
    answer: str


QUESTION: list[Message] = [{"role": "user", "content": "q"}]
USAGE = Usage(prompt_tokens=10, completion_tokens=3, requests=1)


class Script:
    """An attempt function answering from a list: text is validated, exceptions are raised."""

    def __init__(self, *answers: str | BaseException, spec: object = Verdict) -> None:
        self.answers = list(answers)
        self.spec = spec
        self.sent: list[tuple[Message, ...]] = []
        self.waits: list[float] = []

    async def __call__(self, messages: Sequence[Message]) -> Reply[Verdict]:
        self.sent.append(tuple(messages))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return validate_reply(self.spec, answer, USAGE)  # type: ignore[arg-type]

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


async def run(script: Script, policy: RetryPolicy | None = None, spec: object = Verdict) -> object:
    return await complete_with_retries(
        script,
        QUESTION,
        spec,  # type: ignore[arg-type]
        policy=policy or RetryPolicy(backoff_base_s=0.1),
        model="m",
        sleep=script.sleep,
    )


async def test_a_valid_first_answer_is_one_attempt_with_its_usage() -> None:
    completion = await run(Script('{"answer": "yes"}'))
    assert completion.value == Verdict(answer="yes")  # type: ignore[attr-defined]
    assert (completion.attempts, completion.usage, completion.raw) == (1, USAGE, '{"answer": "yes"}')  # type: ignore[attr-defined]


async def test_an_invalid_answer_is_re_asked_with_the_answer_and_the_errors() -> None:
    script = Script('{"wrong": 1}', '{"answer": "ok"}')
    completion = await run(script)
    assert completion.value.answer == "ok"  # type: ignore[attr-defined]
    assert completion.attempts == 2  # type: ignore[attr-defined]
    assert completion.usage == USAGE + USAGE  # type: ignore[attr-defined]
    first, second = script.sent
    assert first == tuple(QUESTION)
    assert second[:2] == (*QUESTION, {"role": "assistant", "content": '{"wrong": 1}'})
    assert second[2]["role"] == "user" and second[2]["content"].startswith(REASK_PREFIX)
    assert "answer" in second[2]["content"] and "Field required" in second[2]["content"]
    assert script.waits == [0.0]  # a re-ask goes out at once


async def test_exhausted_re_asks_raise_an_output_error_with_attempts_last_output_and_summed_usage() -> None:
    script = Script("not json {")
    with pytest.raises(LLMOutputError) as caught:
        await run(script, RetryPolicy(max_retries=2))
    error = caught.value
    assert (error.attempts, error.last_output, error.model) == (3, "not json {", "m")
    assert error.usage == USAGE + USAGE + USAGE
    assert "did not validate after 3 attempt(s) for Verdict" in str(error)
    assert isinstance(error.__cause__, ValidationError)
    assert len(script.sent) == 3 and len(script.sent[2]) == 5  # two re-asks of two messages each


async def test_a_rate_limit_waits_as_long_as_the_provider_asked() -> None:
    script = Script(LLMRateLimitError("429", retry_after=7.5), '{"answer": "ok"}')
    completion = await run(script)
    assert completion.value.answer == "ok"  # type: ignore[attr-defined]
    assert script.waits == [7.5]
    assert script.sent[0] == script.sent[1]  # the same request again
    assert completion.attempts == 1  # type: ignore[attr-defined]


async def test_a_provider_wait_is_capped() -> None:
    script = Script(LLMRateLimitError("429", retry_after=3600), '{"answer": "ok"}')
    await run(script, RetryPolicy(max_backoff_s=60.0))
    assert script.waits == [60.0]


async def test_timeouts_back_off_exponentially_with_jitter() -> None:
    script = Script(LLMTimeoutError("t"), LLMTimeoutError("t"), LLMConnectionError("c"), '{"answer": "ok"}')
    await run(script, RetryPolicy(transient_retries=3, backoff_base_s=1.0))
    assert len(script.waits) == 3
    for number, wait in enumerate(script.waits):
        assert 0.5 * 2**number <= wait <= 1.5 * 2**number


async def test_transient_failures_past_the_budget_raise_the_typed_error() -> None:
    script = Script(LLMRateLimitError("429", retry_after=0.05))
    with pytest.raises(LLMRateLimitError) as caught:
        await run(script, RetryPolicy(transient_retries=2))
    assert caught.value.retry_after == 0.05
    assert len(script.sent) == 3


async def test_the_transient_budget_spans_the_whole_call_re_asks_included() -> None:
    script = Script(LLMTimeoutError("t"), '{"wrong": 1}', LLMTimeoutError("t"))
    with pytest.raises(LLMTimeoutError):
        await run(script, RetryPolicy(max_retries=2, transient_retries=1))
    assert len(script.sent) == 3
    assert len(script.sent[2]) == 3  # the timed-out re-ask was the re-ask, not the question again


async def test_other_model_errors_are_not_retried() -> None:
    script = Script(LLMAuthError("no"))
    with pytest.raises(LLMAuthError):
        await run(script)
    assert len(script.sent) == 1 and script.waits == []


async def test_a_final_invalid_answer_is_not_re_asked() -> None:
    async def cut_off(messages: Sequence[Message]) -> Reply[Verdict]:
        raise InvalidOutput(ValueError("length"), raw='{"ans', usage=USAGE, reason="was cut off", final=True)

    with pytest.raises(LLMOutputError) as caught:
        await complete_with_retries(cut_off, QUESTION, Verdict, policy=RetryPolicy(), model="m")
    assert caught.value.attempts == 1 and caught.value.last_output == '{"ans'
    assert "was cut off after 1 attempt(s)" in str(caught.value)


async def test_a_body_without_an_answer_is_sent_again_unchanged_and_named_in_the_error() -> None:
    sent: list[int] = []

    async def no_answer(messages: Sequence[Message]) -> Reply[Verdict]:
        sent.append(len(messages))
        raise InvalidOutput(
            json.JSONDecodeError("<html>502</html>", "", 0), raw=None, usage=Usage(requests=1)
        )

    with pytest.raises(LLMOutputError) as caught:
        await complete_with_retries(
            no_answer, QUESTION, Verdict, policy=RetryPolicy(max_retries=1), model="m"
        )
    assert sent == [1, 1]
    assert caught.value.last_output is None and caught.value.usage.requests == 2
    assert "no answer could be read: JSONDecodeError: <html>502</html>" in str(caught.value)


async def test_a_narrowed_spec_checks_its_choices_and_re_asks() -> None:
    spec = speaker_model(["a", "b"])
    script = Script('{"speaker": "z"}', '{"speaker": "b"}', spec=spec)
    completion = await run(script, spec=spec)
    assert completion.value.speaker == "b"  # type: ignore[attr-defined]
    assert completion.attempts == 2  # type: ignore[attr-defined]
