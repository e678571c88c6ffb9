"""The batch engine: many articles through one extractor, bounded, resumable, accounted.

The interface, for every face that runs batches (the CLI's JSONL jobs, the HTTP service's jobs)::

    summary = await run_batch(records, sink, extractor, BatchOptions(concurrency=8), progress=None)

- ``records``: an iterable or async iterable of :class:`InputLine` (work) and :class:`ErrorRecord`
  (input that cannot be worked on). :func:`extractor.batch.lines.parse_lines` turns raw JSONL lines into
  both, so a bad line becomes an error record (``malformed_json``, ``missing_text``, ``duplicate_id``,
  ``article_too_large``, ...) instead of an exception; :class:`extractor.batch.lines.RecordParser` does the
  same for already-decoded objects (e.g. items of a JSON request body).
- ``sink``: a :class:`ResultSink`, where every outcome goes, one call per record: ``write_result`` or
  ``write_error``; an :class:`AsyncResultSink` (``async def`` methods) is awaited the same way. On
  resume the engine asks it for ``done_ids()`` and skips those keys.
  :class:`extractor.batch.jsonl.JsonlSink` writes JSONL files; the HTTP service writes SQLite rows.
- ``extractor``: anything with ``model`` and ``aextract`` (:class:`extractor.Extractor`).
- ``progress``: called with the live :class:`BatchSummary` after each record.

Outcomes arrive in completion order, not input order: every result and error carries its id (error
records also carry the input line number), so concurrency never waits on a slow article.

Failures of one article (bad output, timeouts and rate limits after the article-level retries, input
errors) become error records and the job goes on. Failures of the model itself (bad credentials, server
unreachable after retries, embedded model missing) abort the job: nothing is written for the records in
flight, so a resume redoes them, and the summary's ``status`` is ``aborted`` with the error.
"""

from __future__ import annotations

from extractor.batch.engine import drive, local_runner
from extractor.batch.types import (
    AnySink,
    AsyncResultSink,
    BatchOptions,
    BatchSummary,
    ErrorRecord,
    InputLine,
    OversizedLine,
    ProgressCallback,
    Records,
    ResultSink,
    SupportsExtract,
    line_key,
)

__all__ = [
    "AnySink",
    "AsyncResultSink",
    "BatchOptions",
    "BatchSummary",
    "ErrorRecord",
    "InputLine",
    "OversizedLine",
    "ProgressCallback",
    "Records",
    "ResultSink",
    "SupportsExtract",
    "line_key",
    "run_batch",
]


async def run_batch(
    records: Records,
    sink: AnySink,
    extractor: SupportsExtract,
    options: BatchOptions | None = None,
    progress: ProgressCallback | None = None,
) -> BatchSummary:
    """Run every record through ``extractor`` with bounded concurrency, writing outcomes to ``sink``.

    Memory stays flat: records are pulled as slots free up and outcomes are written as they complete;
    only the resume keys and the seen ids (duplicate detection) grow with the input.

    Args:
        records: Input records; error records are written to the sink as they come.
        sink: Where outcomes go; with ``options.resume`` its ``done_ids()`` are skipped.
        extractor: The extractor (its own result cache makes repeated runs free).
        options: Concurrency, resume, budget and retry settings.
        progress: Called with the live summary after every outcome.

    Returns:
        The final summary; ``status`` says whether the job completed, ran out of budget or was aborted
        by a model-level error (``summary.error``). Cancelling the awaiting task cancels work in flight.
    """
    options = options or BatchOptions()
    runner = local_runner(extractor, options)
    return await drive(records, sink, runner, options, progress, model=extractor.model, engine="local")
