"""The real LLM door (instructor over the openai client) against a scripted local HTTP server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from extractor.errors import LLMConnectionError, LLMOutputError, LLMRateLimitError, LLMTimeoutError
from extractor.llm.structured import prepared_model
from tests.unit.llm.conftest import Reply, Verdict
from tests.unit.llm.conftest import door_llm as _llm

# Every test here runs over both HTTP transports of the openai client.
pytestmark = pytest.mark.usefixtures("transport")


async def test_valid_answer_carries_usage(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(200, {}, '{"answer": "yes"}', 0)])
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "yes"
    assert (
        completion.usage.prompt_tokens,
        completion.usage.completion_tokens,
        completion.usage.requests,
    ) == (11, 7, 1)


async def test_garbage_every_time_is_a_typed_error_with_attempts_raw_output_and_summed_usage(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    base = scripted_server([(200, {}, "this is not json {", 0)])
    with pytest.raises(LLMOutputError) as caught:
        await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    error = caught.value
    assert error.attempts == 3
    assert error.last_output == "this is not json {"
    assert error.usage.requests == 3
    assert error.usage.prompt_tokens == 33


async def test_reask_recovers_after_one_invalid_answer(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(200, {}, '{"wrong": 1}', 0), (200, {}, '{"answer": "ok"}', 0)])
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "ok"
    assert completion.usage.requests == 2


async def test_timeout_is_typed(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(200, {}, '{"answer": "late"}', 1.5)])
    with pytest.raises(LLMTimeoutError):
        await _llm(base, timeout_s=0.3, transient_retries=1).complete(
            [{"role": "user", "content": "q"}], Verdict
        )


async def test_rate_limit_honours_retry_after_then_succeeds(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    base = scripted_server([(429, {"retry-after": "0.2"}, "slow down", 0), (200, {}, '{"answer": "ok"}', 0)])
    started = time.perf_counter()
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "ok"
    assert time.perf_counter() - started >= 0.2


async def test_rate_limit_exhausted_carries_retry_after(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    base = scripted_server([(429, {"retry-after": "0.05"}, "slow down", 0)])
    with pytest.raises(LLMRateLimitError) as caught:
        await _llm(base, transient_retries=1).complete([{"role": "user", "content": "q"}], Verdict)
    assert caught.value.retry_after == pytest.approx(0.05)


async def test_unreachable_server_is_a_connection_error() -> None:
    llm = _llm("http://127.0.0.1:9/v1", transient_retries=0)
    with pytest.raises(LLMConnectionError):
        await llm.complete([{"role": "user", "content": "q"}], Verdict)


async def test_a_server_error_is_retried_as_transient(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(500, {}, "boom", 0), (200, {}, '{"answer": "ok"}', 0)])
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "ok"


async def test_max_in_flight_queues_requests_before_their_timeout_starts(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    # Each answer takes 0.3 s and the timeout is 0.5 s. Sent one at a time, three requests take 0.9 s in
    # all and none times out: the wait for a slot is not counted against the request's timeout.
    base = scripted_server([(200, {}, '{"answer": "yes"}', 0.3)])
    llm = _llm(base, timeout_s=0.5, transient_retries=0, max_in_flight=1)
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(llm.complete([{"role": "user", "content": "q"}], Verdict) for _ in range(3))
    )
    assert [a.value.answer for a in answers] == ["yes"] * 3
    assert time.perf_counter() - started >= 0.9


async def test_a_response_model_is_prepared_once_and_its_schema_sent_unchanged(
    scripted_server: Callable[..., str],
) -> None:
    received: list[Any] = []
    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)], received=received))
    answers = [await llm.complete([{"role": "user", "content": "q"}], Verdict) for _ in range(2)]
    assert all(isinstance(answer.value, Verdict) for answer in answers)
    assert type(answers[0].value) is type(answers[1].value)  # one wrapper class, not one per request
    sent = [body["response_format"]["json_schema"] for body in received]
    assert sent[0] == sent[1] == {"name": "Verdict", "schema": Verdict.model_json_schema()}
    first = prepared_model(Verdict).model_json_schema()
    first["properties"].clear()  # what one request does to its schema does not reach the next
    assert prepared_model(Verdict).model_json_schema() == Verdict.model_json_schema()


async def test_narrowed_requests_in_flight_together_each_send_and_check_their_own_choices(
    scripted_server: Callable[..., str],
) -> None:
    from extractor.llm.drafts import SpeakerChoice, speaker_model

    received: list[Any] = []
    llm = _llm(scripted_server([(200, {}, '{"speaker": "b"}', 0.05)], received=received))
    specs = [speaker_model(["a"]), speaker_model(["b"]), speaker_model(["c", "b"])]
    try:
        results = await asyncio.gather(
            *(llm.complete([{"role": "user", "content": "q"}], spec) for spec in specs),
            return_exceptions=True,
        )
    finally:
        await llm.aclose()
    sent = [json.dumps(body["response_format"]["json_schema"]["schema"]) for body in received]
    # Three attempts for the first (re-asked twice, with its own schema each time), one for each other.
    assert sorted(sent) == sorted(json.dumps(spec.model_json_schema()) for spec in [specs[0]] * 3 + specs[1:])
    assert all(body["response_format"]["json_schema"]["name"] == "SpeakerChoice" for body in received)
    assert isinstance(
        results[0], LLMOutputError
    )  # "b" was never offered to the first: re-asked, then refused
    assert [result.value.speaker for result in results[1:]] == ["b", "b"]  # type: ignore[union-attr]
    assert prepared_model(SpeakerChoice).model_json_schema() == SpeakerChoice.model_json_schema()


async def test_article_text_reaches_the_model_verbatim_even_with_template_braces(
    scripted_server: Callable[..., str],
) -> None:
    # instructor's ``context=`` would render messages as Jinja: "{{ speakers }}" filled in, "{%" refused.
    from extractor.llm.drafts import speaker_model

    received: list[Any] = []
    base = scripted_server([(200, {}, '{"speaker": "a"}', 0)], received=received)
    llm = _llm(base)
    text = 'He wrote "{{ speakers }}" and {% raw %} in the memo: {{ unknown }} {%'
    try:
        answer = await llm.complete([{"role": "user", "content": text}], speaker_model(["a"]))
    finally:
        await llm.aclose()
    assert answer.value.speaker == "a"
    assert received[0]["messages"] == [{"role": "user", "content": text}]
