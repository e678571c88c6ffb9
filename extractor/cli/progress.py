"""Install and start-up progress of the embedded model on the terminal.

A rich progress bar on stderr when it is a terminal, else one plain line per step (at most one per tenth
of a counted step), so that logs of scripted runs stay short.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from extractor.llm.embedded import EmbeddedProgress, ProgressListener
from extractor.settings import EMBEDDED_MODEL, Settings

__all__ = ["embedded_progress", "start_embedded_if_used"]


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


class _Bar:
    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._tasks: dict[str, Any] = {}

    def __call__(self, event: EmbeddedProgress) -> None:
        if event.done is None or not event.total:
            self._bar.console.print(f"[bold]{event.stage}[/]: {event.message}", markup=True, highlight=False)
            return
        task = self._tasks.get(event.stage)
        if task is None:
            task = self._tasks[event.stage] = self._bar.add_task(event.stage, total=event.total)
        self._bar.update(task, completed=event.done, total=event.total, description=event.stage)


@contextmanager
def embedded_progress() -> Iterator[ProgressListener]:
    """A listener that shows install and start-up steps on stderr, for the length of the block."""
    if not sys.stderr.isatty():
        yield _PlainLines()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=False,
    )  # fmt: skip
    with bar:
        yield _Bar(bar)


def start_embedded_if_used(settings: Settings, model: str | None, api_base: str | None) -> None:
    """Start (and if needed install) the embedded model with progress shown, when this run uses it.

    The extraction would start it anyway; starting it here first puts the minutes a first install takes
    on the terminal instead of in silence.
    """
    if (model or settings.model) != EMBEDDED_MODEL or (api_base or settings.api_base):
        return
    from extractor.llm.embedded import ensure_server

    with embedded_progress() as progress:
        ensure_server(settings, progress)
