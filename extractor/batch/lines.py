"""Batch input records from JSONL lines or decoded objects; a bad line becomes an error record, never raises.

Error types (the ``code`` of :mod:`extractor.errors` classes): ``malformed_json`` (not a JSON object),
``decode_error`` (not UTF-8), ``invalid_record`` (bad id, title, url or date), ``duplicate_id`` (an id seen
on an earlier line), ``missing_text``, ``empty_article`` and ``article_too_large`` (too many characters, or a
line too long to read). A line without an id gets the id ``line-<n>``; blank lines are not records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from extractor.batch.records import ErrorRecord, InputLine, OversizedLine
from extractor.errors import (
    ArticleTooLargeError,
    DecodeError,
    DuplicateIdError,
    EmptyArticleError,
    InvalidRecordError,
    MalformedLineError,
    MissingTextError,
)

__all__ = ["RecordParser", "parse_lines"]


_BLANK = " \t\r\n\f\v"
_OPTIONAL_FIELDS = ("title", "url")
_FIELD_LIMITS = {"id": 200, "title": 1000, "url": 2000}


class RecordParser:
    """Turns decoded input objects into :class:`InputLine` or :class:`ErrorRecord`, never raising.

    Remembers every id it has seen, to flag duplicates.

    Args:
        id_field: Field holding the id; dots reach into nested objects (``meta.id``).
        text_field: Field holding the text; dots reach into nested objects.
        max_chars: Longer texts become ``article_too_large`` errors.
    """

    def __init__(self, *, id_field: str = "id", text_field: str = "text", max_chars: int = 200_000) -> None:
        self.id_field = id_field
        self.text_field = text_field
        self.max_chars = max_chars
        self._seen: set[str] = set()

    def parse_raw(self, raw: bytes | str | OversizedLine, line: int) -> InputLine | ErrorRecord | None:
        """Parse one raw JSONL line; None for a blank line (blank lines are not records).

        Never raises: whatever one line does to the decoder (nesting past the recursion limit, numbers
        too long to convert, a bug of ours) becomes that line's error record, so no line can stop a job.
        """
        try:
            return self._parse_raw(raw, line)
        except RecursionError:
            message = "input line is nested too deeply to read; flatten the record"
            return ErrorRecord.from_error(MalformedLineError(message), id=None, line=line)
        except Exception as error:
            message = f"input line could not be read ({type(error).__name__})"
            return ErrorRecord.from_error(InvalidRecordError(message), id=None, line=line)

    def _parse_raw(self, raw: bytes | str | OversizedLine, line: int) -> InputLine | ErrorRecord | None:
        if isinstance(raw, OversizedLine):
            message = (
                f"input line has {raw.size:,} bytes, over the limit of {raw.limit:,}; "
                "split the article or raise CLAIMSCOPE_MAX_ARTICLE_CHARS"
            )
            return ErrorRecord(None, line, ArticleTooLargeError.code, message)
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                message = f"input line is not UTF-8 (bad byte at offset {error.start}); convert it to UTF-8"
                return ErrorRecord.from_error(DecodeError(message), id=None, line=line)
        if not raw.strip(
            _BLANK
        ):  # ASCII whitespace only, as uploads count lines: every other line is a record
            return None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            message = f"input line is not valid JSON ({error.msg} at column {error.colno})"
            return ErrorRecord.from_error(MalformedLineError(message), id=None, line=line)
        except ValueError as error:  # e.g. an integer past the digit limit of int()
            message = f"input line is not usable JSON ({str(error)[:200]})"
            return ErrorRecord.from_error(MalformedLineError(message), id=None, line=line)
        return self.parse_obj(data, line)

    def parse_obj(self, data: object, line: int) -> InputLine | ErrorRecord:
        """Parse one decoded input object; never raises (see :meth:`parse_raw`)."""
        try:
            return self._parse_obj(data, line)
        except RecursionError:
            message = "input record is nested too deeply to read; flatten the record"
            return ErrorRecord.from_error(MalformedLineError(message), id=None, line=line)
        except Exception as error:
            message = f"input record could not be read ({type(error).__name__})"
            return ErrorRecord.from_error(InvalidRecordError(message), id=None, line=line)

    def _parse_obj(self, data: object, line: int) -> InputLine | ErrorRecord:
        if not isinstance(data, dict):
            message = f"input line is JSON {type(data).__name__}, not an object with {self.text_field!r}"
            return ErrorRecord.from_error(MalformedLineError(message), id=None, line=line)
        raw_id = _lookup(data, self.id_field)
        if raw_id is None:
            raw_id = f"line-{line}"
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            message = f"{self.id_field!r} must be a string or integer, not {type(raw_id).__name__}"
            return ErrorRecord.from_error(InvalidRecordError(message), id=None, line=line)
        id = str(raw_id)
        if not id or len(id) > _FIELD_LIMITS["id"] or any(ord(char) < 32 for char in id) or _unencodable(id):
            message = f"{self.id_field!r} must be 1-200 characters without control characters or surrogates"
            return ErrorRecord.from_error(InvalidRecordError(message), id=None, line=line)
        if id in self._seen:
            message = f"id {id!r} was already used on an earlier line; this line was not extracted"
            return ErrorRecord.from_error(DuplicateIdError(message), id=id, line=line)
        self._seen.add(id)
        text = _lookup(data, self.text_field)
        if not isinstance(text, str):
            got = "missing" if text is None else f"a {type(text).__name__}"
            message = f"field {self.text_field!r} is {got}; each line needs the article text as a string"
            return ErrorRecord.from_error(MissingTextError(message), id=id, line=line)
        if _unencodable(text):
            message = "article text holds a lone surrogate (an escape like \\udfff); it is not valid Unicode"
            return ErrorRecord.from_error(DecodeError(message), id=id, line=line)
        if not text.strip():
            message = "article text is empty or only whitespace; nothing to extract"
            return ErrorRecord.from_error(EmptyArticleError(message), id=id, line=line)
        if len(text) > self.max_chars:
            return ErrorRecord.from_error(ArticleTooLargeError(len(text), self.max_chars), id=id, line=line)
        try:
            extra = {name: _optional_str(data, name) for name in _OPTIONAL_FIELDS}
            published = _published(data.get("published"))
        except InvalidRecordError as error:
            return ErrorRecord.from_error(error, id=id, line=line)
        return InputLine(id=id, text=text, line=line, published=published, **extra)


def parse_lines(
    lines: Iterable[bytes | str | OversizedLine],
    *,
    id_field: str = "id",
    text_field: str = "text",
    max_chars: int = 200_000,
) -> Iterator[InputLine | ErrorRecord]:
    """Parse JSONL lines (numbered from 1) into records, lazily; bad lines become error records."""
    parser = RecordParser(id_field=id_field, text_field=text_field, max_chars=max_chars)
    for number, raw in enumerate(lines, start=1):
        record = parser.parse_raw(raw, number)
        if record is not None:
            yield record


def _unencodable(text: str) -> bool:
    r"""Whether ``text`` holds a lone surrogate (JSON allows ``\udfff``; UTF-8 cannot encode it)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _lookup(data: dict[str, Any], path: str) -> Any:
    if path in data:
        return data[path]
    current: Any = data
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


def _optional_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _FIELD_LIMITS[name] or _unencodable(value):
        raise InvalidRecordError(f"{name!r} must be a string of at most {_FIELD_LIMITS[name]} characters")
    return value


def _published(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        for parse in (date.fromisoformat, lambda text: datetime.fromisoformat(text).date()):
            try:
                return parse(value)
            except ValueError:
                continue
    raise InvalidRecordError(f"'published' must be an ISO date like 2024-05-31, not {value!r}")
