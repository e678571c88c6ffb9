"""The first value token's alternatives, read off OpenAI-shaped responses as parsed or as plain JSON."""

from __future__ import annotations

from typing import Any

import pytest
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from extractor.llm.logprobs import first_value_logprobs
from extractor.llm.structured import structured_attempt

RAW = '{"stance": "oppose"}'


def _token(text: str, alternatives: dict[str, float]) -> dict[str, Any]:
    top = [{"token": token, "logprob": logprob, "bytes": None} for token, logprob in alternatives.items()]
    return {"token": text, "logprob": next(iter(alternatives.values())), "bytes": None, "top_logprobs": top}


def _response(content: str, tokens: list[dict[str, Any]] | None) -> dict[str, Any]:
    choice: dict[str, Any] = {
        "index": 0,
        "finish_reason": "stop",
        "message": {"role": "assistant", "content": content},
        "logprobs": None if tokens is None else {"content": tokens},
    }
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "local",
        "choices": [choice],
        "usage": {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9},
    }


TOKENS = [
    _token('{"', {'{"': -0.0}),
    _token("stance", {"stance": -0.0}),
    _token('":', {'":': -0.0}),
    _token(' "', {' "': -0.0}),
    _token("op", {"op": -0.4, "support": -1.2, "none": -2.5}),
    _token("pose", {"pose": -0.0}),
    _token('"}', {'"}': -0.0}),
]


@pytest.mark.parametrize("parsed", [True, False])
def test_the_token_opening_the_first_value_gives_its_alternatives(parsed: bool) -> None:
    data = _response(RAW, TOKENS)
    response = ChatCompletion.model_validate(data) if parsed else data
    assert first_value_logprobs(response, RAW) == {"op": -0.4, "support": -1.2, "none": -2.5}


def test_a_token_holding_the_quote_and_the_value_is_stripped() -> None:
    tokens = [_token('{"stance": ', {'{"stance": ': 0.0}), _token('"op', {'"op': -0.3, ' "support': -1.5})]
    assert first_value_logprobs(_response(RAW, tokens), RAW) == {"op": -0.3, "support": -1.5}


def test_no_logprobs_or_no_string_value_gives_none() -> None:
    assert first_value_logprobs(_response(RAW, None), RAW) is None
    assert first_value_logprobs(_response('{"count": 3}', TOKENS), '{"count": 3}') is None


class Stance(BaseModel):
    """A stance."""

    stance: str


async def test_a_logprobs_request_returns_the_alternatives_with_the_answer() -> None:
    sent: list[dict[str, Any]] = []

    async def send(request: dict[str, Any]) -> ChatCompletion:
        sent.append(request)
        return ChatCompletion.model_validate(_response(RAW, TOKENS))

    params = {"max_tokens": 16, "temperature": 0.0, "model": "local", "logprobs": True, "top_logprobs": 10}
    reply = await structured_attempt(send, [{"role": "user", "content": "q"}], Stance, params, model="local")
    assert reply.value.stance == "oppose"
    assert reply.choice_logprobs == {"op": -0.4, "support": -1.2, "none": -2.5}
    assert sent[0]["logprobs"] is True and sent[0]["top_logprobs"] == 10
