"""Archive outputs: batch results (JSONL) written as tidy tables, Parquet (pyarrow) or CSV (stdlib).

Reads what ``claimscope batch`` writes (``{"id", "extraction"}`` and error lines), JSONL of bare
extractions, and the JSON file of ``claimscope extract`` (one extraction, pretty-printed or not).
Writes one file per table of :mod:`extractor.batch.tables` into a folder, every table even when empty,
so queries never miss a file. pandas, polars and DuckDB open them directly::

    SELECT * FROM 'tables/claims.parquet' JOIN 'tables/actors.parquet' ...
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from extractor.batch.records import ErrorRecord
from extractor.batch.sources import tables_extra_missing
from extractor.batch.tables import ColumnType, Table, error_rows, extraction_rows, table_layout
from extractor.errors import ConfigError, InputError
from schemas import ArticleExtraction

__all__ = ["ExportFormat", "ExportSummary", "export_tables"]

ExportFormat = Literal["parquet", "csv"]
_ROW_GROUP = 10_000
_SHOWN_BAD_LINES = 5


@dataclass
class ExportSummary:
    """What an export wrote.

    Attributes:
        rows: Rows written per table.
        files: The files written, by table name.
        articles: Extractions read.
        errors: Error records read.
        bad_lines: ``(file, line number)`` of input lines that were neither (skipped).
    """

    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    articles: int = 0
    errors: int = 0
    bad_lines: list[tuple[str, int]] = field(default_factory=list)

    def bad_lines_note(self) -> str | None:
        """One line naming the skipped input lines, or None when there were none."""
        if not self.bad_lines:
            return None
        shown = ", ".join(f"{name}:{line}" for name, line in self.bad_lines[:_SHOWN_BAD_LINES])
        more = (
            f" and {len(self.bad_lines) - _SHOWN_BAD_LINES} more"
            if len(self.bad_lines) > _SHOWN_BAD_LINES
            else ""
        )
        return f"skipped {len(self.bad_lines)} lines that are not results or error records ({shown}{more})"


class _Writer(Protocol):
    def write(self, rows: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class _CsvWriter:
    def __init__(self, path: Path, table: Table) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._columns = list(table.columns)
        self._csv = csv.writer(self._file)
        self._csv.writerow(self._columns)

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._csv.writerows([[_csv_value(row.get(name)) for name in self._columns] for row in rows])

    def close(self) -> None:
        self._file.close()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


class _ParquetWriter:
    def __init__(self, path: Path, table: Table) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        types = {
            "string": pa.string(),
            "json": pa.string(),
            "int": pa.int64(),
            "float": pa.float64(),
            "bool": pa.bool_(),
            "date": pa.date32(),
        }
        kinds: dict[str, ColumnType] = table.columns
        self._pa = pa
        self._schema = pa.schema([(name, types[kind]) for name, kind in kinds.items()])
        self._writer = pq.ParquetWriter(path, self._schema)
        self._buffer: list[dict[str, Any]] = []

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= _ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        self._writer.write_table(self._pa.Table.from_pylist(self._buffer, schema=self._schema))
        self._buffer.clear()

    def close(self) -> None:
        if self._buffer:
            self._flush()
        self._writer.close()


def _open_writers(folder: Path, fmt: ExportFormat) -> tuple[dict[str, _Writer], dict[str, Path]]:
    if fmt == "parquet":
        if importlib.util.find_spec("pyarrow") is None:
            raise tables_extra_missing("--format parquet")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create {folder}: {error.strerror or type(error).__name__}") from error
    writers: dict[str, _Writer] = {}
    paths: dict[str, Path] = {}
    for name, table in table_layout().items():
        path = folder / f"{name}.{fmt}"
        writers[name] = _ParquetWriter(path, table) if fmt == "parquet" else _CsvWriter(path, table)
        paths[name] = path
    return writers, paths


def _read(raw: bytes) -> ArticleExtraction | ErrorRecord | None:
    """A batch output line as an extraction or an error record; None for anything else."""
    try:
        data = json.loads(raw)
        if isinstance(data, dict) and isinstance(data.get("extraction"), dict):
            return ArticleExtraction.model_validate(data["extraction"])
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            return ErrorRecord.from_dict(data)
        if isinstance(data, dict) and "provenance" in data:
            return ArticleExtraction.model_validate(data)
    except (ValueError, KeyError, TypeError, ValidationError):
        return None
    return None


def _items(source: Path, summary: ExportSummary) -> Iterator[ArticleExtraction | ErrorRecord]:
    """The extractions and error records of one file; lines that are neither go to ``summary.bad_lines``."""
    with source.open("rb") as file:
        first = file.readline()
        item = _read(first)
        if item is None and first.lstrip().startswith(b"{"):
            # Not one object per line: maybe one pretty-printed document (``claimscope extract``'s file).
            whole = _read(first + file.read())
            if whole is not None:
                yield whole
                return
        file.seek(0)
        for number, raw in enumerate(file, start=1):
            if not raw.strip():
                continue
            item = _read(raw)
            if item is None:
                summary.bad_lines.append((source.name, number))
                continue
            yield item


def export_tables(sources: Iterable[Path], folder: Path, fmt: ExportFormat = "parquet") -> ExportSummary:
    """Write the tables of every extraction in ``sources`` (batch output JSONL) into ``folder``.

    Memory stays flat: lines are read one at a time and Parquet row groups are written every 10,000 rows.

    Raises:
        InputError: a source file does not exist.
        ConfigError: ``folder`` cannot be created, or Parquet was asked for without pyarrow installed.
    """
    sources = list(sources)
    for source in sources:
        if not source.is_file():
            raise InputError(f"no such file: {source}")
    writers, paths = _open_writers(folder, fmt)
    summary = ExportSummary(rows=dict.fromkeys(writers, 0), files=paths)
    try:
        for source in sources:
            for item in _items(source, summary):
                if isinstance(item, ErrorRecord):
                    rows = {"errors": list(error_rows(item))}
                    summary.errors += 1
                else:
                    rows = extraction_rows(item)
                    summary.articles += 1
                for name, table_rows in rows.items():
                    if table_rows:
                        writers[name].write(table_rows)
                        summary.rows[name] += len(table_rows)
    finally:
        for writer in writers.values():
            writer.close()
    return summary
