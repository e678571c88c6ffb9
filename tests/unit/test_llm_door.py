"""The real LLM door (instructor over the openai client) against a scripted local HTTP server."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import BaseModel

from extractor.errors import LLMConnectionError, LLMOutputError, LLMRateLimitError, LLMTimeoutError
from extractor.llm import InstructorLLM

Reply = tuple[int, dict[str, str], str, float]  # status, headers, content, delay


class Verdict(BaseModel):
    answer: str


def _completion(content: str) -> str:
    return json.dumps(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "local",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
            ],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }
    )


@pytest.fixture
def scripted_server() -> Iterator[Callable[[list[Reply]], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(replies: list[Reply]) -> str:
        script = list(replies)
        received: list[Any] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                received.append(json.loads(self.rfile.read(length)))
                status, headers, content, delay = script.pop(0) if len(script) > 1 else script[0]
                time.sleep(delay)
                body = (
                    _completion(content) if status == 200 else json.dumps({"error": {"message": content}})
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

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _llm(base: str, **kwargs: Any) -> InstructorLLM:
    options: dict[str, Any] = {
        "max_retries": 2,
        "transient_retries": 2,
        "backoff_base_s": 0.01,
        "timeout_s": 5.0,
    }
    options.update(kwargs)
    return InstructorLLM("openai/local", api_base=base, api_key="sk-test", **options)


async def test_valid_answer_carries_usage(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(200, {}, '{"answer": "yes"}', 0)])
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "yes"
    assert (
        completion.usage.prompt_tokens,
        completion.usage.completion_tokens,
        completion.usage.requests,
    ) == (11, 7, 1)


async def test_garbage_every_time_is_a_typed_error_with_attempts_raw_output_and_summed_usage(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    base = scripted_server([(200, {}, "this is not json {", 0)])
    with pytest.raises(LLMOutputError) as caught:
        await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    error = caught.value
    assert error.attempts == 3
    assert error.last_output == "this is not json {"
    assert error.usage.requests == 3
    assert error.usage.prompt_tokens == 33


async def test_reask_recovers_after_one_invalid_answer(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(200, {}, '{"wrong": 1}', 0), (200, {}, '{"answer": "ok"}', 0)])
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "ok"
    assert completion.usage.requests == 2


async def test_timeout_is_typed(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(200, {}, '{"answer": "late"}', 1.5)])
    with pytest.raises(LLMTimeoutError):
        await _llm(base, timeout_s=0.3, transient_retries=1).complete(
            [{"role": "user", "content": "q"}], Verdict
        )


async def test_rate_limit_honours_retry_after_then_succeeds(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    base = scripted_server([(429, {"retry-after": "0.2"}, "slow down", 0), (200, {}, '{"answer": "ok"}', 0)])
    started = time.perf_counter()
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "ok"
    assert time.perf_counter() - started >= 0.2


async def test_rate_limit_exhausted_carries_retry_after(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    base = scripted_server([(429, {"retry-after": "0.05"}, "slow down", 0)])
    with pytest.raises(LLMRateLimitError) as caught:
        await _llm(base, transient_retries=1).complete([{"role": "user", "content": "q"}], Verdict)
    assert caught.value.retry_after == pytest.approx(0.05)


async def test_unreachable_server_is_a_connection_error() -> None:
    llm = _llm("http://127.0.0.1:9/v1", transient_retries=0)
    with pytest.raises(LLMConnectionError):
        await llm.complete([{"role": "user", "content": "q"}], Verdict)


def test_blocking_calls_in_fresh_event_loops_reuse_the_door(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    import asyncio

    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)]))
    for _ in range(2):
        completion = asyncio.run(llm.complete([{"role": "user", "content": "q"}], Verdict))
        assert completion.value.answer == "yes"


async def test_a_server_error_is_retried_as_transient(scripted_server: Callable[[list[Reply]], str]) -> None:
    base = scripted_server([(500, {}, "boom", 0), (200, {}, '{"answer": "ok"}', 0)])
    completion = await _llm(base).complete([{"role": "user", "content": "q"}], Verdict)
    assert completion.value.answer == "ok"


async def test_max_in_flight_queues_requests_before_their_timeout_starts(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    # Each answer takes 0.3 s and the timeout is 0.5 s. Sent one at a time, three requests take 0.9 s in
    # all and none times out: the wait for a slot is not counted against the request's timeout.
    base = scripted_server([(200, {}, '{"answer": "yes"}', 0.3)])
    llm = _llm(base, timeout_s=0.5, transient_retries=0, max_in_flight=1)
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(llm.complete([{"role": "user", "content": "q"}], Verdict) for _ in range(3))
    )
    assert [a.value.answer for a in answers] == ["yes"] * 3
    assert time.perf_counter() - started >= 0.9
