"""Closed one-field choices sent prefilled and grammar-bound, and their replies completed into JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from extractor.llm.client import InstructorLLM
from extractor.llm.drafts import NameKinds, PairStance, pair_stance_model, speaker_model
from extractor.llm.prefill import ChoicePrefill, choice_prefill
from extractor.llm.retry import InvalidOutput
from extractor.llm.structured import structured_attempt

MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "q"}]
PARAMS = {"max_tokens": 16, "temperature": 0.0, "model": "local", "logprobs": True, "top_logprobs": 10}
STANCE = ChoicePrefill("stance", ("support", "oppose", "mixed", "none"))


def _reply(content: str, tokens: list[tuple[str, dict[str, float]]], finish_reason: str) -> ChatCompletion:
    logprobs = [
        {
            "token": text,
            "logprob": next(iter(alternatives.values())),
            "bytes": None,
            "top_logprobs": [{"token": t, "logprob": p, "bytes": None} for t, p in alternatives.items()],
        }
        for text, alternatives in tokens
    ]
    choice = {
        "index": 0,
        "finish_reason": finish_reason,
        "message": {"role": "assistant", "content": content},
        "logprobs": {"content": logprobs},
    }
    usage = {"prompt_tokens": 40, "completion_tokens": len(tokens), "total_tokens": 40 + len(tokens)}
    data = {"id": "x", "object": "chat.completion", "created": 0, "model": "local", "choices": [choice]}
    return ChatCompletion.model_validate({**data, "usage": usage})


class Sender:
    def __init__(self, *answers: ChatCompletion) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []

    async def __call__(self, request: dict[str, Any]) -> ChatCompletion:
        self.requests.append(request)
        return self.answers.pop(0)


def test_only_one_required_field_of_listed_strings_is_a_choice() -> None:
    assert choice_prefill(pair_stance_model("none")) == STANCE
    assert choice_prefill(speaker_model(["A1", "A2"])) == ChoicePrefill(
        "speaker", ("A1", "A2", "author", "unknown")
    )
    assert choice_prefill(speaker_model([])) == ChoicePrefill("speaker", ("author", "unknown"))

    class Free(BaseModel):
        """A free answer."""

        stance: str

    assert choice_prefill(Free) is None
    assert choice_prefill(NameKinds) is None


def test_the_request_carries_the_opening_as_the_reply_and_the_choices_as_a_grammar() -> None:
    built = {"messages": MESSAGES, "max_tokens": 16, "model": "local", "response_format": {"type": "x"}}
    body = STANCE.request(built)
    assert body["messages"] == [*MESSAGES, {"role": "assistant", "content": '{"stance": "'}]
    assert body["grammar"] == 'root ::= "support" | "oppose" | "mixed" | "none"'
    assert "response_format" not in body and body["max_tokens"] == 1  # s, o, m, n: one token names one
    assert built["messages"] == MESSAGES  # instructor's body is left as built
    speakers = ChoicePrefill("speaker", ("A1", "A12", "author"))
    assert speakers.request(built)["max_tokens"] == 16  # "A1" may go on to "A12": the grammar ends it


@pytest.mark.parametrize(
    ("served", "expected"),
    [('{"stance": "opp', '{"stance": "oppose"}'), ("support", '{"stance": "support"}')],
)
def test_a_first_token_is_completed_into_the_one_answer_it_names(served: str, expected: str) -> None:
    reply = _reply(served, [(served[-3:], {served[-3:]: -0.1})], "length")
    as_served = STANCE.served(reply)
    assert STANCE.complete(reply) == as_served == '{"stance": "' + served.removeprefix('{"stance": "')
    assert reply.choices[0].message.content == expected
    assert reply.choices[0].finish_reason == "stop"


def test_a_reply_naming_no_choice_is_left_for_validation_to_refuse() -> None:
    speakers = ChoicePrefill("speaker", ("A1", "A12"))
    reply = _reply('{"speaker": "A', [("A", {"A": -0.1})], "length")
    speakers.complete(reply)
    assert reply.choices[0].message.content == '{"speaker": "A'


async def test_a_prefilled_stance_validates_with_its_first_token_alternatives() -> None:
    reply = _reply('{"stance": "op', [("op", {"op": -0.4, "support": -1.2})], "length")
    send = Sender(reply)
    answer = await structured_attempt(
        send, MESSAGES, pair_stance_model("none"), dict(PARAMS), model="local", prefill=STANCE
    )
    assert answer.value == PairStance(stance="oppose") and answer.raw == '{"stance": "oppose"}'
    assert answer.choice_logprobs == {"op": -0.4, "support": -1.2}
    assert answer.usage.completion_tokens == 1
    (request,) = send.requests
    assert request["messages"][-1] == {"role": "assistant", "content": '{"stance": "'}


async def test_a_prefilled_reply_naming_no_choice_is_an_invalid_answer() -> None:
    speakers = speaker_model(["A1", "A12"])
    send = Sender(_reply('{"speaker": "B7', [("B7", {"B7": -0.1})], "stop"))
    with pytest.raises(InvalidOutput):
        await structured_attempt(
            send, MESSAGES, speakers, dict(PARAMS), model="local", prefill=choice_prefill(speakers)
        )


@pytest.mark.parametrize("prefill", [True, False])
async def test_the_door_prefills_choices_only_when_asked(
    scripted_server: Callable[..., str], prefill: bool
) -> None:
    received: list[dict[str, Any]] = []
    answer = '{"stance": "mixed' if prefill else '{"stance": "mixed"}'
    base = scripted_server([(200, {}, answer, 0)], received=received)
    llm = InstructorLLM("openai/local", api_base=base, prefill=prefill, transient_retries=0)
    try:
        completion = await llm.complete(MESSAGES, pair_stance_model("none"), max_tokens=16)
    finally:
        await llm.aclose()
    assert completion.value == PairStance(stance="mixed")
    (body,) = received
    assert ("grammar" in body, "response_format" in body) == (prefill, not prefill)
