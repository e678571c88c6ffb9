"""The log-probabilities of the first token of an answer's first string value, read off a response.

A closed decision (``{"stance": "oppose"}``) is settled by that token: its top alternatives are how likely
the model found each choice, which a stage can calibrate where the model's first choice is biased. The
response is OpenAI-shaped (``choices[0].logprobs.content``: each token with ``top_logprobs``), as the
openai client parses it or as a plain mapping. The tokens cover the end of the answer: all of it, or what
follows a prefilled opening the model did not decode (:mod:`extractor.llm.prefill`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["LOGPROB_ALTERNATIVES", "first_value_logprobs"]

LOGPROB_ALTERNATIVES = 10
"""Alternatives asked for per token (``top_logprobs``)."""

_FIRST_STRING_VALUE = re.compile(r'\s*\{\s*"[^"]*"\s*:\s*"')
_WRAPPING = ' "\t\n'


def first_value_logprobs(response: Any, raw: str | None) -> dict[str, float] | None:
    """Token text (quotes and spaces stripped) -> log-probability, for the token opening the first value.

    None when the response carries no log-probabilities or the answer opens with no string value.
    """
    answer = raw or ""
    opening = _FIRST_STRING_VALUE.match(answer)
    tokens = _content(response)
    if opening is None or not tokens:
        return None
    texts = [str(_field(token, "token") or "") for token in tokens]
    decoded = "".join(texts)
    offset = len(answer) - len(decoded) if answer.endswith(decoded) else 0
    for token, text in zip(tokens, texts, strict=True):
        offset += len(text)
        # The token that reaches past the value's opening quote holds the value's first characters.
        if offset > opening.end():
            return _alternatives(token)
    return None


def _alternatives(token: Any) -> dict[str, float] | None:
    scores: dict[str, float] = {}
    for alternative in _field(token, "top_logprobs") or []:
        text = str(_field(alternative, "token") or "").strip(_WRAPPING).lower()
        logprob = _field(alternative, "logprob")
        if text and isinstance(logprob, int | float):
            scores[text] = max(float(logprob), scores.get(text, float("-inf")))
    return scores or None


def _content(response: Any) -> list[Any]:
    try:
        choice = _field(response, "choices")[0]
    except (IndexError, TypeError):
        return []
    logprobs = _field(choice, "logprobs")
    content = _field(logprobs, "content") if logprobs is not None else None
    return list(content) if content else []


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)
