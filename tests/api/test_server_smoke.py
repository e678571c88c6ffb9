"""The real server: ``claimscope serve`` on a loopback port, called over HTTP, killed and restarted."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

KEY = "smoke-key-42"
AUTH = {"Authorization": f"Bearer {KEY}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, data_dir: Path, model: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "CLAIMSCOPE_DATA_DIR": str(data_dir),
            "CLAIMSCOPE_MODEL": model,
            "CLAIMSCOPE_API_KEYS": KEY,
            "CLAIMSCOPE_CACHE_ENABLED": "false",
            "CLAIMSCOPE_API_LLM_CONCURRENCY": "1",
        }
        command = [
            sys.executable,
            "-m",
            "extractor",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode() if self.process.stdout else ""
                raise AssertionError(f"server exited early:\n{output}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("server did not answer /healthz in 30 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server(data_dir: Path) -> Iterator[Server]:
    running = Server(data_dir, "fake/latency=0.005")
    yield running
    running.stop()


def test_real_server_answers_over_http(server: Server, seed_text: str) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        ready = client.get("/readyz")
        docs = client.get("/docs")
        schema = client.get("/openapi.json")
        refused = client.post("/v1/extract", json={"text": seed_text})
        extracted = client.post("/v1/extract", json={"text": seed_text, "id": "seed"}, headers=AUTH)
        metrics = client.get("/metrics")

    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert "/v1/extract" in schema.json()["paths"]
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    assert extracted.status_code == 200
    assert extracted.json()["article_id"] == "seed"
    assert extracted.json()["actors"], "the fake model still lets code find the actors"
    assert (
        'claimscope_http_requests_total{method="POST",route="/v1/extract",status="200"} 1.0' in metrics.text
    )
    assert "server" not in {name.lower() for name in extracted.headers}


@pytest.mark.slow
def test_a_killed_server_loses_no_job(data_dir: Path, seed_text: str) -> None:
    upload = b"".join(json.dumps({"id": f"a{n}", "text": seed_text}).encode() + b"\n" for n in range(16))
    first = Server(data_dir, "fake/latency=0.02")
    try:
        created = httpx.post(
            f"{first.url}/v1/jobs",
            content=upload,
            headers={**AUTH, "Content-Type": "application/x-ndjson"},
            timeout=30,
        )
        assert created.status_code == 202
        job_url = f"{first.url}/v1/jobs/{created.json()['id']}"
        deadline = time.monotonic() + 20
        while httpx.get(job_url, headers=AUTH).json()["done"] < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        first.stop(signal.SIGKILL)  # no clean shutdown: the lease is left behind

    second = Server(data_dir, "fake/seed=1")
    try:
        job_url = f"{second.url}/v1/jobs/{created.json()['id']}"
        deadline = time.monotonic() + 30
        while (status := httpx.get(job_url, headers=AUTH).json())["status"] != "succeeded":
            assert time.monotonic() < deadline, status
            time.sleep(0.1)
        results = httpx.get(f"{job_url}/results", headers=AUTH, timeout=30)
    finally:
        second.stop()

    ids = [json.loads(line)["id"] for line in results.text.splitlines()]
    assert sorted(ids) == sorted(f"a{n}" for n in range(16))
    assert status["succeeded"] == 16
