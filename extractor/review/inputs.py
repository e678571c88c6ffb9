"""Getting an extraction onto the review page: parse it; sketch the article when its text is absent."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from extractor.errors import InputError
from schemas import ArticleExtraction

__all__ = ["load_extraction", "sketch_article"]


def _remap(value: Any, shift: Callable[[int], int]) -> Any:
    """A copy of dumped model data with every span's offsets passed through ``shift``."""
    if isinstance(value, list):
        return [_remap(item, shift) for item in value]
    if not isinstance(value, dict):
        return value
    data = {key: _remap(item, shift) for key, item in value.items()}
    if isinstance(data.get("start"), int) and isinstance(data.get("end"), int) and "text" in data:
        data["start"], data["end"] = shift(data["start"]), shift(data["end"])
    return data


def sketch_article(extraction: ArticleExtraction, gap: str = " […] ") -> tuple[str, ArticleExtraction]:
    """Rebuild what can be seen of an article from its extraction's spans alone.

    For pages made without the article text: the located spans are laid out in order, separated by
    ``gap``, and the extraction's offsets are moved to match the sketch.
    """
    pieces: dict[int, str] = {}

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            start, end, text = value.get("start"), value.get("end"), value.get("text")
            if isinstance(start, int) and isinstance(end, int) and isinstance(text, str):
                if len(text) != end - start:
                    text = ""  # a normalised or fuzzy span: its text is not the article's
                for offset, char in enumerate(text):
                    pieces.setdefault(start + offset, char)
            for item in value.values():
                visit(item)

    data = extraction.model_dump(mode="json")
    visit(data)
    sketch: list[str] = []
    moved: dict[int, int] = {}
    previous: int | None = None
    length = 0
    for offset in sorted(pieces):
        if previous is not None and offset != previous + 1:
            moved[previous + 1] = length
            sketch.append(gap)
            length += len(gap)
        moved[offset] = length
        sketch.append(pieces[offset])
        length += 1
        previous = offset
    if previous is not None:
        moved[previous + 1] = length
    text = "".join(sketch)

    def shift(offset: int) -> int:
        return moved.get(offset, min(len(text), max(0, offset)))

    sketched = ArticleExtraction.model_validate(_remap(data, shift))
    warnings = [*sketched.provenance.warnings, "article text not given: showing the located spans only"]
    provenance = sketched.provenance.model_copy(update={"warnings": warnings})
    return text, sketched.model_copy(update={"provenance": provenance})


def load_extraction(data: bytes | str, *, source: str = "input") -> ArticleExtraction:
    """Parse an extraction: ArticleExtraction JSON, or a batch output line ``{"id", "extraction"}``.

    Raises:
        InputError: the data is neither.
    """
    try:
        return ArticleExtraction.model_validate_json(data)
    except ValidationError as error:
        first = error
    try:
        wrapped = json.loads(data)
        if isinstance(wrapped, dict) and isinstance(wrapped.get("extraction"), dict):
            return ArticleExtraction.model_validate(wrapped["extraction"])
    except (ValueError, ValidationError) as error:
        first = error if isinstance(error, ValidationError) else first
    detail = first.errors()[0]["msg"] if first.errors() else str(first)
    raise InputError(
        f"{source}: not an extraction ({detail}); pass the JSON printed by `claimscope extract`"
    ) from first
