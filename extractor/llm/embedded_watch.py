"""The embedded server's shared state and its idle watchdog; standard library only.

One llama-server is shared by every process: its pid, url, idle timeout and last use live in
``<data_dir>/server.json``, written under the file lock ``<data_dir>/.lock``. The watchdog runs beside the
server as ``python -I embedded_watch.py`` (by path, so that it does not import claimscope and its
dependencies): it reads the server's ``/metrics`` counters, counts any change or a request in progress as
use, and stops the server once it has been idle for the timeout, the way ollama's keep-alive does.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "IdleWatch",
    "alive",
    "healthy",
    "locked",
    "main",
    "read_metrics",
    "read_state",
    "record_use",
    "terminate",
    "write_state",
]

STATE_FILE = "server.json"


def state_path(data_dir: Path) -> Path:
    """Where the shared server's state is kept."""
    return data_dir / STATE_FILE


@contextlib.contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's lock (across processes) while the block runs."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_state(data_dir: Path) -> dict[str, Any]:
    """The shared server's state; empty when there is none or it is unreadable."""
    try:
        state = json.loads(state_path(data_dir).read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(data_dir: Path, state: dict[str, Any]) -> None:
    """Replace the state file whole, so that a reader never sees half of it."""
    partial = state_path(data_dir).with_suffix(".partial")
    partial.write_text(json.dumps(state))
    partial.replace(state_path(data_dir))


def record_use(data_dir: Path, pid: int, when: float) -> None:
    """Note that the server ``pid`` was used at ``when`` (epoch seconds); call under :func:`locked`."""
    state = read_state(data_dir)
    if state.get("pid") == pid and when > float(state.get("last_use") or 0):
        state["last_use"] = when
        write_state(data_dir, state)


def alive(pid: int) -> bool:
    """Whether a process with this pid exists and has not exited (a zombie awaiting its parent has)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: the signal check is all there is
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def healthy(base: str, timeout: float = 2.0) -> bool:
    """Whether the llama-server at ``base`` (no ``/v1``) answers its health check."""
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=timeout) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except OSError:
        return False


def read_metrics(base: str, timeout: float = 2.0) -> tuple[bool, float] | None:
    """(a request in progress, the sum of the work counters) from ``/metrics``; None if unreadable."""
    try:
        with urllib.request.urlopen(f"{base}/metrics", timeout=timeout) as response:  # noqa: S310 - loopback
            text = response.read().decode("utf-8", "replace")
    except OSError:
        return None
    busy, work = False, 0.0
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if line.startswith("#") or not value:
            continue
        with contextlib.suppress(ValueError):
            number = float(value.split()[0])
            if name.endswith("_total"):
                work += number
            elif name.endswith(("requests_processing", "requests_deferred")) and number > 0:
                busy = True
    return busy, work


def terminate(pid: int, grace_s: float = 5.0) -> None:
    """SIGTERM, then SIGKILL if the process is still there after ``grace_s``."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


class IdleWatch:
    """Decides when the server has been idle for ``idle_s``, from successive metric readings.

    Args:
        idle_s: Seconds without use after which the server should stop.
        now: The time the server became ready (epoch seconds), its first use.
    """

    def __init__(self, idle_s: float, now: float) -> None:
        self.idle_s = idle_s
        self.last_use = now
        self._work: float | None = None

    def observe(self, metrics: tuple[bool, float] | None, now: float, recorded_use: float = 0.0) -> bool:
        """Take one reading (and the last use clients recorded); True when the server should stop."""
        if metrics is not None:
            busy, work = metrics
            if busy or (self._work is not None and work != self._work):
                self.last_use = now
            self._work = work
        self.last_use = max(self.last_use, recorded_use)
        return now - self.last_use >= self.idle_s


def watch(
    data_dir: Path,
    pid: int,
    base: str,
    idle_s: float,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll the server until it exits or has been idle for ``idle_s``, then stop it and clear the state."""
    poll_s = min(max(idle_s / 4, 0.2), 5.0)
    idle = IdleWatch(idle_s, clock())
    while alive(pid):
        sleep(poll_s)
        metrics = read_metrics(base)
        now = clock()
        with locked(data_dir):
            state = read_state(data_dir)
            if state.get("pid") != pid:
                return  # stopped or replaced by someone else
            if idle.observe(metrics, now, float(state.get("last_use") or 0)):
                terminate(pid)
                state_path(data_dir).unlink(missing_ok=True)
                return
            if idle.last_use > float(state.get("last_use") or 0):
                record_use(data_dir, pid, idle.last_use)


def main(argv: list[str] | None = None) -> None:
    """``python -I embedded_watch.py --data-dir D --pid P --base URL --idle S``."""
    parser = argparse.ArgumentParser(description="Stop the embedded llama-server after an idle time.")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--idle", type=float, required=True)
    args = parser.parse_args(argv)
    watch(args.data_dir, args.pid, args.base, args.idle)


if __name__ == "__main__":
    main()
