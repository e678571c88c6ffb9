"""Local HTTP servers the door tests talk to: scripted chat-completion answers, or raw bodies as given."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import BaseModel

from extractor.llm.client import InstructorLLM

Reply = tuple[int, dict[str, str], str, float]  # status, headers, content, delay
ScriptedServer = Callable[..., str]
RawServer = Callable[[str, str], str]


def completion_body(content: str, **changes: Any) -> str:
    """An OpenAI chat completion answering ``content``, with top-level fields replaced by ``changes``."""
    completion: dict[str, Any] = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "local",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }
    completion.update(changes)
    return json.dumps(completion)


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    servers: list[ThreadingHTTPServer] = []

    def start(replies: list[Reply], keep_alive: bool = False, received: list[Any] | None = None) -> str:
        script = list(replies)
        received = [] if received is None else received

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.0 closes each connection after its answer; HTTP/1.1 keeps it for the client's pool.
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                received.append(json.loads(self.rfile.read(length)))
                status, headers, content, delay = script.pop(0) if len(script) > 1 else script[0]
                time.sleep(delay)
                body = (
                    completion_body(content) if status == 200 else json.dumps({"error": {"message": content}})
                ).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                return None

        return serve(Handler, servers)

    yield start
    stop(servers)


def serve(handler: type[BaseHTTPRequestHandler], servers: list[ThreadingHTTPServer]) -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    servers.append(server)
    # A short poll interval keeps shutdown() at the end of each test from waiting 0.5 s.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def stop(servers: list[ThreadingHTTPServer]) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    """A server answering every request with status 200 and the given content type and body, as is."""
    servers: list[ThreadingHTTPServer] = []

    def start(content_type: str, body: str) -> str:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length", 0)))
                data = body.encode()
                self.send_response(200)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                return None

        return serve(Handler, servers)

    yield start
    stop(servers)


class Verdict(BaseModel):
    """The answer model the door tests ask for."""

    answer: str


_DOOR_DEFAULTS: dict[str, Any] = {
    "max_retries": 2,
    "transient_retries": 2,
    "backoff_base_s": 0.01,
    "timeout_s": 5.0,
}


@pytest.fixture(params=["aiohttp", "httpx"])
def transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a test over each HTTP transport of the openai client (``door_llm`` picks it up)."""
    monkeypatch.setitem(_DOOR_DEFAULTS, "http_transport", request.param)
    return str(request.param)


def door_llm(base: str, **kwargs: Any) -> InstructorLLM:
    """The real door against a local server, with short retries and the test's transport."""
    return InstructorLLM("openai/local", api_base=base, api_key="sk-test", **{**_DOOR_DEFAULTS, **kwargs})

