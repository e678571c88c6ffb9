"""A fake OpenAI-compatible chat-completions server: a load tool, not a test double for correctness.

It answers ``POST /v1/chat/completions`` with a schema-valid structured answer after a configurable
latency (plus uniform jitter), and fails a configurable share of requests with 429 (``Retry-After``) or
500. The schema comes from ``response_format.json_schema.schema`` (JSON-schema mode: instructor's
``Mode.JSON_SCHEMA``, langextract) or from the first tool's ``parameters`` (tool calling: instructor's
default ``Mode.TOOLS``); the answer is :func:`benchmarks.instances.rich_json` (or the minimal instance).
``usage`` counts roughly four characters per token.

It is a raw ``asyncio.Protocol`` HTTP/1.1 server (keep-alive, Content-Length bodies) because a full ASGI
stack costs about a millisecond of CPU per request, which at hundreds of requests a second on two cores
would be measured as the client's overhead. Run it in its own process (:class:`FakeServer` does), so its
CPU is not counted against the client under test.

Other routes: ``GET /v1/models``, ``GET /stats`` (counters since the last reset: requests, by model,
statuses, applied latency, peak and mean in-flight), ``POST /reset``, ``POST /config`` (JSON body with
any of ``latency_ms``, ``jitter_ms``, ``error_429``, ``error_500``, ``retry_after_s``, ``mode``,
``array_items``, ``seed``).

Command line::

    python -m benchmarks.fake_openai_server --port 8009 --latency-ms 100 --jitter-ms 20 --error-429 0.01
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import Any

import httpx

from benchmarks.instances import last_user_text, rich_json, schema_of, text_words

__all__ = ["FakeServer", "ServerConfig", "serve"]


@dataclass
class ServerConfig:
    """Behaviour of the fake server; changeable at run time through ``POST /config``."""

    latency_ms: float = 100.0
    jitter_ms: float = 0.0
    error_429: float = 0.0
    error_500: float = 0.0
    retry_after_s: float = 1.0
    mode: str = "rich"
    array_items: int = 2
    seed: int = 0


@dataclass
class _Stats:
    requests: int = 0
    by_model: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    latency_sum_s: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    inflight: int = 0
    peak_inflight: int = 0
    inflight_area: float = 0.0
    last_change: float = field(default_factory=time.perf_counter)
    started: float = field(default_factory=time.perf_counter)

    def move(self, delta: int) -> None:
        now = time.perf_counter()
        self.inflight_area += self.inflight * (now - self.last_change)
        self.last_change = now
        self.inflight += delta
        self.peak_inflight = max(self.peak_inflight, self.inflight)

    def snapshot(self) -> dict[str, Any]:
        self.move(0)
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        ok = self.statuses.get("200", 0)
        return {
            "requests": self.requests,
            "by_model": dict(self.by_model),
            "statuses": dict(self.statuses),
            "mean_latency_s": self.latency_sum_s / ok if ok else 0.0,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "inflight": self.inflight,
            "peak_inflight": self.peak_inflight,
            "mean_inflight": self.inflight_area / elapsed,
            "elapsed_s": elapsed,
        }


class _State:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.stats = _Stats()

    def reset(self) -> None:
        inflight = self.stats.inflight
        self.stats = _Stats(inflight=inflight)
        self.rng = random.Random(self.config.seed)


def completion_body(body: dict[str, Any], config: ServerConfig, rng: random.Random) -> dict[str, Any]:
    """The chat-completion response for one request body."""
    messages = body.get("messages") or []
    schema, tool_name = schema_of(body)
    if schema is None:
        answer: Any = {"answer": "ok"}
    elif config.mode == "minimal":
        from extractor.testing import minimal_json

        answer = minimal_json(schema)
    else:
        answer = rich_json(schema, text_words(last_user_text(messages)), rng, array_items=config.array_items)
    content = json.dumps(answer)
    prompt_chars = sum(len(str(m.get("content", ""))) for m in messages)
    if schema is not None:
        prompt_chars += len(json.dumps(schema))
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    finish = "stop"
    if tool_name is not None:
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": f"call_{uuid.uuid4().hex[:24]}",
                "type": "function",
                "function": {"name": tool_name, "arguments": content},
            }
        ]
        finish = "tool_calls"
    prompt_tokens = max(prompt_chars // 4, 1)
    completion_tokens = max(len(content) // 4, 1)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    411: "Length Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class _Protocol(asyncio.Protocol):
    def __init__(self, state: _State) -> None:
        self.state = state
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            method, target = head[0].split(" ")[:2]
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if "chunked" in headers.get("transfer-encoding", ""):
                self._send(411, {"error": {"message": "chunked bodies are not supported"}})
                self.buffer.clear()
                return
            total = end + 4 + int(headers.get("content-length", "0") or 0)
            if len(self.buffer) < total:
                return
            body = bytes(self.buffer[end + 4 : total])
            del self.buffer[:total]
            self._route(method, target.split("?")[0], body)

    def _route(self, method: str, path: str, raw: bytes) -> None:
        state = self.state
        if method == "POST" and path.endswith("/chat/completions"):
            self._chat(raw)
        elif path.endswith("/models"):
            self._send(
                200, {"object": "list", "data": [{"id": "fake", "object": "model", "owned_by": "bench"}]}
            )
        elif path == "/stats":
            self._send(200, state.stats.snapshot())
        elif method == "POST" and path == "/reset":
            state.reset()
            self._send(200, {"ok": True})
        elif method == "POST" and path == "/config":
            for key, value in json.loads(raw or b"{}").items():
                setattr(state.config, key, type(getattr(state.config, key))(value))
            state.rng = random.Random(state.config.seed)
            self._send(200, asdict(state.config))
        else:
            self._send(404, {"error": {"message": f"no route {method} {path}"}})

    def _chat(self, raw: bytes) -> None:
        state, config, rng = self.state, self.state.config, self.state.rng
        try:
            body = json.loads(raw)
        except ValueError:
            self._send(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
            return
        stats = state.stats
        stats.requests += 1
        model = str(body.get("model", ""))
        stats.by_model[model] = stats.by_model.get(model, 0) + 1
        roll = rng.random()
        if roll < config.error_429:
            self._finish(
                429,
                {
                    "error": {
                        "message": "rate limited (fake)",
                        "type": "rate_limit_error",
                        "code": "rate_limit_exceeded",
                    }
                },
                {
                    "retry-after": f"{config.retry_after_s:g}",
                    "retry-after-ms": str(int(config.retry_after_s * 1000)),
                },
            )
            return
        delay = max(0.0, config.latency_ms + config.jitter_ms * (2 * rng.random() - 1)) / 1000
        payload: dict[str, Any]
        if roll < config.error_429 + config.error_500:
            status, payload = 500, {"error": {"message": "internal error (fake)", "type": "server_error"}}
        else:
            status, payload = 200, completion_body(body, config, rng)
            stats.prompt_tokens += payload["usage"]["prompt_tokens"]
            stats.completion_tokens += payload["usage"]["completion_tokens"]
            stats.latency_sum_s += delay
        stats.move(+1)
        asyncio.get_running_loop().call_later(delay, self._delayed, status, payload)

    def _delayed(self, status: int, payload: dict[str, Any]) -> None:
        # The current stats, not the ones at arrival: a reset carries in-flight requests over.
        self.state.stats.move(-1)
        self._finish(status, payload)

    def _finish(self, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None) -> None:
        key = str(status)
        self.state.stats.statuses[key] = self.state.stats.statuses.get(key, 0) + 1
        self._send(status, payload, extra)

    def _send(self, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        body = json.dumps(payload).encode()
        lines = [
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}",
            "content-type: application/json",
            f"content-length: {len(body)}",
            "connection: keep-alive",
        ]
        lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


async def serve(config: ServerConfig, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve until cancelled; print ``{"port": N}`` on stdout once listening."""
    state = _State(config)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Protocol(state), host, port, backlog=2048)
    bound = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": bound}), flush=True)
    async with server:
        await server.serve_forever()


