"""Structured answers sent with their fixed JSON opening prefilled and a grammar of what may follow."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from extractor.llm.client import InstructorLLM
from extractor.llm.drafts import DraftExtraction, NameKinds, actor_kinds_model, topic_names_model
from extractor.llm.openings import JsonOpening, json_opening
from extractor.llm.structured import structured_attempt

MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "q"}]
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|\{\d*,\d*\}|[a-z][a-z-]*|[()|?*+]|\s+')


def _regex(grammar: str) -> re.Pattern[str]:
    """The grammar as a regular expression (it has no recursion), to check what it accepts."""
    rules = dict(line.split(" ::= ", 1) for line in grammar.splitlines())

    def convert(rule: str) -> str:
        parts = []
        for token in _TOKEN.findall(rule):
            if token.startswith('"'):
                parts.append(re.escape(json.loads(token)))
            elif token[0].isalpha():
                parts.append(f"(?:{convert(rules[token])})")
            elif not token.isspace():
                parts.append(token.replace("(", "(?:") if token == "(" else token)
        return "".join(parts)

    return re.compile(convert(rules["root"]))


def _accepts(opening: JsonOpening, answer: str) -> bool:
    assert answer.startswith(opening.opening)
    return _regex(opening.grammar).fullmatch(answer.removeprefix(opening.opening)) is not None


def test_a_topic_answer_opens_at_the_first_label_and_may_cite_only_the_keys_asked() -> None:
    opening = json_opening(topic_names_model(["k1", "k2", "k3"], {}))
    assert opening is not None and opening.opening == '{"topics": [{"label": "'
    assert _accepts(opening, '{"topics": [{"label": "a tax on bread", "covers": ["k1", "k3"]}]}')
    two = '{"topics": [{"label": "a tax", "covers": ["k1"]}, {"label": "the war", "covers": ["k2"]}]}'
    assert _accepts(opening, two)
    assert not _accepts(opening, '{"topics": [{"label": "a tax", "covers": ["k9"]}]}')
    assert not _accepts(opening, '{"topics": [{"label": "ab", "covers": ["k1"]}]}')  # minLength 3
    assert not _accepts(opening, '{"topics": [{"label": "a tax", "covers": []}]}')  # minItems 1


def test_a_name_kinds_answer_opens_at_the_quote_of_the_first_name() -> None:
    opening = json_opening(actor_kinds_model(["Carlos Pérez Ricart", "Lee"]))
    assert opening is not None and opening.opening == '{"answers": [{"name": "'
    both = (
        '{"answers": [{"name": "Lee", "kind": "person"}, {"name": "Carlos Pérez Ricart", "kind": "person"}]}'
    )
    assert _accepts(opening, both)
    assert not _accepts(opening, '{"answers": [{"name": "Lee", "kind": "person"}]}')  # one answer per name


def test_a_value_with_no_fixed_first_character_leaves_the_space_before_it_to_the_model() -> None:
    class Counted(BaseModel):
        model_config = {"extra": "forbid"}
        count: int

    schema = Counted.model_json_schema()
    schema["properties"]["count"] = {"enum": [1, 2], "type": "integer"}

    class Narrowed:
        @staticmethod
        def model_json_schema() -> dict[str, Any]:
            return schema

    opening = json_opening(Narrowed)  # type: ignore[arg-type]
    assert opening is not None and opening.opening == '{"count":'
    assert _accepts(opening, '{"count": 2}') and not _accepts(opening, '{"count": 3}')


def test_a_list_that_may_be_empty_is_left_whole_to_the_model() -> None:
    opening = json_opening(NameKinds)  # not narrowed: any number of answers, names of any text
    assert opening is not None and opening.opening == '{"answers":'
    assert _accepts(opening, '{"answers": []}')
    two = '{"answers": [{"name": "A\\"B", "kind": "group"}, {"name": "C", "kind": "media"}]}'
    assert _accepts(opening, two)
    assert not _accepts(opening, '{"answers": [{"name": "C", "kind": "media"}]]}')


def test_choices_with_quotes_and_line_breaks_are_written_as_grammar_literals() -> None:
    opening = json_opening(actor_kinds_model(['the "Squad"', "two\nlines"]))
    assert opening is not None
    first = '{"answers": [{"name": "two\\nlines", "kind": "group"}, '
    answer = first + '{"name": "the \\"Squad\\"", "kind": "group"}]}'
    assert _accepts(opening, answer)


def test_schemas_outside_the_subset_are_sent_with_their_schema() -> None:
    assert json_opening(DraftExtraction) is None  # optional properties

    class Free(BaseModel):
        """Extra keys allowed."""

        label: str

    assert json_opening(Free) is None


def _reply(content: str) -> ChatCompletion:
    choice = {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
    usage = {"prompt_tokens": 40, "completion_tokens": 9, "total_tokens": 49}
    data = {"id": "x", "object": "chat.completion", "created": 0, "model": "local", "choices": [choice]}
    return ChatCompletion.model_validate({**data, "usage": usage})


@pytest.mark.parametrize("with_opening", [True, False])
async def test_the_reply_is_completed_into_the_whole_answer(with_opening: bool) -> None:
    spec = actor_kinds_model(["Lee"])
    opening = json_opening(spec)
    assert opening is not None
    rest = 'Lee", "kind": "person"}]}'
    sent: list[dict[str, Any]] = []

    async def send(request: dict[str, Any]) -> ChatCompletion:
        sent.append(request)
        return _reply(opening.opening + rest if with_opening else rest)

    params = {"max_tokens": 64, "temperature": 0.0, "model": "local"}
    answer = await structured_attempt(send, MESSAGES, spec, params, model="local", prefill=opening)
    assert answer.value == NameKinds.model_validate({"answers": [{"name": "Lee", "kind": "person"}]})
    assert answer.raw == opening.opening + rest
    (body,) = sent
    assert body["messages"][-1] == {"role": "assistant", "content": opening.opening}
    assert "response_format" not in body and body["grammar"] == opening.grammar


async def test_the_door_sends_openings_for_structured_answers(scripted_server: Callable[..., str]) -> None:
    received: list[dict[str, Any]] = []
    base = scripted_server([(200, {}, 'Lee", "kind": "media"}]}', 0)], received=received)
    llm = InstructorLLM("openai/local", api_base=base, prefill=True, transient_retries=0)
    try:
        completion = await llm.complete(MESSAGES, actor_kinds_model(["Lee"]), max_tokens=64)
    finally:
        await llm.aclose()
    assert completion.value.answers[0].kind == "media"
    (body,) = received
    assert body["messages"][-1]["content"] == '{"answers": [{"name": "'
