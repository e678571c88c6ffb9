"""The lines of a job: upload lines split as they stream in, and the sink storing each line's outcome."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator

from extractor.api.jobstore import JobStore
from extractor.api.metrics import Metrics
from extractor.api.problems import public_detail
from extractor.batch.jsonl import error_line, result_line
from extractor.batch.records import ErrorRecord, OversizedLine
from schemas import ArticleExtraction

__all__ = ["SqliteSink", "split_lines", "unmark"]

logger = logging.getLogger("claimscope.api")

# Stored in place of an upload line too long to keep; no JSON line starts with a NUL byte.
_OVERSIZED = b"\x00oversized:"


class SqliteSink:
    """The batch engine's :class:`~extractor.batch.ResultSink` for one job: one committed row per outcome.

    Args:
        store: The jobs database.
        job_id: The job.
        lines: Input line of each record id, filled in as records are read (results carry only the id).
        metrics: Where item outcomes are counted.
    """

    def __init__(self, store: JobStore, job_id: str, lines: dict[str, int], metrics: Metrics) -> None:
        self.store = store
        self.job_id = job_id
        self.lines = lines
        self.metrics = metrics

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        """Keys with an outcome already (failed ones too: jobs never retry them on their own)."""
        return self.store.done_keys(self.job_id)

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        """Commit one extraction."""
        record = result_line(id, extraction).decode("utf-8").rstrip("\n")
        self.store.add_result(self.job_id, id, self.lines.get(id, 0), True, record)
        self.metrics.job_items.labels("ok").inc()

    def write_error(self, record: ErrorRecord) -> None:
        """Commit one error record."""
        public = public_detail(record.type, record.message)
        if public != record.message:
            logger.warning("job %s line %d: %s: %s", self.job_id, record.line, record.type, record.message)
            record = ErrorRecord(record.id, record.line, record.type, public, record.attempts)
        line = error_line(record).decode("utf-8").rstrip("\n")
        self.store.add_result(self.job_id, record.key, record.line, False, line)
        self.metrics.job_items.labels("error").inc()


def _oversized(size: int, limit: int) -> bytes:
    return b"%s%d:%d" % (_OVERSIZED, size, limit)


def _kept(pending: bytearray) -> bytes:
    line = bytes(pending).removesuffix(b"\r")
    # A line of the upload that itself starts with NUL is stored behind one more NUL, so no input line
    # can pass for the oversized marker.
    return b"\x00" + line if line.startswith(b"\x00") else line


def unmark(raw: bytes) -> bytes | OversizedLine:
    """A stored input line, or the :class:`OversizedLine` stored in place of one too long to keep."""
    if raw.startswith(b"\x00\x00"):
        return raw[1:]
    if not raw.startswith(_OVERSIZED):
        return raw
    size, _, limit = raw.removeprefix(_OVERSIZED).partition(b":")
    return OversizedLine(size=int(size), limit=int(limit))


async def split_lines(chunks: AsyncIterable[bytes], max_line_bytes: int) -> AsyncIterator[tuple[int, bytes]]:
    """Numbered lines (from 1) of a byte stream, without their line endings.

    A line longer than ``max_line_bytes`` is dropped as it streams in (only its length is counted) and
    comes out as an oversized marker, so one huge line costs no more memory than the limit.
    """
    number = 0
    pending = bytearray()
    dropped = 0  # bytes of the current line thrown away; > 0 once it is known to be too long
    async for chunk in chunks:
        view = memoryview(chunk)
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = view[start:] if end < 0 else view[start:end]
            if dropped:
                dropped += len(piece)
            else:
                pending += piece
                if len(pending) > max_line_bytes:
                    dropped, pending = len(pending), bytearray()
            if end < 0:
                break
            number += 1
            yield number, _oversized(dropped, max_line_bytes) if dropped else _kept(pending)
            pending, dropped = bytearray(), 0
            start = end + 1
    if pending or dropped:
        yield number + 1, _oversized(dropped, max_line_bytes) if dropped else _kept(pending)
