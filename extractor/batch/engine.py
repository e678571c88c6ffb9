"""The engine behind :func:`~extractor.batch.run_batch`: the per-article function and the bounded driver loop.

:func:`process_record` (one article, with article-level retries) is what every engine runs, in-process or
in a Ray actor; :func:`drive` pulls records, keeps at most ``concurrency`` runs in flight, writes each
outcome to the sink as it completes and keeps the summary.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import random
import time
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from extractor.batch.types import (
    AnySink,
    BatchOptions,
    BatchSummary,
    ErrorRecord,
    InputLine,
    ProgressCallback,
    Records,
    SupportsExtract,
)
from extractor.errors import (
    ClaimscopeError,
    ConfigError,
    EmbeddedModelError,
    LLMAuthError,
    LLMConnectionError,
    LLMError,
    LLMOutputError,
    LLMRateLimitError,
    LLMTimeoutError,
)
from extractor.llm.client import estimate_cost
from schemas import ArticleExtraction, Usage

__all__ = [
    "Outcome",
    "RateGate",
    "Runner",
    "drive",
    "local_runner",
    "process_record",
    "settle",
    "worker_failure",
]

# Worth another try of the article: the provider may recover.
_RETRYABLE = (LLMRateLimitError, LLMTimeoutError, LLMConnectionError)
# Every article would fail the same way: stop the job instead of writing an error per line.
_FATAL = (LLMAuthError, EmbeddedModelError, ConfigError)
# Records pulled from a synchronous source per trip to the reader thread.
_READ_CHUNK = 64

T = TypeVar("T")


async def settle(value: T | Awaitable[T]) -> T:
    """A sink method's return value, awaited when the sink is async (so no result is ever left unwritten)."""
    if inspect.isawaitable(value):
        return await value
    return value


@dataclass(frozen=True)
class Outcome:
    """What became of one record; plain data, so it crosses process boundaries (Ray).

    Attributes:
        id: The record's id.
        line: Its input line number.
        extraction: The result, when the article succeeded.
        error: The error record, when it failed.
        fatal: ``{"type", "message"}`` of a model-level error that must abort the job.
        usage: Tokens spent on this record (zero for a cached result).
        cached: Whether the result came from the cache.
    """

    id: str
    line: int
    extraction: ArticleExtraction | None = None
    error: ErrorRecord | None = None
    fatal: dict[str, str] | None = None
    usage: Usage = field(default_factory=Usage)
    cached: bool = False


class RateGate:
    """A pause shared by every article of one process: after a 429 nobody calls before Retry-After passes."""

    def __init__(self) -> None:
        self._until = 0.0

    def hold(self, seconds: float) -> None:
        """Keep the gate closed for ``seconds`` from now (never shortening an earlier hold)."""
        self._until = max(self._until, time.monotonic() + seconds)

    async def wait(self) -> None:
        """Return once the gate is open."""
        while (delay := self._until - time.monotonic()) > 0:
            await asyncio.sleep(delay)


def _backoff(error: LLMError, attempt: int, options: BatchOptions) -> float:
    if isinstance(error, LLMRateLimitError) and error.retry_after is not None:
        return min(max(error.retry_after, 0.0), options.max_backoff_s)
    delay = options.backoff_base_s * (2 ** (attempt - 1)) * (0.5 + random.random())
    return float(min(delay, options.max_backoff_s))


def _fatal(error: ClaimscopeError) -> dict[str, str]:
    return {"type": error.code, "message": str(error)}


