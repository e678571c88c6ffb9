"""A JSON answer's fixed opening written by the door, on servers that continue a reply and take a grammar.

Under a JSON schema grammar every structural token costs the model a forward pass, although the schema
leaves it no choice: ``{"topics": [{"label": "`` is seven tokens decoded one by one before the first word
of a label. A decode step costs several times what a prompt token costs (prompt tokens are evaluated in
one batch), so the door writes the opening itself as the start of the assistant's reply (llama.cpp's
server continues a reply left last in the conversation) and sends, instead of the schema, a GBNF grammar
of what may follow it. The model sees the same tokens before its first free choice as when it decodes
the opening itself, so its answer is the same, but for the rounding of a batch against token-by-token
evaluation, which can tip a near tie. The server's reply is completed into the whole JSON answer, which
instructor validates as any other.

The opening is the schema's forced path: an object's ``{`` and first property's key, an array's ``[``
when it needs an item, a string's opening quote, until the first value the model chooses (a string's
text, one of an enum's values). The grammar is what remains open at that point, innermost first: the
rest of the string or the choice, then the rest of each enclosing array and object, written with the
same rules as llama.cpp's own schema grammar. Schemas outside the small subset the drafts use (optional
properties, maps, numbers without a list of values) get no opening: they are sent with their schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from extractor.llm.constrained import Constrained, ResponseSpec
from extractor.llm.transport import raw_text

__all__ = ["JsonOpening", "json_opening", "prefilled_request", "served_reply"]

# llama.cpp's rules (common/json-schema-to-grammar.cpp): optional whitespace between tokens, and one
# character of a JSON string.
_RULES = {
    "space": '| " " | "\\n"{1,2} [ \\t]{0,20}',
    "char": '[^"\\\\\\x7F\\x00-\\x1F] | [\\\\] (["\\\\bfnrt] | "u" [0-9a-fA-F]{4})',
}


@dataclass(frozen=True)
class JsonOpening:
    """How a structured request is sent with its answer's fixed opening prefilled."""

    opening: str
    grammar: str

    def request(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The body to post instead of instructor's: the opening as the reply so far, and the grammar."""
        return prefilled_request(request, self.opening, self.grammar)

    def complete(self, response: Any) -> str | None:
        """Write the whole JSON answer into ``response``; return it."""
        served = served_reply(response, self.opening)
        if served is not None:
            response.choices[0].message.content = served
        return served


def prefilled_request(request: Mapping[str, Any], opening: str, grammar: str) -> dict[str, Any]:
    """Instructor's body with ``opening`` as the reply so far and ``grammar`` for the rest of the answer.

    The grammar takes the response format's place: a schema would bind the reply from its first
    character, which the opening has already written.
    """
    body = {key: value for key, value in request.items() if key != "response_format"}
    body["messages"] = [*request["messages"], {"role": "assistant", "content": opening}]
    body["grammar"] = grammar
    return body


def served_reply(response: Any, opening: str) -> str | None:
    """The reply from the answer's start: ``opening`` (added when the server left it out), then the rest."""
    text = raw_text(response)
    if text is None or text.startswith(opening):
        return text
    return opening + text


_CLASS_OPENINGS: dict[type[BaseModel], JsonOpening | None] = {}


def json_opening(spec: ResponseSpec[Any]) -> JsonOpening | None:
    """The opening and grammar of ``spec``'s answers, or None when its schema is outside the subset."""
    if isinstance(spec, Constrained):
        return _opening_of(spec.schema)
    # A class's JSON schema costs milliseconds to generate, and the door asks on every request.
    if spec not in _CLASS_OPENINGS:
        _CLASS_OPENINGS[spec] = _opening_of(spec.model_json_schema())
    return _CLASS_OPENINGS[spec]


def _opening_of(schema: Mapping[str, Any]) -> JsonOpening | None:
    try:
        return _Writer(schema.get("$defs") or {}).opening(schema)
    except _Unsupported:
        return None


class _Unsupported(Exception):
    """A schema construct the writer does not spell as a grammar."""


class _Writer:
    def __init__(self, defs: Mapping[str, Any]) -> None:
        self._defs = defs
        self._rules: dict[str, str] = dict(_RULES)

    def opening(self, schema: Mapping[str, Any]) -> JsonOpening | None:
        text: list[str] = []
        rests: list[str] = []  # what closes each construct the opening left open, outermost first
        node = self._resolve(schema)
        # The space after a key's colon is written only before a fixed character: the model decodes it
        # together with the ``"``, ``[`` or ``{`` that follows (one token), never alone.
        spaced = False
        while True:
            lead = " " if spaced else ""
            if node.get("type") == "object" and "enum" not in node:
                keys, values = self._properties(node)
                text.append(lead + "{" + json.dumps(keys[0], ensure_ascii=False) + ":")
                rests.append(self._object_rest(keys[1:], values[1:]))
                node, spaced = self._resolve(values[0]), True
            elif node.get("type") == "array" and node.get("minItems", 0) >= 1:
                text.append(lead + "[")
                rests.append(self._array_rest(node, node["minItems"] - 1))
                node, spaced = self._resolve(node["items"]), False
            elif self._is_string(node) or self._string_choices(node):
                text.append(lead + '"')
                choices = self._string_choices(node)
                if choices:
                    rests.append("(" + " | ".join(_literal(choice[1:]) for choice in choices) + ")")
                else:
                    rests.append(self._string_rest(node))
                break
            else:  # a choice that opens with no fixed character (a number)
                rests.append(("space " if spaced else "") + self.value(node))
                break
        if len(rests) < 2:
            return None  # nothing fixed before the first choice
        self._rules["root"] = " ".join(reversed(rests))
        grammar = "\n".join(f"{name} ::= {rule}" for name, rule in self._rules.items())
        return JsonOpening("".join(text), grammar)

    @staticmethod
    def _is_string(node: Mapping[str, Any]) -> bool:
        return node.get("type") == "string" and "enum" not in node and "const" not in node

    @staticmethod
    def _string_choices(node: Mapping[str, Any]) -> list[str]:
        """The JSON texts of a list of string values (each opens with ``"``), else none."""
        values = node.get("enum", [node["const"]] if "const" in node else [])
        if not values or not all(isinstance(value, str) for value in values):
            return []
        return [json.dumps(value, ensure_ascii=False) for value in values]

    def value(self, node: Mapping[str, Any]) -> str:
        """The grammar of a whole value of ``node``."""
        node = self._resolve(node)
        if "enum" in node or "const" in node:
            values = node.get("enum", [node.get("const")])
            if not values or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
                raise _Unsupported(node)
            return "(" + " | ".join(_literal(json.dumps(v, ensure_ascii=False)) for v in values) + ")"
        kind = node.get("type")
        if kind == "string":
            return '"\\"" ' + self._string_rest(node)
        if kind == "array":
            least = node.get("minItems", 0)
            items = self.value(node["items"]) + " " + self._more_items(node, max(least - 1, 0))
            return '"[" space ' + (f'({items})? space "]"' if least == 0 else f'{items} space "]"')
        if kind == "object":
            keys, values = self._properties(node)
            return (
                '"{" space ' + self._pair(keys[0], values[0]) + " " + self._object_rest(keys[1:], values[1:])
            )
        raise _Unsupported(node)

    def _resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = node.get("$ref")
        if ref is None:
            return node
        target = self._defs.get(ref.removeprefix("#/$defs/"))
        if target is None:
            raise _Unsupported(node)
        return self._resolve(target)

    def _properties(self, node: Mapping[str, Any]) -> tuple[list[str], list[Mapping[str, Any]]]:
        properties = node.get("properties") or {}
        # Optional properties and extra keys make the grammar a choice of orders: left to the schema.
        if not properties or node.get("required") != list(properties) or "additionalProperties" not in node:
            raise _Unsupported(node)
        if node["additionalProperties"] is not False:
            raise _Unsupported(node)
        return list(properties), list(properties.values())

    def _pair(self, key: str, value: Mapping[str, Any]) -> str:
        return _literal(json.dumps(key, ensure_ascii=False)) + ' space ":" space ' + self.value(value)

    def _object_rest(self, keys: list[str], values: list[Mapping[str, Any]]) -> str:
        pairs = "".join(
            f'"," space {self._pair(key, value)} ' for key, value in zip(keys, values, strict=True)
        )
        return pairs + 'space "}"'

    def _array_rest(self, node: Mapping[str, Any], more_at_least: int) -> str:
        """After an item: at least ``more_at_least`` more, up to ``maxItems`` in all, then ``]``."""
        return self._more_items(node, more_at_least) + ' space "]"'

    def _more_items(self, node: Mapping[str, Any], at_least: int) -> str:
        """The items after the first: at least ``at_least``, up to ``maxItems`` in all."""
        most = node.get("maxItems")
        bound = f"{{{at_least},{'' if most is None else most - 1}}}"
        return '("," space ' + self.value(node["items"]) + ")" + bound

    def _string_rest(self, node: Mapping[str, Any]) -> str:
        if "pattern" in node or "format" in node:
            raise _Unsupported(node)
        least, most = node.get("minLength", 0), node.get("maxLength")
        return f'char{{{least},{"" if most is None else most}}} "\\""'


def _literal(text: str) -> str:
    """``text`` as a GBNF string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'
