"""Batch input besides JSONL: a folder of ``.txt`` files, and CSV or Parquet tables with a text column.

Each source yields :class:`~extractor.batch.records.InputLine` (work) and
:class:`~extractor.batch.records.ErrorRecord` (a file or row that cannot be worked on), never raising for
one bad item, exactly as JSONL lines do; ``line`` is the item's 1-based position (file in sorted order,
data row). Ids: a text file's path relative to the folder without ``.txt`` (``2024/a1`` for
``2024/a1.txt``); a table row's id column, else ``line-<n>``. Optional ``title``, ``url`` and
``published`` columns are read when present.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from extractor.batch.lines import RecordParser
from extractor.batch.records import ErrorRecord, InputLine
from extractor.errors import ArticleTooLargeError, ConfigError, DecodeError, InputError, InvalidRecordError

__all__ = ["SourceKind", "TableSource", "TextFolder", "source_kind", "tables_extra_missing"]

SourceKind = Literal["jsonl", "folder", "csv", "parquet"]
_OPTIONAL_COLUMNS = ("title", "url", "published")
_PARQUET_BATCH_ROWS = 256


def source_kind(source: str) -> SourceKind:
    """What an input path holds: a folder of ``.txt`` files, a ``.csv``/``.parquet`` table, else JSONL."""
    if source == "-":
        return "jsonl"
    path = Path(source)
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "jsonl"


def tables_extra_missing(what: str) -> ConfigError:
    """The error for a feature that needs pyarrow when it is not installed."""
    return ConfigError(f"{what} needs pyarrow: pip install 'claimscope[tables]'")


@dataclass(frozen=True)
class TextFolder:
    """Every ``*.txt`` file under a folder (recursively, sorted by path), one article each.

    Attributes:
        root: The folder.
        max_chars: Longer articles become ``article_too_large`` records.
        encoding: The files' encoding (``--encoding``); a UTF-8 byte-order mark is dropped.
    """

    root: Path
    max_chars: int
    encoding: str = "utf-8"

    def files(self) -> list[Path]:
        """The article files, sorted by their path relative to the folder."""
        return sorted(path for path in self.root.rglob("*.txt") if path.is_file())

    def check(self) -> None:
        """Refuse a folder without ``.txt`` files (most likely the wrong folder)."""
        if not self.files():
            raise InputError(f"{self.root} holds no .txt files; put one article per .txt file in it")

    def total(self) -> int:
        """How many articles the folder holds."""
        return len(self.files())

    def records(self) -> Iterator[InputLine | ErrorRecord]:
        """One record per file; unreadable, non-UTF-8, empty or oversized files become error records."""
        parser = RecordParser(max_chars=self.max_chars)
        for line, path in enumerate(self.files(), start=1):
            id = path.relative_to(self.root).with_suffix("").as_posix()
            try:
                # UTF-8 takes at most 4 bytes a character: a larger file cannot be under the limit.
                size = path.stat().st_size
                if size > self.max_chars * 4:
                    yield ErrorRecord.from_error(ArticleTooLargeError(size, self.max_chars), id=id, line=line)
                    continue
                text = path.read_bytes().decode(_python_encoding(self.encoding))
            except UnicodeDecodeError as error:
                message = (
                    f"{path.name} is not {_shown(self.encoding)} (bad byte at offset {error.start}); "
                    "give its encoding with --encoding or convert it to UTF-8"
                )
                yield ErrorRecord.from_error(DecodeError(message), id=id, line=line)
                continue
            except OSError as error:
                message = f"{path.name} could not be read ({error.strerror or type(error).__name__})"
                yield ErrorRecord.from_error(InputError(message), id=id, line=line)
                continue
            yield parser.parse_obj({"id": id, "text": text}, line)


@dataclass(frozen=True)
class TableSource:
    """Rows of a CSV (UTF-8, header row) or Parquet file, one article per row.

    Attributes:
        path: The table file.
        kind: ``csv`` or ``parquet``.
        text_column: Column holding the article text.
        id_column: Column holding the id; rows without one get ``line-<n>``.
        max_chars: Longer articles become ``article_too_large`` records.
        encoding: A CSV file's encoding (``--encoding``); Parquet stores UTF-8 itself.
    """

    path: Path
    kind: Literal["csv", "parquet"]
    text_column: str = "text"
    id_column: str = "id"
    max_chars: int = 200_000
    encoding: str = "utf-8"

    def columns(self) -> list[str]:
        """The table's column names."""
        if self.kind == "parquet":
            return list(self._parquet().schema_arrow.names)
        with self.path.open(
            encoding=_python_encoding(self.encoding), errors="surrogateescape", newline=""
        ) as file:
            return next(csv.reader(file), [])

    def check(self) -> None:
        """Refuse a table without the text column, naming the columns it has."""
        columns = self.columns()
        if self.text_column not in columns:
            shown = ", ".join(repr(name) for name in columns[:20]) or "none"
            raise ConfigError(
                f"{self.path.name} has no column {self.text_column!r} (columns: {shown}); "
                "name the text column with --text-column"
            )

    def total(self) -> int | None:
        """Rows in a Parquet file (from its footer); None for CSV (counting would read it twice)."""
        return int(self._parquet().metadata.num_rows) if self.kind == "parquet" else None

    def records(self) -> Iterator[InputLine | ErrorRecord]:
        """One record per row; a bad row becomes its error record and the rows after it still count."""
        parser = RecordParser(id_field=self.id_column, text_field=self.text_column, max_chars=self.max_chars)
        rows = self._parquet_rows() if self.kind == "parquet" else self._csv_rows()
        for line, row in enumerate(rows, start=1):
            if isinstance(row, ErrorRecord):
                yield ErrorRecord(row.id, line, row.type, row.message)
                continue
            yield parser.parse_obj(_clean(row, self.id_column), line)

    def _csv_rows(self) -> Iterator[dict[str, Any] | ErrorRecord]:
        # Articles are longer than csv's default field limit (128 KiB); room for the largest allowed.
        csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, self.max_chars * 4 + 1)))
        # Undecodable bytes stay as surrogates, so the parser flags that row alone as not UTF-8.
        with self.path.open(
            encoding=_python_encoding(self.encoding), errors="surrogateescape", newline=""
        ) as file:
            reader = csv.DictReader(file)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield ErrorRecord(None, 0, InvalidRecordError.code, f"CSV row could not be read: {error}")
                    continue
                yield row

    def _parquet(self) -> Any:
        try:
            import pyarrow.parquet as parquet  # type: ignore[import-untyped]
        except ImportError:
            raise tables_extra_missing("reading Parquet input") from None
        try:
            return parquet.ParquetFile(self.path)
        except Exception as error:  # pyarrow raises its own ArrowInvalid for a file that is not Parquet
            raise InputError(f"{self.path.name} is not a readable Parquet file ({error})") from error

    def _parquet_rows(self) -> Iterator[dict[str, Any] | ErrorRecord]:
        table = self._parquet()
        wanted = [self.text_column, self.id_column, *_OPTIONAL_COLUMNS]
        columns = [name for name in table.schema_arrow.names if name in wanted]
        for batch in table.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
            yield from batch.to_pylist()


def _python_encoding(encoding: str) -> str:
    """The codec to read with: for UTF-8 the one that drops a byte-order mark."""
    return "utf-8-sig" if encoding == "utf-8" else encoding


def _shown(encoding: str) -> str:
    return "UTF-8" if encoding == "utf-8" else encoding


def _clean(row: dict[str, Any], id_column: str) -> dict[str, Any]:
    """A table row as the record parser reads it: empty cells are absent, dates are ISO strings."""
    cleaned: dict[str, Any] = {}
    for name, value in row.items():
        if value is None or (value == "" and (name == id_column or name in _OPTIONAL_COLUMNS)):
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        cleaned[name] = value
    return cleaned