async def process_record(
    extractor: SupportsExtract, record: InputLine, options: BatchOptions, gate: RateGate | None = None
) -> Outcome:
    """Extract one article, retrying rate limits, timeouts and connection errors with backoff.

    Never raises for a failed article (except cancellation): the outcome holds the error record, or a
    ``fatal`` error when the model itself is unusable (bad credentials, missing embedded model, or
    still unreachable after every try).
    """
    spent = Usage()
    for attempt in range(1, options.attempts + 1):
        if gate is not None:
            await gate.wait()
        try:
            extraction = await extractor.aextract(
                record.text,
                article_id=record.id,
                title=record.title,
                url=record.url,
                published=record.published,
            )
        except _RETRYABLE as error:
            if attempt < options.attempts:
                delay = _backoff(error, attempt, options)
                if isinstance(error, LLMRateLimitError) and gate is not None:
                    gate.hold(delay)
                await asyncio.sleep(delay)
                continue
            if isinstance(error, LLMConnectionError):
                return Outcome(record.id, record.line, fatal=_fatal(error), usage=spent)
            failed = ErrorRecord.from_error(error, id=record.id, line=record.line, attempts=attempt)
            return Outcome(record.id, record.line, error=failed, usage=spent)
        except _FATAL as error:
            return Outcome(record.id, record.line, fatal=_fatal(error), usage=spent)
        except Exception as error:  # one article's bug must not stop the job: it becomes its error record
            if isinstance(error, LLMOutputError):
                spent = spent + error.usage
            failed = ErrorRecord.from_error(error, id=record.id, line=record.line, attempts=attempt)
            if not isinstance(error, ClaimscopeError):
                failed = ErrorRecord(
                    record.id, record.line, failed.type, f"{type(error).__name__}: {failed.message}", attempt
                )
            return Outcome(record.id, record.line, error=failed, usage=spent)
        cached = extraction.provenance.cached
        usage = spent if cached else spent + extraction.provenance.usage
        return Outcome(record.id, record.line, extraction=extraction, usage=usage, cached=cached)
    raise AssertionError("unreachable: the loop returns")  # pragma: no cover


def worker_failure(record: InputLine, message: str) -> Outcome:
    """The outcome of an article lost with the worker running it (a Ray actor, a worker process).

    A ``worker_error`` record, not a fatal error: the other workers go on, and a resume redoes it.
    """
    failed = ErrorRecord(record.id, record.line, "worker_error", message[:2000], 1)
    return Outcome(record.id, record.line, error=failed)


Runner = Callable[[InputLine], Awaitable[Outcome]]
"""Runs :func:`process_record` for one record somewhere (this process, a Ray actor)."""


def local_runner(extractor: SupportsExtract, options: BatchOptions) -> Runner:
    """A runner calling :func:`process_record` in this event loop."""
    gate = RateGate()

    def run(record: InputLine) -> Awaitable[Outcome]:
        return process_record(extractor, record, options, gate)

    return run


def _take(iterator: Iterator[InputLine | ErrorRecord], count: int) -> list[InputLine | ErrorRecord]:
    return list(itertools.islice(iterator, count))


async def _iterate(records: Records) -> AsyncGenerator[InputLine | ErrorRecord, None]:
    if isinstance(records, AsyncIterable):
        async for record in records:
            yield record
        return
    iterator = iter(records)
    while True:
        # Reading and parsing happen in a worker thread, so a slow stdin never stalls articles in flight.
        chunk = await asyncio.to_thread(_take, iterator, _READ_CHUNK)
        if not chunk:
            return
        for record in chunk:
            yield record


