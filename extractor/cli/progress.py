"""Install and start-up progress of the embedded model on the terminal.

Inside :func:`embedded_progress` the command line shows every step of installing and starting the
embedded model, whether it comes to the listener the block is given or from the SDK's log records on
``claimscope.embedded`` (an extraction starts the model on first use). On a terminal a rich progress bar
appears on stderr for as long as the steps last; elsewhere each step is one plain line (at most one per
tenth of a counted step), so logs of scripted runs stay short.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from extractor.llm.embedded import EmbeddedProgress, ProgressListener

__all__ = ["embedded_progress"]

_LOGGER = "claimscope.embedded"


class _PlainLines:
    def __init__(self) -> None:
        self._tenths: dict[str, int] = {}

    def __call__(self, event: EmbeddedProgress) -> None:
        if event.done is not None and event.total:
            tenth = event.done * 10 // event.total
            if self._tenths.get(event.stage) == tenth:
                return
            self._tenths[event.stage] = tenth
            typer.echo(f"{event.stage}: {event.message} ({event.done}/{event.total})", err=True)
            return
        typer.echo(f"{event.stage}: {event.message}", err=True)

    def close(self) -> None:
        return None


class _Bar:
    """A rich bar per counted stage, started at the first step and gone once the server is ready."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, event: EmbeddedProgress) -> None:
        with self._lock:
            bar = self._started()
            if event.done is None or not event.total:
                bar.console.print(f"{event.stage}: {event.message}", markup=False, highlight=False)
            else:
                task = self._tasks.get(event.stage)
                if task is None:
                    task = self._tasks[event.stage] = bar.add_task(event.stage, total=event.total)
                bar.update(task, completed=event.done, total=event.total)
            if event.stage == "ready":
                self._stop()

    def _started(self) -> Any:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True),
            )  # fmt: skip
            self._bar.start()
        return self._bar

    def _stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
            self._tasks.clear()

    def close(self) -> None:
        with self._lock:
            self._stop()


class _Forward(logging.Handler):
    """Hands the SDK's progress records to the terminal view."""

    def __init__(self, view: _PlainLines | _Bar) -> None:
        super().__init__(logging.DEBUG)
        self._view = view

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "progress", None)
        if not isinstance(event, EmbeddedProgress):
            event = EmbeddedProgress("model", record.getMessage())
        self._view(event)


@contextmanager
def embedded_progress(*, bar: bool | None = None) -> Iterator[ProgressListener]:
    """Show the embedded model's install and start-up steps on stderr for the length of the block.

    Args:
        bar: Draw a rich bar (default: when stderr is a terminal). Commands with a live display of their
            own (``batch``) ask for plain lines, which rich prints above that display.
    """
    view: _PlainLines | _Bar = _Bar() if (sys.stderr.isatty() if bar is None else bar) else _PlainLines()
    logger = logging.getLogger(_LOGGER)
    handler = _Forward(view)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # shown here; not again by the root logger or Python's last-resort handler
    try:
        yield view
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        view.close()
