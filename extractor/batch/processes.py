"""The processes engine: :func:`~extractor.batch.engine.process_record` in worker processes on this machine.

The local engine does everything in one process: the code analysis, prompts, the HTTP client and the
validation of every answer share one core, a few milliseconds of CPU an article. Against a fast hosted
model that core, not the model, sets the pace. This engine starts ``workers`` Python processes (one per
core by default), each with its own extractor, HTTP client and event loop running several articles at
once, and keeps reading, resume, the sinks and the summary in the driver, as the Ray engine does: only
the articles and their outcomes travel, so the formats and guarantees are the local engine's.

The driver talks to a worker over its stdin and stdout. Every message is a frame: 4 bytes of length
(big-endian), then a pickle. The first frame carries the extractor factory and the options; then each
``(ticket, record)`` frame is answered, in completion order, by a ``(ticket, outcome)`` frame. The worker
keeps its own stdout for the frames (anything the process prints goes to stderr) and ends when its
stdin closes, after the articles it holds.

A worker that dies (killed, out of memory) fails only the articles it held: each becomes a
``worker_error`` record, which ``--resume --retry-failed`` redoes; the other workers go on. When no
worker is left, the job stops as it does for a model that cannot be reached.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import pickle
import struct
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

from extractor.batch.engine import Outcome, RateGate, drive, process_record, worker_failure
from extractor.batch.records import (
    AnySink,
    BatchOptions,
    BatchSummary,
    InputLine,
    ProgressCallback,
    Records,
    SupportsExtract,
)
from extractor.errors import ClaimscopeError, ConfigError
from extractor.settings import EMBEDDED_MODEL

__all__ = ["run_batch_processes"]

_HEADER = struct.Struct(">I")
# A worker holding nothing exits at once when its stdin closes; one finishing articles gets this long.
_EXIT_GRACE_S = 30.0


class _WorkerGone(Exception):
    """The worker process ended (or broke its pipe) before answering."""


def _frame(payload: object) -> bytes:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


async def _read_frame(reader: asyncio.StreamReader) -> Any | None:
    """The next message, or None at the end of the stream."""
    try:
        header = await reader.readexactly(_HEADER.size)
        data = await reader.readexactly(_HEADER.unpack(header)[0])
    except asyncio.IncompleteReadError:
        return None
    return pickle.loads(data)  # noqa: S301 - frames come from our own driver or worker, over a pipe


class _Worker:
    """The driver's side of one worker process."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pending: dict[int, asyncio.Future[Outcome]] = {}
        self.alive = True
        assert process.stdout is not None
        self._listener = asyncio.create_task(self._listen(process.stdout))

    async def _listen(self, stdout: asyncio.StreamReader) -> None:
        while (message := await _read_frame(stdout)) is not None:
            ticket, outcome = message
            future = self.pending.pop(ticket, None)
            if future is not None and not future.done():  # a cancelled article's answer is dropped
                future.set_result(outcome)
        self.alive = False
        code = await self.process.wait()
        for future in self.pending.values():
            if not future.done():
                future.set_exception(_WorkerGone(f"worker process {self.process.pid} exited with {code}"))
        self.pending.clear()

    async def run(self, ticket: int, record: InputLine) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self.pending[ticket] = future
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(_frame((ticket, record)))
            await self.process.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as error:
            self.pending.pop(ticket, None)
            raise _WorkerGone(f"worker process {self.process.pid} is gone: {error}") from error
        try:
            return await future
        finally:
            self.pending.pop(ticket, None)

    async def close(self, *, hurry: bool) -> None:
        """End the worker: let it finish what it holds, or (``hurry``) stop it now."""
        stdin = self.process.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()
        if hurry and self.process.returncode is None:
            self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), _EXIT_GRACE_S)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        await self._listener


