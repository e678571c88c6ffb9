"""Schema-valid JSON instances for the fake server, richer than :func:`extractor.testing.minimal_json`.

The minimal instance has empty lists and ``"x"`` strings, so a pipeline fed with it does almost no work
after the model answers. A load test should make the client parse, validate and ground realistic answers,
so :func:`rich_json` fills arrays with a few items and strings with short runs of words taken from the
request's own text (which usually lands them inside the article, where grounding finds them).
"""

from __future__ import annotations

import random
import re
from typing import Any

__all__ = ["last_user_text", "rich_json", "schema_of", "text_words"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
# Tried in order against a string's ``pattern``: covers ids like ``c1``, ``p1`` and slugs.
_PATTERN_GUESSES = ("x", "c1", "p1", "a1", "x1", "1", "a", "A", "e1", "s1", "m1", "q1")


def text_words(text: str, limit: int = 4000) -> list[str]:
    """Words of the last ``limit`` characters of ``text`` (the part that usually holds the article)."""
    return _WORD.findall(text[-limit:])


def rich_json(
    schema: dict[str, Any],
    words: list[str],
    rng: random.Random,
    *,
    array_items: int = 2,
) -> Any:
    """A JSON value valid against ``schema`` with a few array items and strings drawn from ``words``.

    Falls back to :func:`minimal_json` for any part it cannot fill.
    """
    try:
        return _value(schema, schema.get("$defs", {}), words, rng, array_items, depth=0)
    except (KeyError, TypeError, ValueError, IndexError):
        return _minimal(schema)


def _value(
    schema: dict[str, Any],
    defs: dict[str, Any],
    words: list[str],
    rng: random.Random,
    items: int,
    depth: int,
) -> Any:
    if "$ref" in schema:
        return _value(defs[schema["$ref"].split("/")[-1]], defs, words, rng, items, depth)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [b for b in schema[key] if b.get("type") != "null"] or schema[key]
            return _value(branches[0], defs, words, rng, items, depth)
    if "allOf" in schema:
        return _value(schema["allOf"][0], defs, words, rng, items, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        out: dict[str, Any] = {}
        for name, sub in properties.items():
            if name in required or (depth < 3 and rng.random() < 0.5):
                out[name] = _value(sub, defs, words, rng, items, depth + 1)
        return out
    if kind == "array":
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, items)))
        count = min(max(low, items if depth < 3 else low), high)
        return [_value(schema.get("items", {}), defs, words, rng, items, depth + 1) for _ in range(count)]
    if kind == "string":
        return _string(schema, words, rng)
    if kind == "integer":
        low = int(schema.get("minimum", 0))
        return min(low + rng.randint(0, 3), int(schema.get("maximum", low + 3)))
    if kind == "number":
        floor = float(schema.get("minimum", 0.0))
        return min(floor + rng.random(), float(schema.get("maximum", floor + 1.0)))
    if kind == "boolean":
        return rng.random() < 0.5
    return _minimal(schema)


def _string(schema: dict[str, Any], words: list[str], rng: random.Random) -> str:
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        letters = {c + "1" for c in re.findall(r"(?<=\^)[a-z]", schema["pattern"])}
        for guess in (*letters, *_PATTERN_GUESSES):
            if pattern.search(guess):
                return str(guess)
        return str(_minimal(schema))
    fmt = schema.get("format")
    if fmt == "date":
        return "2025-01-15"
    if fmt == "date-time":
        return "2025-01-15T12:00:00Z"
    low = max(int(schema.get("minLength", 1)), 1)
    high = int(schema.get("maxLength", 400))
    if not words:
        return "x" * low
    start = rng.randrange(len(words))
    text = " ".join(words[start : start + rng.randint(2, 8)])
    if len(text) < low:
        text = text + "x" * (low - len(text))
    return text[:high]


def _minimal(schema: dict[str, Any]) -> Any:
    # Imported late: the server process should not pay for importing the whole extractor package.
    from extractor.testing import minimal_json

    return minimal_json(schema)


def schema_of(body: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The requested JSON schema and, for tool calls, the tool name."""
    tools = body.get("tools")
    if tools:
        function = tools[0].get("function", {})
        return function.get("parameters") or {}, function.get("name", "tool")
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("schema") or {}, None
    return None, None


def last_user_text(messages: list[dict[str, Any]]) -> str:
    """The text of the last user message (its text parts joined when it has several)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
            return str(content or "")
    return ""
