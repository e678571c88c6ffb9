"""A one-field choice answered as the value alone, on servers that continue a reply and take a grammar.

A closed decision's JSON answer (``{"stance": "oppose"}``) is mostly fixed text: under the JSON schema
grammar the model decodes ``{"``, ``stance``, ``":``, `` "`` and ``"}`` one forward pass each, although
only the value is its choice. llama.cpp's server continues an assistant message left last in the
conversation (prefill) and constrains decoding with a GBNF grammar, so the door writes the fixed opening
itself and lets the model decode only the value, restricted by the grammar to the request's choices.
When every choice starts with a different character, the first value token already names one, and
decoding stops there (``max_tokens`` 1).

The model sees the same tokens before its value as it does when it decodes the opening itself, so the
value's distribution, and the first token's log-probabilities, are unchanged. The server's reply
(opening plus value, or the value's first token) is completed into the one JSON answer the grammar allows,
which instructor then validates as any other answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from extractor.llm.constrained import Constrained, ResponseSpec
from extractor.llm.openings import prefilled_request, served_reply

__all__ = ["ChoicePrefill", "choice_prefill"]


@dataclass(frozen=True)
class ChoicePrefill:
    """How a request for ``{field: <one of choices>}`` is sent as a prefilled, grammar-bound value."""

    field: str
    choices: tuple[str, ...]

    @property
    def opening(self) -> str:
        """The answer's fixed text before the value, as the model writes it under the JSON grammar."""
        return f"{{{json.dumps(self.field)}: " + '"'

    @property
    def one_token(self) -> bool:
        """Whether the value's first token names the choice (every choice starts differently)."""
        return len({choice[:1] for choice in self.choices}) == len(self.choices)

    def request(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The body to post instead of instructor's: the opening as the reply so far, and the grammar."""
        grammar = "root ::= " + " | ".join(json.dumps(choice) for choice in self.choices)
        body = prefilled_request(request, self.opening, grammar)
        if self.one_token:
            body["max_tokens"] = 1
        return body

    def served(self, response: Any) -> str | None:
        """The reply from the answer's start: the opening (added when the server left it out), the value."""
        return served_reply(response, self.opening)

    def complete(self, response: Any) -> str | None:
        """Write the JSON answer the reply's value names into ``response``; return the reply as served.

        A reply that names no choice is left as the server sent it, and fails validation.
        """
        served = self.served(response)
        choice = None if served is None else self._named_by(served.removeprefix(self.opening))
        if choice is not None:
            first = response.choices[0]
            first.message.content = self.opening + choice + '"}'
            first.finish_reason = "stop"  # the grammar allows nothing after the choice but the closing
        return served

    def _named_by(self, value: str) -> str | None:
        if value in self.choices:
            return value
        if not value or not self.one_token:
            return None
        named = [choice for choice in self.choices if choice.startswith(value)]
        return named[0] if len(named) == 1 else None


_CLASS_PREFILLS: dict[type[BaseModel], ChoicePrefill | None] = {}


def choice_prefill(spec: ResponseSpec[Any]) -> ChoicePrefill | None:
    """The prefill of a request whose answer is one required string field with listed choices, else None."""
    if isinstance(spec, Constrained):
        return _prefill_of(spec.schema)
    # A class's JSON schema costs milliseconds to generate, and the door asks on every request.
    if spec not in _CLASS_PREFILLS:
        _CLASS_PREFILLS[spec] = _prefill_of(spec.model_json_schema())
    return _CLASS_PREFILLS[spec]


def _prefill_of(schema: Mapping[str, Any]) -> ChoicePrefill | None:
    properties = schema.get("properties") or {}
    if len(properties) != 1 or schema.get("required") != list(properties):
        return None
    ((field, value),) = properties.items()
    choices = value.get("enum") or ([value["const"]] if "const" in value else [])
    if not choices or not all(isinstance(choice, str) and choice for choice in choices):
        return None
    return ChoicePrefill(field, tuple(choices))
