"""Batch jobs: many articles through one extractor, bounded, resumable, accounted.

Owns the records and the sink interface (:mod:`.records`), the per-article function and the driver loop
(:mod:`.engine`), the engines that run it in worker processes (:mod:`.processes`) or Ray actors
(:mod:`.ray_engine`), the parsing of input lines into work or typed error records (:mod:`.lines`), and
JSONL files: bounded reading and the durable, resumable sink (:mod:`.jsonl`).
"""

from __future__ import annotations

from extractor.batch.jsonl import JsonlSink
from extractor.batch.lines import RecordParser, parse_lines
from extractor.batch.records import (
    AsyncResultSink,
    BatchOptions,
    BatchSummary,
    ErrorRecord,
    InputLine,
    ResultSink,
    SupportsExtract,
    run_batch,
)

__all__ = [
    "AsyncResultSink",
    "BatchOptions",
    "BatchSummary",
    "ErrorRecord",
    "InputLine",
    "JsonlSink",
    "RecordParser",
    "ResultSink",
    "SupportsExtract",
    "parse_lines",
    "run_batch",
]
