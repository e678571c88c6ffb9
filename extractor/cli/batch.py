"""What ``claimscope batch`` does beyond parsing arguments: build the job, show progress, report, exit code.

Exit codes: 0 every line extracted; 1 the job finished with error records, or stopped at the token
budget; 2 bad arguments or input file; 3 the model is unusable (the job aborted; resume later); 130
interrupted. Resuming (``--resume``) is always safe after any of them.

Testing aid: a model string ``fake/<options>`` runs the job on :class:`extractor.testing.FakeLLM`, in
process, without network, e.g. ``fake/latency=0.05,timeout=0.1,seed=3``. Options: ``latency`` (seconds
per request), and per-request probabilities ``fail`` (an LLMError), ``timeout``, ``ratelimit`` (a 429
with Retry-After ``retry_after``, default 0.01 s), ``garbage`` (invalid JSON, re-asked), ``unreachable``
(server down); ``seed`` makes the draws repeatable.
"""

from __future__ import annotations

import asyncio
import functools
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from extractor.batch.jsonl import JsonlSink, count_lines, read_lines
from extractor.batch.lines import parse_lines
from extractor.batch.records import (
    BatchOptions,
    BatchSummary,
    ErrorRecord,
    InputLine,
    OversizedLine,
    ProgressCallback,
    run_batch,
)
from extractor.batch.sources import TableSource, TextFolder, source_kind
from extractor.cli.progress import embedded_progress
from extractor.errors import (
    ConfigError,
    InputError,
)
from extractor.sdk import Extractor
from extractor.settings import get_settings
from extractor.testing import FakeLLM, fake_llm_from_model

__all__ = ["BatchJob", "build_extractor", "exit_code", "fake_llm", "run_job"]

Engine = Literal["local", "processes", "ray"]


def fake_llm(model: str) -> FakeLLM:
    """A :class:`FakeLLM` for a ``fake/...`` model string (see ``extractor.testing``)."""
    return fake_llm_from_model(model)


def build_extractor(
    model: str | None, api_base: str | None, strategy: str | None, use_cache: bool | None
) -> Extractor:
    """The job's extractor; module-level so Ray workers can rebuild it from a pickled partial."""
    llm = fake_llm(model) if model and model.startswith("fake/") else None
    return Extractor(model, api_base=api_base, strategy=strategy, llm=llm, use_cache=use_cache)  # type: ignore[arg-type]


@dataclass(frozen=True)
class BatchJob:
    """Everything ``claimscope batch`` was asked to do."""

    source: str
    out: str
    errors: str | None
    options: BatchOptions
    model: str | None = None
    api_base: str | None = None
    strategy: str | None = None
    use_cache: bool | None = None
    engine: Engine = "local"
    ray_address: str | None = None
    workers: int | None = None
    id_field: str = "id"
    text_field: str = "text"
    overwrite: bool = False
    summary_path: str | None = None
    fsync_interval_s: float = 1.0
    encoding: str = "utf-8"

    def check(self) -> None:
        """Refuse argument combinations that would lose or mix up output."""
        if self.source != "-" and not Path(self.source).exists():
            raise InputError(f"no such input file or folder: {self.source}")
        if self.options.resume and self.overwrite:
            raise ConfigError("--resume continues OUT and --overwrite empties it; pick one")
        if self.workers is not None and self.engine == "local":
            raise ConfigError("--workers needs --engine processes or --engine ray")
        if self.out == "-" and (self.options.resume or self.errors == "-"):
            raise ConfigError("--resume needs OUT (and --errors) to be files, not stdout")
        for target in filter(None, (self.out, self.errors)):
            if target != "-" and self.source != "-" and Path(target).resolve() == Path(self.source).resolve():
                raise ConfigError(f"{target} is also the input; write the output elsewhere")
            if target != "-" and not self.options.resume and not self.overwrite:
                path = Path(target)
                if path.exists() and path.stat().st_size > 0:
                    raise ConfigError(f"{target} exists; use --resume to continue it, --overwrite to redo it")


def _source(job: BatchJob, max_chars: int) -> TextFolder | TableSource | None:
    """The folder or table ``job.source`` names (None for JSONL), checked before anything is written."""
    kind = source_kind(job.source)
    source: TextFolder | TableSource | None = None
    if kind == "folder":
        source = TextFolder(Path(job.source), max_chars, job.encoding)
    elif kind in ("csv", "parquet"):
        source = TableSource(Path(job.source), kind, job.text_field, job.id_field, max_chars, job.encoding)
    if source is not None:
        source.check()
    return source


def _total(job: BatchJob, source: TextFolder | TableSource | None) -> int | None:
    if source is not None:
        return source.total()
    return count_lines(Path(job.source)) if job.source != "-" else None


def _records(job: BatchJob, max_chars: int) -> Iterator[InputLine | ErrorRecord]:
    source = _source(job, max_chars)
    if source is not None:
        yield from source.records()
        return
    # Room for JSON escapes (up to 6 bytes a character) and the other fields.
    limit = max_chars * 6 + 65_536
    with nullcontext(sys.stdin.buffer) if job.source == "-" else Path(job.source).open("rb") as stream:
        lines = read_lines(stream, limit)
        if job.encoding != "utf-8":
            lines = (_to_utf8(line, job.encoding) for line in lines)
        yield from parse_lines(lines, id_field=job.id_field, text_field=job.text_field, max_chars=max_chars)


def _to_utf8(line: bytes | OversizedLine, encoding: str) -> bytes | OversizedLine:
    """A line of a ``--encoding`` file as UTF-8; one that does not decode is left for the parser to report."""
    if isinstance(line, OversizedLine):
        return line
    try:
        return line.decode(encoding).encode("utf-8")
    except UnicodeDecodeError:
        return line


