"""Run a stance reader of the parse over one sentence, the holder named by its first occurrence."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractor.text.nlp import parse

Reader = Callable[..., str | None]


def read(reader: Reader, text: str, holder: str, heads: Sequence[str]) -> str | None:
    """``reader(doc, sentences, holder_spans, heads)`` over ``text`` as one sentence."""
    start = text.index(holder)
    return reader(parse(text), [(0, len(text))], [(start, start + len(holder))], frozenset(heads))
