"""Background jobs: uploads stored in SQLite, run by the batch engine, results streamed back as JSONL.

One :class:`JobManager` per app runs one job at a time in a background task (items of the job run
concurrently, through the service's LLM semaphore). Jobs are claimed with a lease
(:mod:`extractor.api.jobstore`), so several server processes can share a database, and a job left behind
by a stopped server is resumed by the next one: the engine skips every line that already has a result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime

from extractor.api.joblines import SqliteSink, split_lines, unmark
from extractor.api.jobstore import JobRow, JobStore, drop_lease, new_job_id, new_lease
from extractor.api.metrics import Metrics
from extractor.api.models import JobStatus
from extractor.api.problems import ApiProblem, public_detail
from extractor.api.service import ExtractionService
from extractor.batch.jsonl import max_line_bytes
from extractor.batch.lines import RecordParser
from extractor.batch.records import (
    BatchOptions,
    BatchSummary,
    ErrorRecord,
    InputLine,
    run_batch,
)
from extractor.errors import ClaimscopeError
from extractor.settings import Settings
from schemas import Article

__all__ = ["JobManager"]

logger = logging.getLogger("claimscope.api")

_INSERT_BATCH_LINES = 500
_INSERT_BATCH_BYTES = 4_000_000
_FOLLOW_POLL_S = 0.5
_PURGE_EVERY_S = 60.0


def _timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class JobManager:
    """Creates, runs, reports and streams jobs.

    Args:
        settings: Service settings (limits, lease length, concurrency).
        store: The jobs database.
        service: Extraction service every job item goes through.
        metrics: Where job events are counted.
    """

    def __init__(
        self, settings: Settings, store: JobStore, service: ExtractionService, metrics: Metrics
    ) -> None:
        self.settings = settings
        self.store = store
        self.service = service
        self.metrics = metrics
        self._lease = new_lease()
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._purged = 0.0

    # -- lifecycle --------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the background runner; it first resumes unfinished jobs."""
        if self._task is None:
            self._wake = asyncio.Event()
            self._task = asyncio.create_task(self._run_forever(), name="claimscope-jobs")

    async def stop(self) -> None:
        """Stop the runner; the job in progress keeps its results and is resumed by the next start."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.to_thread(self.store.release, self._lease)
        drop_lease(self._lease)

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def _run_forever(self) -> None:
        idle_s = self.settings.api_job_lease_s / 3
        while True:
            try:
                row = await asyncio.to_thread(
                    self.store.claim, self._lease, stale_after_s=self.settings.api_job_lease_s
                )
            except Exception:
                logger.exception("could not read the jobs database")
                row = None
            if row is not None:
                try:
                    await self._run(row)
                except Exception:  # e.g. the database went away while finishing: keep serving other jobs
                    logger.exception("job %s could not be completed; it will be resumed", row.id)
                    await asyncio.sleep(idle_s)
                continue
            await self._purge()
            assert self._wake is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle_s)
            self._wake.clear()

    async def _purge(self) -> None:
        """Delete jobs finished longer than ``api_job_ttl_s`` ago (checked at most once a minute)."""
        ttl = self.settings.api_job_ttl_s
        now = time.time()
        if not ttl or now - self._purged < _PURGE_EVERY_S:
            return
        self._purged = now
        try:
            purged = await asyncio.to_thread(self.store.purge, finished_before=now - ttl)
        except Exception:
            logger.exception("could not delete expired jobs")
            return
        if purged:
            logger.info("deleted %d jobs finished more than %g s ago", purged, ttl)

    async def _run(self, row: JobRow) -> None:
        lines: dict[str, int] = {}
        sink = SqliteSink(self.store, row.id, lines, self.metrics)
        options = BatchOptions(concurrency=self.settings.api_llm_concurrency, resume=True)
        error: str | None = None
        batch = asyncio.create_task(
            run_batch(self._records(row.id, lines), sink, self.service.bound_to(row.model), options)
        )
        beat = asyncio.create_task(self._heartbeat(row.id, batch))
        try:
            summary = await batch
            if summary.status != "completed":
                problem = summary.error or {"type": summary.status, "message": "the job stopped"}
                if summary.error is not None:
                    logger.warning("job %s stopped: %s: %s", row.id, problem["type"], problem["message"])
                error = f"{problem['type']}: {public_detail(problem['type'], problem['message'])}"
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the server is stopping: the lease is released and the job resumes elsewhere
            logger.warning("job %s was taken over by another process", row.id)
            return
        except Exception as failure:  # e.g. an unusable model string: the job fails, the server goes on
            logger.exception("job %s failed", row.id)
            code = failure.code if isinstance(failure, ClaimscopeError) else "internal_error"
            error = f"{code}: {public_detail(code, str(failure))}"
        finally:
            beat.cancel()
        await asyncio.to_thread(self.store.finish, row.id, self._lease, error=error)
        self.metrics.jobs.labels("failed" if error else "finished").inc()

    async def _heartbeat(self, job_id: str, batch: asyncio.Task[BatchSummary]) -> None:
        while True:
            await asyncio.sleep(self.settings.api_job_lease_s / 3)
            try:
                held = await asyncio.to_thread(self.store.heartbeat, job_id, self._lease)
            except Exception:  # a busy or failing database: try again next beat, the lease may still hold
                logger.warning("job %s heartbeat failed", job_id, exc_info=True)
                continue
            if not held:
                batch.cancel()
                return

    def _records(self, job_id: str, lines: dict[str, int]) -> Iterator[InputLine | ErrorRecord]:
        # Every line is parsed again on resume, so duplicate ids are flagged exactly as in the first run.
        parser = RecordParser(max_chars=self.settings.max_article_chars)
        for number, raw in self.store.inputs(job_id):
            record = parser.parse_raw(unmark(raw), number)
            if record is None:
                continue
            if isinstance(record, InputLine):
                lines[record.id] = number
            yield record

    # -- creation ---------------------------------------------------------------------------------------
    async def create_from_lines(
        self, owner: str, model: str | None, chunks: AsyncIterable[bytes]
    ) -> JobStatus:
        """Store a streamed JSONL upload as a new job and queue it.

        Blank lines are skipped but counted, so error records name the line of the uploaded file.
        """
        job_id = new_job_id()
        await asyncio.to_thread(self.store.begin, job_id, owner, model, self._lease)
        try:
            batch: list[tuple[int, bytes]] = []
            size = stored = 0
            limit = max_line_bytes(self.settings.max_article_chars)
            async for number, line in split_lines(chunks, limit):
                if not line.strip():
                    continue
                batch.append((number, line))
                size += len(line)
                if len(batch) >= _INSERT_BATCH_LINES or size >= _INSERT_BATCH_BYTES:
                    await asyncio.to_thread(self.store.add_inputs, job_id, batch)
                    stored += len(batch)
                    batch, size = [], 0
            if batch:
                await asyncio.to_thread(self.store.add_inputs, job_id, batch)
                stored += len(batch)
            if stored == 0:
                raise ApiProblem(
                    422, "empty_job", "the upload has no non-blank lines; send one JSON article per line"
                )
            await asyncio.to_thread(self.store.commit, job_id)
        except BaseException:
            await asyncio.shield(asyncio.to_thread(self.store.delete, job_id))
            raise
        self.metrics.jobs.labels("created").inc()
        self._poke()
        return await self.status(job_id, owner)

    async def create_from_articles(
        self, owner: str, model: str | None, articles: Sequence[Article]
    ) -> JobStatus:
        """Store a list of articles as a new job and queue it (item ``n`` is reported as line ``n``)."""

        async def encoded() -> AsyncIterator[bytes]:
            for article in articles:
                yield article.model_dump_json(exclude_none=True).encode("utf-8") + b"\n"

        return await self.create_from_lines(owner, model, encoded())

    # -- reading ----------------------------------------------------------------------------------------
    async def row(self, job_id: str, owner: str) -> JobRow | None:
        """The job, if it exists and belongs to ``owner``."""
        row = await asyncio.to_thread(self.store.get, job_id)
        return row if row is not None and row.owner == owner else None

    async def status(self, job_id: str, owner: str) -> JobStatus:
        """The job's status.

        Raises:
            LookupError: no such job for this owner.
        """
        row = await self.row(job_id, owner)
        if row is None:
            raise LookupError(job_id)
        return self.to_status(row)

    def to_status(self, row: JobRow) -> JobStatus:
        """The public view of a job row."""
        return JobStatus(
            id=row.id,
            status=row.status,
            model=row.model or self.service.default_model,
            total=row.total,
            done=row.done,
            succeeded=row.succeeded,
            failed=row.failed,
            created=_timestamp(row.created),
            updated=_timestamp(row.updated),
            error=row.error,
            results_url=f"/v1/jobs/{row.id}/results",
        )

    async def delete(self, job_id: str, owner: str) -> bool:
        """Forget a job with its inputs and results; False while it runs.

        Raises:
            LookupError: no such job for this owner.
        """
        if await self.row(job_id, owner) is None:
            raise LookupError(job_id)
        return await asyncio.to_thread(self.store.delete_unless_running, job_id)

    async def retry(self, job_id: str, owner: str) -> bool:
        """Queue a finished job again to redo its failed lines; False if it has none and did not fail."""
        if await self.row(job_id, owner) is None:
            raise LookupError(job_id)
        requeued = await asyncio.to_thread(self.store.requeue, job_id)
        if requeued:
            self._poke()
        return requeued

    async def stream_results(
        self, job_id: str, *, offset: int = 0, follow: bool = False
    ) -> AsyncIterator[bytes]:
        """The job's outcomes as JSONL, in completion order, skipping the first ``offset``.

        Lines have the shape of ``claimscope batch`` output: ``{"id", "extraction"}`` or
        ``{"id", "line", "error": {"type", "message", "attempts"}}``.

        With ``follow`` the stream stays open until the job is no longer queued or running.
        """
        after = 0
        skip = offset
        while True:
            page = await asyncio.to_thread(self.store.results, job_id, after_seq=after)
            if page:
                after = page[-1][0]
                records = [record for _, record in page]
                if skip:
                    dropped = min(skip, len(records))
                    records, skip = records[dropped:], skip - dropped
                if records:
                    yield ("\n".join(records) + "\n").encode("utf-8")
                continue
            if not follow:
                return
            row = await asyncio.to_thread(self.store.get, job_id)
            if row is None or row.status not in ("queued", "running"):
                # One last look: results committed between the page read and the status read.
                tail = await asyncio.to_thread(self.store.results, job_id, after_seq=after)
                if not tail:
                    return
                continue
            await asyncio.sleep(_FOLLOW_POLL_S)