async def _start_worker(factory: Callable[[], SupportsExtract], options: BatchOptions) -> _Worker:
    # The worker imports what this process imports (the factory's module included) from the same paths.
    paths = [path for path in sys.path if path and os.path.isdir(path)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "extractor.batch.processes",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env=env,
        # Ctrl-C reaches the driver only, which then stops the workers (see close).
        start_new_session=True,
    )
    assert process.stdin is not None
    process.stdin.write(_frame((factory, options)))
    await process.stdin.drain()
    return _Worker(process)


async def run_batch_processes(
    records: Records,
    sink: AnySink,
    factory: Callable[[], SupportsExtract],
    options: BatchOptions | None = None,
    progress: ProgressCallback | None = None,
    *,
    workers: int | None = None,
    model: str | None = None,
) -> BatchSummary:
    """Like :func:`extractor.batch.records.run_batch`, with the articles extracted in worker processes.

    Args:
        records: Input records (read in the driver).
        sink: Where outcomes go (written by the driver).
        factory: Builds the extractor inside each worker; must pickle (a module-level function or a
            ``functools.partial`` of one).
        options: Concurrency (over all workers), resume, budget and retries.
        progress: Called with the live summary after every outcome.
        workers: Worker processes; default one per core, at most ``options.concurrency``.
        model: Model string for the summary; default: ask an extractor built here.

    Raises:
        ConfigError: For the embedded model, which answers one request at a time: more processes would
            only queue at its door.
    """
    options = options or BatchOptions()
    model = model or factory().model
    if model == EMBEDDED_MODEL:
        raise ConfigError(
            "the embedded model answers one request at a time, so worker processes cannot speed it up; "
            "use the local engine"
        )
    count = max(1, min(workers or os.cpu_count() or 1, options.concurrency))
    pool = [await _start_worker(factory, options) for _ in range(count)]
    tickets = itertools.count()

    async def runner(record: InputLine) -> Outcome:
        live = [worker for worker in pool if worker.alive]
        if not live:
            return Outcome(
                record.id,
                record.line,
                fatal={"type": "worker_error", "message": "every worker process has exited"},
            )
        worker = min(live, key=lambda candidate: len(candidate.pending))
        try:
            return await worker.run(next(tickets), record)
        except _WorkerGone as error:
            return worker_failure(record, str(error))

    summary: BatchSummary | None = None
    try:
        summary = await drive(records, sink, runner, options, progress, model=model, engine="processes")
        return summary
    finally:
        # A completed job left nothing in the workers. After an abort or a cancellation what they still
        # hold is not wanted (it was not written, so a resume redoes it): stop them at once.
        hurry = summary is None or summary.status != "completed"
        await asyncio.gather(*(worker.close(hurry=hurry) for worker in pool))


async def _serve(protocol_out: BinaryIO) -> None:
    """A worker's life: read the factory, then records until stdin closes; answer each as it finishes."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin.buffer)
    setup = await _read_frame(reader)
    if setup is None:
        return
    factory, options = setup
    failure: dict[str, str] | None = None
    try:
        extractor = factory()
    except Exception as error:  # every article would fail alike: answer each with a fatal outcome
        code = error.code if isinstance(error, ClaimscopeError) else "worker_error"
        failure = {"type": code, "message": f"building the extractor failed: {type(error).__name__}: {error}"}
    gate = RateGate()
    running: set[asyncio.Task[None]] = set()

    async def one(ticket: int, record: InputLine) -> None:
        if failure is not None:
            outcome = Outcome(record.id, record.line, fatal=failure)
        else:
            outcome = await process_record(extractor, record, options, gate)
        # One write of a whole frame: frames from several articles never interleave.
        protocol_out.write(_frame((ticket, outcome)))
        protocol_out.flush()

    while (message := await _read_frame(reader)) is not None:
        task = asyncio.create_task(one(*message))
        running.add(task)
        task.add_done_callback(running.discard)
    await asyncio.gather(*running)


def main() -> None:
    """Entry point of a worker process (``python -m extractor.batch.processes``), started by the driver."""
    # The frames own the real stdout; whatever else prints (warnings, a stray print) goes to stderr.
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with protocol_out:
        asyncio.run(_serve(protocol_out))


if __name__ == "__main__":
    main()
