"""The embedded default model: llama.cpp's llama-server with Qwen2.5-Coder-1.5B-Instruct (Q4_K_M).

Installing it (weights and a llama-server build, cached under ``<data_dir>``) is
:mod:`extractor.llm.embedded_install`; the shared state and the idle watchdog are
:mod:`extractor.llm.embedded_watch`. Here: where the pieces are, whether the server runs, starting it
(once for every process) and stopping it. Progress goes to a listener: by default log records on the
``claimscope.embedded`` logger.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from extractor.errors import EmbeddedModelError
from extractor.llm import embedded_watch as shared
from extractor.llm.embedded_install import (
    EmbeddedProgress,
    LogProgress,
    ProgressListener,
    cpu_fingerprint,
    ensure_binary,
    ensure_weights,
)
from extractor.settings import Settings

__all__ = [
    "EmbeddedPaths",
    "EmbeddedProgress",
    "EmbeddedStatus",
    "ProgressListener",
    "ensure_server",
    "install",
    "installed",
    "server_command",
    "status",
    "stop_server",
]

WEIGHTS_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
_STARTUP_TIMEOUT_S = 180.0
# The server and its watchdog outlive the call that starts them; holding their handles lets this process
# reap them when they exit, instead of leaving zombies and "still running" warnings behind.
_children: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True)
class EmbeddedPaths:
    """Where the installed pieces are."""

    binary: Path
    weights: Path


class EmbeddedStatus(BaseModel):
    """What ``claimscope model status`` reports."""

    binary: str | None
    weights: str | None
    running: bool
    url: str | None
    pid: int | None
    port: int | None = None
    idle_timeout_s: float | None = None
    """Seconds without use after which the server stops itself; 0 or None: it runs until stopped."""
    last_use: datetime | None = None
    """When the server last answered a request (or was handed to a client)."""


def _paths(settings: Settings) -> EmbeddedPaths:
    # One build per CPU: the binary is compiled for the CPU that runs it (see embedded_install).
    return EmbeddedPaths(
        settings.data_dir / "bin" / cpu_fingerprint() / "llama-server",
        settings.data_dir / "models" / WEIGHTS_FILE,
    )


def installed(settings: Settings) -> bool:
    """Whether the weights are verified and llama-server is built."""
    paths = _paths(settings)
    return paths.binary.is_file() and paths.weights.with_suffix(".verified").is_file()


def install(settings: Settings, progress: ProgressListener | None = None) -> EmbeddedPaths:
    """Fetch and verify the weights and build llama-server, unless already cached."""
    listener = progress or LogProgress()
    paths = _paths(settings)
    with shared.locked(settings.data_dir):
        ensure_weights(paths.weights, listener)
        ensure_binary(paths.binary, listener)
    return paths


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _running(state: dict[str, object]) -> bool:
    pid, url = state.get("pid"), state.get("url")
    return (
        isinstance(pid, int)
        and shared.alive(pid)
        and isinstance(url, str)
        and shared.healthy(url.removesuffix("/v1"))
    )


def status(settings: Settings) -> EmbeddedStatus:
    """Installed pieces and the running server, if any."""
    paths = _paths(settings)
    state = shared.read_state(settings.data_dir)
    running = _running(state)
    last_use = state.get("last_use")
    return EmbeddedStatus(
        binary=str(paths.binary) if paths.binary.is_file() else None,
        weights=str(paths.weights) if paths.weights.is_file() else None,
        running=running,
        url=state["url"] if running else None,
        pid=state["pid"] if running else None,
        port=_port(state) if running else None,
        idle_timeout_s=state.get("idle_timeout_s") if running else settings.embedded_idle_s,
        last_use=datetime.fromtimestamp(last_use, UTC) if running and last_use else None,
    )


def _port(state: dict[str, object]) -> int | None:
    port = state.get("port")
    if isinstance(port, int):
        return port
    # A state file without the port still names it in the url.
    url = state.get("url")
    tail = url.rsplit(":", 1)[-1].removesuffix("/v1") if isinstance(url, str) else ""
    return int(tail) if tail.isdigit() else None


def _reuse(settings: Settings) -> str | None:
    """The running server's url, marked as used so the watchdog does not stop it under a new client."""
    state = shared.read_state(settings.data_dir)
    if not _running(state):
        return None
    shared.record_use(settings.data_dir, int(state["pid"]), time.time())
    return str(state["url"])


def ensure_server(
    settings: Settings, progress: ProgressListener | None = None, *, auto_install: bool | None = None
) -> str:
    """The OpenAI-compatible base URL of a healthy embedded server, starting one if none runs.

    Args:
        settings: Data directory, port, threads, context size and idle timeout.
        progress: Receives each install and start-up step; default: log records on ``claimscope.embedded``.
        auto_install: Install the model when it is missing (default: ``settings.embedded_auto_install``);
            when False a missing model is an :class:`EmbeddedModelError`.
    """
    with shared.locked(settings.data_dir):
        if url := _reuse(settings):
            return url
    listener = progress or LogProgress()
    allowed = settings.embedded_auto_install if auto_install is None else auto_install
    if not allowed and not installed(settings):
        raise EmbeddedModelError(
            "the embedded model is not installed and auto-install is off; run `claimscope model install` "
            f"(about 9 minutes, cached in {settings.data_dir}) or choose another model with --model"
        )
    paths = install(settings, listener)
    with shared.locked(settings.data_dir):
        if url := _reuse(settings):
            return url
        return _start(settings, paths, listener)


_LOG_TAIL_BYTES = 4096


def _died_at_start(code: int, paths: EmbeddedPaths, log: Path) -> str:
    """What to tell when llama-server ends before it answers: how it ended, its last words, what to do."""
    try:
        # The log keeps every start's output: only its end is this start's.
        with log.open("rb") as file:
            file.seek(max(0, file.seek(0, 2) - _LOG_TAIL_BYTES))
            lines = file.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    tail = " | ".join(line.strip() for line in lines[-4:] if line.strip())[-600:]
    if code < 0:
        try:
            how = f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"was killed by signal {-code}"
        # A crash at start is the binary's, not the request's: it was built for this CPU and stays cached.
        advice = (
            f"; the build may not suit this CPU: remove {paths.binary.parent} and run "
            "`claimscope model install` to rebuild it"
        )
    else:
        how, advice = f"exited with code {code}", ""
    return f"llama-server {how} at start{advice}; see {log}" + (f" (last lines: {tail})" if tail else "")


def server_command(settings: Settings, paths: EmbeddedPaths, port: int) -> list[str]:
    """The llama-server command line of the embedded model.

    The weights stay in their file layout unless ``embedded_repack`` is set: llama.cpp's repacked layout
    decodes faster but evaluates a prompt more slowly, and the pipeline's questions are mostly prompt
    (see docs/models.md for the figures).
    """
    command = [
        str(paths.binary), "-m", str(paths.weights), "--host", "127.0.0.1", "--port", str(port),
        "-t", str(settings.embedded_threads), "-c", str(settings.embedded_ctx), "-np", "1", "-fa", "off",
        "--no-webui", "--metrics",
    ]  # fmt: skip
    return command if settings.embedded_repack else [*command, "--no-repack"]


def _start(settings: Settings, paths: EmbeddedPaths, progress: ProgressListener) -> str:
    port = settings.embedded_port or _free_port()
    command = server_command(settings, paths, port)
    progress(EmbeddedProgress("start", f"starting llama-server on port {port} (loading the weights)"))
    started = time.monotonic()
    with open(settings.data_dir / "server.log", "ab") as log_file:
        process = subprocess.Popen(
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _children.append(process)
    base = f"http://127.0.0.1:{port}"
    deadline = started + _STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = settings.data_dir / "server.log"
            raise EmbeddedModelError(_died_at_start(process.returncode, paths, log))
        if shared.healthy(base, timeout=1.0):
            break
        time.sleep(0.5)
    else:
        process.terminate()
        raise EmbeddedModelError(f"llama-server did not become healthy in {_STARTUP_TIMEOUT_S:.0f} s")
    state: dict[str, object] = {
        "pid": process.pid,
        "url": f"{base}/v1",
        "port": port,
        "idle_timeout_s": settings.embedded_idle_s,
        "started": time.time(),
        "last_use": time.time(),
    }
    if settings.embedded_idle_s > 0:
        state["watchdog_pid"] = _start_watchdog(settings, process.pid, base)
    shared.write_state(settings.data_dir, state)
    progress(EmbeddedProgress("ready", f"ready at {base}/v1 in {time.monotonic() - started:.1f} s"))
    return f"{base}/v1"


def _start_watchdog(settings: Settings, pid: int, base: str) -> int:
    # By path and isolated (-I): the watchdog lives as long as the server and should not load claimscope.
    command = [
        sys.executable, "-I", shared.__file__, "--data-dir", str(settings.data_dir), "--pid", str(pid),
        "--base", base, "--idle", str(settings.embedded_idle_s),
    ]  # fmt: skip
    with open(settings.data_dir / "server.log", "ab") as log_file:
        watchdog = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _children.append(watchdog)
    return watchdog.pid


def stop_server(settings: Settings) -> bool:
    """Stop the shared server (and its watchdog); False when none was running."""
    with shared.locked(settings.data_dir):
        state = shared.read_state(settings.data_dir)
        shared.state_path(settings.data_dir).unlink(missing_ok=True)
        watchdog = state.get("watchdog_pid")
        if isinstance(watchdog, int) and shared.alive(watchdog):
            shared.terminate(watchdog, grace_s=1.0)
        pid = state.get("pid")
        if not isinstance(pid, int) or not shared.alive(pid):
            _reap()
            return False
        shared.terminate(pid)
        _reap()
        return True


def _reap() -> None:
    _children[:] = [child for child in _children if child.poll() is None]
