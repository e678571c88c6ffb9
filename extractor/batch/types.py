"""The batch records and interfaces (:mod:`extractor.batch.records` is their public face, with ``run_batch``).

Kept apart from ``run_batch`` so the engine can use them without importing the module that imports it.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from extractor.errors import ClaimscopeError, ConfigError, DuplicateIdError
from schemas import ArticleExtraction

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
]


# ---------------------------------------------------------------------------------------------------------
# The interface
# ---------------------------------------------------------------------------------------------------------


def line_key(line: int) -> str:
    """The resume key of a record that has no trustworthy id (malformed line, duplicate id).

    Ids with control characters are refused as ``invalid_record``, so these keys never collide with an id.
    """
    return f"\x00line:{line}"


@dataclass(frozen=True)
class InputLine:
    """One article to extract from, as read from an input line.

    Attributes:
        id: The caller's id (``line-<n>`` when the input line had none).
        text: The article text.
        line: 1-based line number in the input (item index for non-line sources).
        title: Headline, if given.
        url: URL, if given.
        published: Publication date, if given.
    """

    id: str
    text: str
    line: int
    title: str | None = None
    url: str | None = None
    published: date | None = None

    @property
    def key(self) -> str:
        """The resume key: the id."""
        return self.id


@dataclass(frozen=True)
class ErrorRecord:
    """A record that produced no extraction.

    Attributes:
        id: The record's id, or None when the input line had no readable id.
        line: 1-based input line number.
        type: The error's stable ``code`` (see :mod:`extractor.errors`), or ``internal_error``.
        message: What went wrong and, where possible, what to do.
        attempts: How many times the article was tried (0 for input errors).
    """

    id: str | None
    line: int
    type: str
    message: str
    attempts: int = 0

    @classmethod
    def from_error(cls, error: BaseException, *, id: str | None, line: int, attempts: int = 0) -> ErrorRecord:
        """An error record from an exception, typed by its ``code``."""
        code = error.code if isinstance(error, ClaimscopeError) else "internal_error"
        message = str(error) or type(error).__name__
        return cls(id=id, line=line, type=code, message=message, attempts=attempts)

    @property
    def key(self) -> str:
        """The resume key: the id, or :func:`line_key` when the id is missing or belongs to another line."""
        if self.id is None or self.type == DuplicateIdError.code:
            return line_key(self.line)
        return self.id

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: ``{"id", "line", "error": {"type", "message", "attempts"}}``."""
        error = {"type": self.type, "message": self.message, "attempts": self.attempts}
        return {"id": self.id, "line": self.line, "error": error}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ErrorRecord:
        """Read back :meth:`to_dict` output."""
        error = data["error"]
        return cls(
            id=data.get("id"),
            line=int(data.get("line") or 0),
            type=str(error["type"]),
            message=str(error.get("message", "")),
            attempts=int(error.get("attempts", 0)),
        )


@dataclass(frozen=True)
class OversizedLine:
    """Stands in for an input line too long to read into memory (its bytes were skipped).

    Attributes:
        size: Length of the line in bytes.
        limit: The line-length limit it broke.
    """

    size: int
    limit: int


class ResultSink(Protocol):
    """Where a batch's outcomes go. Methods are called from the event loop thread and must be quick."""

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        """Keys (:attr:`InputLine.key`, :attr:`ErrorRecord.key`) already completed, to skip on resume.

        With ``retry_failed`` the keys of error records are left out, and the sink must make sure that
        the new outcome of such a key replaces its old error (the JSONL sink drops those error lines).
        """
        ...

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        """Store the extraction of one article durably before returning."""
        ...

    def write_error(self, record: ErrorRecord) -> None:
        """Store one error record durably before returning."""
        ...


