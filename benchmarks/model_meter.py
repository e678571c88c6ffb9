"""A loopback proxy in front of an OpenAI-compatible server that meters each request's model time.

Every client under comparison is pointed at the proxy, so the same meter times them all. For each
``POST`` it keeps the wall time of the round trip and, when the upstream is llama-server, the
``timings`` it returns with every answer: ``prompt_ms`` (the prompt tokens it processed, its prompt cache
left out) and ``predicted_ms`` (generation). Their sum is the model's own time on the request, which
excludes the time the request waited for the server's single slot behind other users of a shared
server; the wall time includes it. Upstreams without ``timings`` (the fake server) count their wall time.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from extractor.llm.drafts import NameKinds, PairStance, SpeakerChoice, TopicNames

__all__ = ["ModelMeter", "RequestTime", "summarize_requests"]

_HOP_HEADERS = frozenset({"connection", "content-length", "transfer-encoding", "keep-alive", "host"})


@dataclass(frozen=True)
class RequestTime:
    """What one metered request cost."""

    wall_s: float
    model_s: float
    """llama-server's prompt plus generation time; the wall time when the upstream does not report it."""
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int
    status: int
    response_model: str = ""
    """Which question it asked: the ``json_schema`` name of the request's ``response_format``, or for a
    prefilled request (:mod:`extractor.llm.prefill`, :mod:`extractor.llm.openings`) the response model whose
    first field the opening names."""


def summarize_requests(requests: list[RequestTime], only: frozenset[str] | None = None) -> dict[str, Any]:
    """Totals of a group of requests (one article of one client), or of those asking the ``only`` models."""
    if only is not None:
        requests = [request for request in requests if request.response_model in only]
    return {
        "requests": len(requests),
        "model_s": round(sum(r.model_s for r in requests), 3),
        "wall_s": round(sum(r.wall_s for r in requests), 3),
        "prompt_tokens": sum(r.prompt_tokens for r in requests),
        "cached_prompt_tokens": sum(r.cached_tokens for r in requests),
        "completion_tokens": sum(r.completion_tokens for r in requests),
        "failed_requests": sum(1 for r in requests if r.status >= 400),
        "model_s_by_response_model": {
            name: round(sum(r.model_s for r in requests if r.response_model == name), 3)
            for name in sorted({r.response_model for r in requests})
        },
    }


# The questions the pipeline asks, by the first field a prefilled request's opening names.
_PREFILLED = {
    next(iter(model.model_fields)): model.__name__
    for model in (PairStance, SpeakerChoice, TopicNames, NameKinds)
}
_PREFILL_OPENING = re.compile(r'\{"(\w+)":.*', re.DOTALL)


def _response_model(request_body: bytes) -> str:
    try:
        request = json.loads(request_body)
    except ValueError:
        return ""
    try:
        return str(request["response_format"]["json_schema"]["name"])
    except (KeyError, TypeError):
        pass
    try:
        last = request["messages"][-1]
        opening = _PREFILL_OPENING.fullmatch(last["content"]) if last["role"] == "assistant" else None
    except (KeyError, IndexError, TypeError):
        return ""
    return _PREFILLED.get(opening.group(1), "") if opening else ""


def _request_time(status: int, wall_s: float, body: bytes, request_body: bytes = b"") -> RequestTime:
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    usage = data.get("usage") or {}
    timings = data.get("timings") or {}
    model_ms = (timings.get("prompt_ms") or 0.0) + (timings.get("predicted_ms") or 0.0)
    cached = timings.get("cache_n")
    if cached is None:
        cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    return RequestTime(
        wall_s=wall_s,
        model_s=model_ms / 1000 if timings else wall_s,
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        cached_tokens=int(cached),
        completion_tokens=int(usage.get("completion_tokens") or 0),
        status=status,
        response_model=_response_model(request_body),
    )


class ModelMeter:
    """``with ModelMeter(upstream) as meter:`` point clients at ``meter.base_url``; ``meter.take()``.

    Args:
        upstream: The OpenAI-compatible base URL to forward to (``http://127.0.0.1:PORT/v1``).
        timeout_s: Longest a forwarded request may take.
    """

    def __init__(self, upstream: str, timeout_s: float = 600.0) -> None:
        self.upstream = upstream.rstrip("/")
        self._client = httpx.Client(timeout=timeout_s)
        self._records: list[RequestTime] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Where clients send their requests (the upstream's paths, ``/v1`` included)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def take(self) -> list[RequestTime]:
        """The requests metered since the last call."""
        with self._lock:
            taken, self._records = self._records, []
        return taken

    def __enter__(self) -> ModelMeter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> httpx.Response:
        target = self.upstream + path.removeprefix("/v1")
        sent = {key: value for key, value in headers.items() if key.lower() not in _HOP_HEADERS}
        started = time.perf_counter()
        response = self._client.request(method, target, headers=sent, content=body)
        if method == "POST":
            record = _request_time(
                response.status_code, time.perf_counter() - started, response.content, body
            )
            with self._lock:
                self._records.append(record)
        return response

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        meter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    response = meter._forward(self.command, self.path, dict(self.headers), body)
                except httpx.HTTPError as error:
                    payload = json.dumps({"error": {"message": f"proxy: {error}"}}).encode()
                    self.send_response(502)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(response.status_code)
                for key, value in response.headers.items():
                    if key.lower() not in _HOP_HEADERS and key.lower() != "content-encoding":
                        self.send_header(key, value)
                self.send_header("content-length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            do_GET = _relay
            do_POST = _relay

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler
