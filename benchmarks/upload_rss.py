"""Peak memory of a live ``claimscope serve`` under concurrent JSONL uploads of one huge line each.

Starts the real server (uvicorn, fake model, its own data directory) on a free loopback port, samples
its RSS while idle, then sends ``--uploads`` concurrent ``POST /v1/jobs`` bodies, each a single line of
``--mb`` MB streamed in 1 MB chunks (the client never holds a body), and samples the server's RSS every
20 ms until every upload is answered. Prints JSON on stdout. The bar: four 60 MB uploads within 100 MB
of idle::

    python benchmarks/upload_rss.py                 # the full check: 4 x 60 MB
    python benchmarks/upload_rss.py --mb 2          # a quick smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

_CHUNK = 1 << 20


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    data_dir: Path, port: int, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``claimscope serve`` on the fake model; returns once ``/healthz`` answers."""
    environment = {
        **os.environ,
        "CLAIMSCOPE_DATA_DIR": str(data_dir),
        "CLAIMSCOPE_CACHE_ENABLED": "false",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-c",
        "from extractor.cli.app import app; app(prog_name='claimscope')",
        "serve",
        "--port",
        str(port),
        "--model",
        "fake/seed=1",
        "--no-start-model",
        *extra,
    ]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stderr.read().decode()[-2000:] if process.stderr else ""
            raise RuntimeError(f"server exited: {output}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not answer /healthz within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server started by :func:`start_server` (SIGTERM, then kill)."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr is not None:
        process.stderr.close()


def _body(megabytes: int) -> Iterator[bytes]:
    yield b'{"id": "big", "text": "'
    for _ in range(megabytes):
        yield b"x" * _CHUNK
    yield b'"}\n{"id": "small", "text": "Mayor Jane Doe said the bridge is safe."}\n'


def measure(megabytes: int, uploads: int) -> dict[str, object]:
    """Run the measurement; the figures as a JSON-able dict."""
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        server = start_server(Path(directory) / "data", port)
        try:
            process = psutil.Process(server.pid)
            time.sleep(1.0)
            idle_samples = []
            for _ in range(10):
                idle_samples.append(process.memory_info().rss / 2**20)
                time.sleep(0.05)
            idle = max(idle_samples)
            peak = idle
            done = threading.Event()

            def sample() -> None:
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, process.memory_info().rss / 2**20)
                    time.sleep(0.02)

            def upload(_: int) -> int:
                headers = {"Content-Type": "application/x-ndjson"}
                url = f"http://127.0.0.1:{port}/v1/jobs"
                return httpx.post(url, content=_body(megabytes), headers=headers, timeout=600).status_code

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            started = time.perf_counter()
            with ThreadPoolExecutor(uploads) as pool:
                statuses = list(pool.map(upload, range(uploads)))
            wall = time.perf_counter() - started
            time.sleep(0.2)
            done.set()
            sampler.join()
        finally:
            stop_server(server)
    return {
        "benchmark": "upload_rss",
        "uploads": uploads,
        "line_mb": megabytes,
        "statuses": statuses,
        "idle_rss_mb": round(idle, 1),
        "peak_rss_mb": round(peak, 1),
        "over_idle_mb": round(peak - idle, 1),
        "wall_s": round(wall, 2),
        "within_100_mb_of_idle": peak - idle <= 100,
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--mb", type=int, default=60, help="size of the one line of each upload, in MB")
    parser.add_argument("--uploads", type=int, default=4, help="concurrent uploads")
    args = parser.parse_args()
    json.dump(measure(args.mb, args.uploads), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