class _Driver:
    """State of one running batch."""

    def __init__(
        self,
        sink: AnySink,
        runner: Runner,
        options: BatchOptions,
        progress: ProgressCallback | None,
        summary: BatchSummary,
    ) -> None:
        self.sink = sink
        self.runner = runner
        self.options = options
        self.progress = progress
        self.summary = summary
        self.started = time.perf_counter()
        self.slots = asyncio.Semaphore(options.concurrency)
        self.in_flight: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        return self.summary.status == "running"

    def report(self) -> None:
        summary = self.summary
        summary.wall_s = time.perf_counter() - self.started
        summary.articles_per_s = summary.done / summary.wall_s if summary.wall_s > 0 else 0.0
        if self.progress is not None:
            self.progress(summary)

    def abort(self, error: dict[str, str]) -> None:
        if self.summary.error is None:
            self.summary.error = error
        self.summary.status = "aborted"

    async def record(self, outcome: Outcome) -> None:
        """Account for one outcome and write it to the sink."""
        summary = self.summary
        if outcome.fatal is not None:
            self.abort(outcome.fatal)
            return
        summary.prompt_tokens += outcome.usage.prompt_tokens
        summary.completion_tokens += outcome.usage.completion_tokens
        summary.requests += outcome.usage.requests
        failed = outcome.error
        try:
            if outcome.extraction is not None:
                try:
                    await settle(self.sink.write_result(outcome.id, outcome.extraction))
                except (ValueError, TypeError) as error:  # this result's content, not the storage: one line
                    message = f"the result could not be stored ({type(error).__name__})"
                    failed = ErrorRecord(outcome.id, outcome.line, "internal_error", message, 1)
                else:
                    summary.ok += 1
                    summary.cached += outcome.cached
            if failed is not None:
                await settle(self.sink.write_error(failed))
                summary.failed += 1
                summary.errors_by_type[failed.type] = summary.errors_by_type.get(failed.type, 0) + 1
        except Exception as error:  # even an error line fails: a full disk or a broken database
            self.abort({"type": "sink_error", "message": f"{type(error).__name__}: {error}"})
            return
        self.report()

    async def run_one(self, record: InputLine) -> None:
        try:
            outcome = await self.runner(record)
        except Exception as error:  # process_record never raises, so this is a runner bug: stop cleanly
            self.abort({"type": "internal_error", "message": f"{type(error).__name__}: {error}"})
            return
        finally:
            self.slots.release()
        await self.record(outcome)

    def over_budget(self) -> bool:
        budget = self.options.budget_tokens
        if budget is not None and self.summary.tokens >= budget:
            self.summary.status = "budget_exhausted"
            return True
        return False

    async def feed(self, records: Records, done: set[str]) -> None:
        async with contextlib.aclosing(_iterate(records)) as stream:
            async for item in stream:
                if not self.running:
                    return
                if item.key in done:
                    done.discard(item.key)  # the parser flags any later line with this id as a duplicate
                    self.summary.skipped += 1
                    if self.summary.skipped % 1000 == 0:
                        self.report()
                    continue
                if isinstance(item, ErrorRecord):
                    await self.record(Outcome(item.id or "", item.line, error=item))
                    continue
                if self.over_budget():
                    return
                await self.slots.acquire()
                if not self.running or self.over_budget():  # things changed while waiting for a slot
                    self.slots.release()
                    return
                task = asyncio.create_task(self.run_one(item))
                self.in_flight.add(task)
                task.add_done_callback(self.in_flight.discard)

    async def cancel_in_flight(self) -> None:
        for task in self.in_flight:
            task.cancel()
        await asyncio.gather(*self.in_flight, return_exceptions=True)

    async def wait_in_flight(self) -> None:
        while self.in_flight and self.running:
            await asyncio.wait(set(self.in_flight), return_when=asyncio.FIRST_COMPLETED)
        if self.summary.status == "budget_exhausted":
            await asyncio.gather(*self.in_flight)


async def drive(
    records: Records,
    sink: AnySink,
    runner: Runner,
    options: BatchOptions,
    progress: ProgressCallback | None,
    *,
    model: str,
    engine: str,
) -> BatchSummary:
    """Run ``records`` through ``runner`` with bounded concurrency; see :func:`~extractor.batch.run_batch`."""
    summary = BatchSummary(model=model, engine=engine, budget_tokens=options.budget_tokens)
    driver = _Driver(sink, runner, options, progress, summary)
    done: set[str] = (
        await settle(sink.done_ids(retry_failed=options.retry_failed)) if options.resume else set()
    )
    try:
        await driver.feed(records, done)
        await driver.wait_in_flight()
    except asyncio.CancelledError:
        summary.status = "cancelled"
        await driver.cancel_in_flight()
        raise
    except Exception as error:  # reading the input failed: stop, and say why in the summary
        code = error.code if isinstance(error, ClaimscopeError) else "internal_error"
        driver.abort({"type": code, "message": f"{type(error).__name__}: {error}"})
    finally:
        # Aborted (or cancelled): what is still in flight is not written, so a resume redoes it.
        await driver.cancel_in_flight()
        if summary.status == "running":
            summary.status = "completed"
        driver.report()
    if summary.tokens:
        summary.cost_usd = await asyncio.to_thread(
            estimate_cost, model, summary.prompt_tokens, summary.completion_tokens
        )
    return summary