class FakeServer:
    """Run the fake server in a child process (so its CPU is not the client's) for a ``with`` block.

    Example:
        >>> with FakeServer(latency_ms=100) as server:
        ...     Extractor("openai/fake", api_base=server.base_url, api_key="x")
    """

    def __init__(self, **config: Any) -> None:
        self.config = ServerConfig(**config)
        self.process: subprocess.Popen[str] | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``.../v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeServer:
        args = [sys.executable, "-m", "benchmarks.fake_openai_server", "--port", "0"]
        for key, value in asdict(self.config).items():
            args += [f"--{key.replace('_', '-')}", str(value)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            raise RuntimeError(f"fake server exited with {self.process.returncode} before listening")
        self.port = int(json.loads(line)["port"])
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None

    def _admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.request(method, f"http://127.0.0.1:{self.port}{path}", json=body, timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def stats(self) -> dict[str, Any]:
        """Counters since the last reset."""
        return self._admin("GET", "/stats")

    def reset(self) -> None:
        """Zero the counters."""
        self._admin("POST", "/reset")

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change latency, jitter, error rates or answer mode while running."""
        for key, value in changes.items():
            setattr(self.config, key, value)
        return self._admin("POST", "/config", changes)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    defaults = ServerConfig()
    for key, value in asdict(defaults).items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args(argv)
    config = ServerConfig(**{key: getattr(args, key) for key in asdict(defaults)})
    try:
        asyncio.run(serve(config, args.host, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