class AsyncResultSink(Protocol):
    """A :class:`ResultSink` with coroutine methods (a database client, a queue); the engine awaits them.

    A sink may also mix the two kinds: whatever a method returns that is awaitable is awaited.
    """

    async def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        """See :meth:`ResultSink.done_ids`."""
        ...

    async def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        """Store the extraction of one article durably before returning."""
        ...

    async def write_error(self, record: ErrorRecord) -> None:
        """Store one error record durably before returning."""
        ...


AnySink = ResultSink | AsyncResultSink
"""What the engine writes outcomes to: plain methods, coroutine methods, or a mix."""


class SupportsExtract(Protocol):
    """What the engine needs from an extractor (:class:`extractor.Extractor` has it)."""

    @property
    def model(self) -> str:
        """The model string, for accounting."""
        ...

    async def aextract(
        self,
        text: str,
        *,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        """Extract from one article."""
        ...


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs.

    Attributes:
        concurrency: Articles in flight at once.
        resume: Skip keys the sink already holds.
        retry_failed: On resume, try again the records that ended in an error.
        budget_tokens: Stop starting new articles once this many tokens (prompt + completion, cached
            results excluded) are spent; articles in flight still finish, so the total may overshoot.
        attempts: Tries per article on rate limits, timeouts and connection errors; the LLM door retries
            each request too, so this stays small.
        backoff_base_s: First wait between article tries; doubles each try, with jitter.
        max_backoff_s: Longest wait between article tries (a larger Retry-After is capped to this).
    """

    concurrency: int = 8
    resume: bool = False
    retry_failed: bool = False
    budget_tokens: int | None = None
    attempts: int = 2
    backoff_base_s: float = 1.0
    max_backoff_s: float = 60.0

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.attempts < 1:
            raise ConfigError(f"attempts must be at least 1, not {self.attempts}")
        if self.budget_tokens is not None and self.budget_tokens < 0:
            raise ConfigError(f"budget_tokens must not be negative, not {self.budget_tokens}")


Status = Literal["running", "completed", "budget_exhausted", "aborted", "cancelled"]


@dataclass
class BatchSummary:
    """What a batch did; live while it runs (progress callbacks see it grow), final when returned.

    Attributes:
        status: ``completed`` (every record has an outcome), ``budget_exhausted`` (stopped starting work),
            ``aborted`` (a model-level error, see ``error``) or ``cancelled``.
        model: The extractor's model string.
        engine: ``local``, ``processes`` or ``ray``.
        ok: Articles extracted (cached included).
        failed: Records that ended in an error record.
        cached: Articles answered from the result cache.
        skipped: Records skipped because the sink already held them (resume).
        prompt_tokens: Prompt tokens spent (cached results cost none).
        completion_tokens: Completion tokens spent.
        requests: LLM requests made.
        cost_usd: Estimated cost from litellm's price map, None when the model's price is unknown.
        wall_s: Seconds since the batch started.
        articles_per_s: Outcomes (ok + failed) per wall second.
        budget_tokens: The token budget, if any.
        errors_by_type: Count of error records per type.
        error: Type and message of the error that aborted the job.
    """

    status: Status = "running"
    model: str = ""
    engine: str = "local"
    ok: int = 0
    failed: int = 0
    cached: int = 0
    skipped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    cost_usd: float | None = None
    wall_s: float = 0.0
    articles_per_s: float = 0.0
    budget_tokens: int | None = None
    errors_by_type: dict[str, int] = field(default_factory=dict)
    error: dict[str, str] | None = None

    @property
    def done(self) -> int:
        """Records with an outcome in this run."""
        return self.ok + self.failed

    @property
    def tokens(self) -> int:
        """Prompt plus completion tokens spent."""
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape written by ``--summary``."""
        return asdict(self)


ProgressCallback = Callable[[BatchSummary], None]
"""Called with the live summary after each record (keep it cheap; throttle rendering yourself)."""

Records = Iterable[InputLine | ErrorRecord] | AsyncIterable[InputLine | ErrorRecord]
"""A batch's input: work and already-failed records, sync (read in a worker thread) or async."""