class _Progress(AbstractContextManager["_Progress"]):
    """A rich progress bar on a terminal, else a plain log line on stderr every ``interval_s``."""

    def __init__(self, total: int | None, *, rich: bool, interval_s: float = 10.0) -> None:
        self.total = total
        self.interval_s = interval_s
        self.latest: BatchSummary | None = None
        self._last_log = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        if rich:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("batch"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[stats]}"), TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
            )  # fmt: skip
            self._task = self._bar.add_task("batch", total=total, stats="", rate="")

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, summary: BatchSummary) -> None:
        self.latest = summary
        position = summary.done + summary.skipped
        if self._bar is not None:
            stats = f"ok {summary.ok} failed {summary.failed} cached {summary.cached}"
            rate = f"{summary.articles_per_s:.1f}/s"
            self._bar.update(self._task, completed=position, stats=stats, rate=rate)
            return
        now = time.monotonic()
        if now - self._last_log >= self.interval_s:
            self._last_log = now
            print(_progress_line(summary, position, self.total), file=sys.stderr, flush=True)


def _progress_line(summary: BatchSummary, position: int, total: int | None) -> str:
    of = f"/{total}" if total else ""
    eta = ""
    if total and summary.articles_per_s > 0:
        eta = f", ETA {max(total - position, 0) / summary.articles_per_s:.0f}s"
    return (
        f"batch: {position}{of} lines (ok {summary.ok}, failed {summary.failed}, cached {summary.cached}, "
        f"skipped {summary.skipped}), {summary.tokens} tokens, {summary.articles_per_s:.1f} articles/s{eta}"
    )


def report(summary: BatchSummary, job: BatchJob, sink: JsonlSink | None) -> None:
    """Print the summary on stderr and write it as JSON to ``--summary``."""
    cost = "unknown" if summary.cost_usd is None else f"${summary.cost_usd:.4f}"
    lines = [
        f"batch {summary.status}: ok {summary.ok} (cached {summary.cached}), failed {summary.failed}, "
        f"skipped {summary.skipped}",
        f"tokens in {summary.prompt_tokens}, out {summary.completion_tokens}, requests {summary.requests}, "
        f"cost {cost}; {summary.wall_s:.1f}s, {summary.articles_per_s:.2f} articles/s",
    ]
    if summary.errors_by_type:
        lines.append("errors: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.errors_by_type.items())))
    if sink is not None and sink.repaired_bytes:
        lines.append(f"repaired: cut a truncated last line ({sink.repaired_bytes} bytes) before appending")
    if summary.status == "budget_exhausted":
        lines.append(
            f"stopped: the token budget of {summary.budget_tokens} is spent ({summary.tokens} used); lines "
            "not started were not written: run again with --resume and a larger --budget-tokens"
        )
    if summary.error is not None:
        lines.append(f"aborted: {summary.error['type']}: {summary.error['message']}; fix it, then --resume")
    if summary.status == "cancelled":
        lines.append("interrupted: every line written is complete; continue with --resume")
    print("\n".join(lines), file=sys.stderr, flush=True)
    if job.summary_path:
        data = summary.to_dict()
        data["input"], data["output"] = job.source, job.out
        Path(job.summary_path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def exit_code(summary: BatchSummary) -> int:
    """The process exit code for a finished job (see the module docstring)."""
    if summary.status == "cancelled":
        return 130
    if summary.status == "aborted" and summary.error is not None:
        kind = summary.error["type"]
        if kind.startswith("llm_") or kind == "embedded_model_error":
            return 3
        return 2 if kind in ("config_error", "input_error") else 1
    return 0 if summary.status == "completed" and summary.failed == 0 else 1


async def _run(job: BatchJob, sink: JsonlSink, progress: ProgressCallback) -> BatchSummary:
    factory: Callable[[], Extractor] = functools.partial(
        build_extractor, job.model, job.api_base, job.strategy, job.use_cache
    )
    extractor = factory()
    records = _records(job, extractor.settings.max_article_chars)
    if job.engine == "ray":
        from extractor.batch.ray_engine import run_batch_ray

        return await run_batch_ray(
            records,
            sink,
            factory,
            job.options,
            progress,
            address=job.ray_address,
            workers=job.workers,
            model=extractor.model,
        )
    if job.engine == "processes":
        from extractor.batch.processes import run_batch_processes

        return await run_batch_processes(
            records, sink, factory, job.options, progress, workers=job.workers, model=extractor.model
        )
    return await run_batch(records, sink, extractor, job.options, progress)


def run_job(job: BatchJob) -> int:
    """Run a batch job to the end (or interruption); returns the exit code. Raises ClaimscopeError early."""
    job.check()
    total = _total(job, _source(job, get_settings().max_article_chars))
    sink = JsonlSink(job.out, job.errors, overwrite=job.overwrite, fsync_interval_s=job.fsync_interval_s)
    # No bar when results stream to the same terminal: the two would garble each other.
    progress = _Progress(total, rich=sys.stderr.isatty() and not (job.out == "-" and sys.stdout.isatty()))
    # Plain lines for the embedded model's first start: rich prints them above the batch's own bar.
    with sink, progress, embedded_progress(bar=False):
        try:
            summary = asyncio.run(_run(job, sink, progress))
        except KeyboardInterrupt:
            summary = progress.latest or BatchSummary()
            summary.status = "cancelled"
    report(summary, job, sink)
    return exit_code(summary)
