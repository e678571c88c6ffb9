"""One attempt through instructor's public API; these tests fail loudly if an instructor release changes
the request it builds (the recorded cassettes match on it) or how it reports a failed attempt."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from extractor.errors import LLMOutputError, LLMTimeoutError
from extractor.llm.drafts import SpeakerChoice, speaker_model
from extractor.llm.retry import InvalidOutput
from extractor.llm.structured import prepared_model, structured_attempt
from schemas import Usage


class Verdict(BaseModel):
    """A verdict."""

    answer: str


PARAMS = {"max_tokens": 64, "temperature": 0.0, "model": "local"}
MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "q"}]


def _completion(content: str | None, finish_reason: str = "stop", **changes: Any) -> ChatCompletion:
    data: dict[str, Any] = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "local",
        "choices": [
            {"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }
    data.update(changes)
    return ChatCompletion.construct(**data) if "choices" in changes else ChatCompletion.model_validate(data)


class Sender:
    def __init__(self, *answers: ChatCompletion | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []

    async def __call__(self, request: dict[str, Any]) -> ChatCompletion:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_the_request_is_the_recorded_json_schema_body() -> None:
    send = Sender(_completion('{"answer": "yes"}'))
    reply = await structured_attempt(send, MESSAGES, Verdict, dict(PARAMS), model="m")
    assert reply.value.answer == "yes" and reply.raw == '{"answer": "yes"}'
    assert reply.usage == Usage(prompt_tokens=11, completion_tokens=7, requests=1)
    (request,) = send.requests
    # Key order too: the body is posted as built, and the cassettes hold it in this order.
    assert list(request) == ["messages", "max_tokens", "temperature", "model", "response_format"]
    assert request["messages"] == MESSAGES
    assert request["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Verdict", "schema": Verdict.model_json_schema()},
    }


async def test_an_invalid_answer_is_one_send_reported_with_its_text_and_usage() -> None:
    send = Sender(_completion('{"wrong": 1}'))
    with pytest.raises(InvalidOutput) as caught:
        await structured_attempt(send, MESSAGES, Verdict, dict(PARAMS), model="m")
    assert len(send.requests) == 1  # instructor's own re-asks are off: the door's loop re-asks
    assert caught.value.raw == '{"wrong": 1}' and not caught.value.final
    assert caught.value.usage.requests == 1
    assert "answer" in str(caught.value.cause)


async def test_an_answer_cut_off_at_max_tokens_is_final() -> None:
    send = Sender(_completion('{"answer": "ye', finish_reason="length"))
    with pytest.raises(InvalidOutput) as caught:
        await structured_attempt(send, MESSAGES, Verdict, dict(PARAMS), model="m")
    assert caught.value.final and caught.value.reason == "was cut off at max_tokens"


async def test_a_completion_without_choices_is_final() -> None:
    send = Sender(_completion(None, choices=None))
    with pytest.raises(InvalidOutput) as caught:
        await structured_attempt(send, MESSAGES, Verdict, dict(PARAMS), model="m")
    assert caught.value.final and caught.value.raw is None


async def test_send_failures_arrive_as_claimscope_errors_or_a_body_to_send_again() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    with pytest.raises(LLMTimeoutError):
        await structured_attempt(
            Sender(openai.APITimeoutError(request=request)), MESSAGES, Verdict, PARAMS, model="m"
        )
    own = LLMOutputError("ours", model="m", attempts=1, last_output=None, usage=Usage())
    with pytest.raises(LLMOutputError) as caught:
        await structured_attempt(Sender(own), MESSAGES, Verdict, dict(PARAMS), model="m")
    assert caught.value is own
    with pytest.raises(InvalidOutput) as invalid:
        await structured_attempt(
            Sender(json.JSONDecodeError("<html>", "", 0)), MESSAGES, Verdict, PARAMS, model="m"
        )
    assert invalid.value.raw is None and not invalid.value.final


async def test_a_narrowed_request_sends_its_schema_and_checks_its_choices() -> None:
    spec = speaker_model(["a", "b"])
    send = Sender(_completion('{"speaker": "b"}'), _completion('{"speaker": "z"}'))
    reply = await structured_attempt(send, MESSAGES, spec, dict(PARAMS), model="m")
    assert reply.value.speaker == "b"
    with pytest.raises(InvalidOutput):  # a valid SpeakerChoice, but not one of this request's choices
        await structured_attempt(send, MESSAGES, spec, dict(PARAMS), model="m")
    for request in send.requests:
        assert request["response_format"]["json_schema"] == {
            "name": "SpeakerChoice",
            "schema": spec.model_json_schema(),
        }
    assert prepared_model(SpeakerChoice).model_json_schema() == SpeakerChoice.model_json_schema()


async def test_messages_reach_the_send_verbatim_even_with_template_braces() -> None:
    text = 'He wrote "{{ speakers }}" and {% raw %} in the memo: {{ unknown }} {%'
    send = Sender(_completion('{"speaker": "a"}'))
    await structured_attempt(
        send, [{"role": "user", "content": text}], speaker_model(["a"]), dict(PARAMS), model="m"
    )
    assert send.requests[0]["messages"] == [{"role": "user", "content": text}]


def test_a_response_model_is_prepared_once_and_hands_out_schema_copies() -> None:
    prepared = prepared_model(Verdict)
    assert prepared is prepared_model(Verdict)
    assert prepared.__name__ == "Verdict"
    schema = prepared.model_json_schema()
    schema["properties"].clear()  # what one request does to its schema does not reach the next
    assert prepared.model_json_schema() == Verdict.model_json_schema()
    assert prepared.model_json_schema(mode="serialization") == Verdict.model_json_schema(mode="serialization")


async def test_a_failed_attempt_leaves_instructor_s_log_quiet_and_names_the_model(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InvalidOutput) as caught:
        await structured_attempt(
            Sender(_completion('{"wrong": 1}')), MESSAGES, Verdict, dict(PARAMS), model="m"
        )
    assert "validation error for Verdict" in str(caught.value.cause)  # what a re-ask shows the model
    # instructor calls a single attempt an exhausted call; the door's loop reports the outcome itself.
    assert [
        r for r in caplog.records if r.name.startswith("instructor") and r.levelno >= logging.WARNING
    ] == []
    logging.getLogger("instructor.v2.retry").error("someone else's call")  # others' records pass
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == ["someone else's call"]
