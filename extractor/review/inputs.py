"""Getting extractions onto review pages: one extraction or a batch output file; sketching absent texts."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from extractor.errors import InputError
from extractor.eval.scoring import DocScore
from schemas import ArticleExtraction

__all__ = [
    "BatchFailure",
    "BatchOutput",
    "BatchResult",
    "PageDoc",
    "load_batch_output",
    "load_extraction",
    "sketch_article",
]


@dataclass(frozen=True)
class PageDoc:
    """One article on the page; ``gold`` and ``score`` turn on eval marks.

    Attributes:
        text: The article text the extraction's offsets refer to (or a sketch of it).
        extraction: The extraction to show.
        gold: The gold document, for eval reports.
        score: The extraction's score against ``gold``.
        notice: Shown above the article, e.g. that its text was not available.
    """

    text: str
    extraction: ArticleExtraction
    gold: Mapping[str, Any] | None = None
    score: DocScore | None = None
    notice: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """An extracted article of a batch output file."""

    id: str
    extraction: ArticleExtraction


@dataclass(frozen=True)
class BatchFailure:
    """A line of a batch output file that holds no extraction: an error record, or an unreadable line.

    Attributes:
        id: The article's id, when known.
        line: The input line number the error record names (for an unreadable line: its number in the
            output file).
        type: The error's code (``unreadable_output_line`` for a line this reader cannot use).
        message: What went wrong.
        attempts: How many times the article was tried.
    """

    id: str | None
    line: int | None
    type: str
    message: str
    attempts: int = 0


@dataclass(frozen=True)
class BatchOutput:
    """What a batch output file holds, in file order."""

    results: list[BatchResult]
    failures: list[BatchFailure]


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


def sketch_article(
    extraction: ArticleExtraction, gap: str = " […] ", *, warn: bool = True
) -> tuple[str, ArticleExtraction]:
    """Rebuild what can be seen of an article from its extraction's spans alone.

    For pages made without the article text: the located spans are laid out in order, separated by
    ``gap``, and the extraction's offsets are moved to match the sketch. With ``warn`` the sketch's
    provenance says so among its warnings (pages that say it in a notice of their own pass False).
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
    if not warn:
        return text, sketched
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


def _batch_record(raw: bytes, number: int) -> BatchResult | BatchFailure | None:
    """One output line read; None when it is not a batch record at all."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or "id" not in data:
        return None
    ident = data["id"]
    if isinstance(data.get("extraction"), dict):
        try:
            return BatchResult(str(ident), ArticleExtraction.model_validate(data["extraction"]))
        except ValidationError as error:
            message = f"output line {number} holds no valid extraction ({error.errors()[0]['msg']})"
            return BatchFailure(str(ident), number, "unreadable_output_line", message)
    failure = data.get("error")
    if isinstance(failure, dict):
        line, attempts = data.get("line"), failure.get("attempts")
        return BatchFailure(
            id=None if ident is None else str(ident),
            line=line if isinstance(line, int) else None,
            type=str(failure.get("type", "error")),
            message=str(failure.get("message", "")),
            attempts=attempts if isinstance(attempts, int) else 0,
        )
    return None


def load_batch_output(data: bytes, *, source: str = "input") -> BatchOutput:
    """Read a batch output file: ``{"id", "extraction"}`` lines and ``{"id", "line", "error"}`` lines.

    A line that is neither (a line cut short by a killed job, say) is kept as a failure of its own, so
    the review shows it; a file with no batch line at all is refused.

    Raises:
        InputError: no line of the data is a batch output line.
    """
    results: list[BatchResult] = []
    failures: list[BatchFailure] = []
    unreadable = 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        record = _batch_record(raw, number)
        if record is None:
            unreadable += 1
            message = f"output line {number} is not a batch record (an extraction or an error line)"
            failures.append(BatchFailure(None, number, "unreadable_output_line", message))
        elif isinstance(record, BatchResult):
            results.append(record)
        else:
            failures.append(record)
    if unreadable == len(results) + len(failures):
        raise InputError(
            f"{source}: neither an extraction nor a batch output file (no line is an extraction or an "
            "error line); pass the JSON written by `claimscope extract` or the OUT file of `claimscope batch`"
        )
    return BatchOutput(results, failures)
