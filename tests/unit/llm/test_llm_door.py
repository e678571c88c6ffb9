"""The real LLM door (instructor over the openai client) against a scripted local HTTP server."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import BaseModel

from extractor import Extractor, Settings
from extractor.errors import LLMConnectionError, LLMOutputError, LLMRateLimitError, LLMTimeoutError
from extractor.llm.client import InstructorLLM
from extractor.llm.structured import prepared_model

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
def scripted_server() -> Iterator[Callable[..., str]]:
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

        return _serve(Handler, servers)

    yield start
    _stop(servers)


def _serve(handler: type[BaseHTTPRequestHandler], servers: list[ThreadingHTTPServer]) -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    servers.append(server)
    # A short poll interval keeps shutdown() at the end of each test from waiting 0.5 s.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def _stop(servers: list[ThreadingHTTPServer]) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()


_DEFAULTS: dict[str, Any] = {
    "max_retries": 2,
    "transient_retries": 2,
    "backoff_base_s": 0.01,
    "timeout_s": 5.0,
}


@pytest.fixture(autouse=True, params=["aiohttp", "httpx"])
def transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs over both HTTP transports of the openai client."""
    monkeypatch.setitem(_DEFAULTS, "http_transport", request.param)
    return str(request.param)


def _llm(base: str, **kwargs: Any) -> InstructorLLM:
    return InstructorLLM("openai/local", api_base=base, api_key="sk-test", **{**_DEFAULTS, **kwargs})


def _aiohttp_session(llm: InstructorLLM) -> Any:
    # openai client -> httpx client -> httpx-aiohttp transport -> aiohttp session (None over httpx)
    return getattr(llm.connection.client._client._transport, "client", None)


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


async def test_the_transport_setting_picks_the_http_client(
    scripted_server: Callable[..., str], transport: str
) -> None:
    import aiohttp

    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)], keep_alive=True))
    await llm.complete([{"role": "user", "content": "q"}], Verdict)
    session = _aiohttp_session(llm)
    assert isinstance(session, aiohttp.ClientSession) == (transport == "aiohttp")
    await llm.aclose()  # closes the pooled keep-alive connection too, or the suite would see it leak
    assert session is None or session.closed
    assert llm.connection.client is None


def test_blocking_calls_that_close_the_door_leave_no_connection_behind(
    scripted_server: Callable[..., str],
) -> None:
    # What Extractor.extract does: one event loop per call, the door closed before the loop ends.
    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)], keep_alive=True))

    async def once() -> str:
        try:
            return (await llm.complete([{"role": "user", "content": "q"}], Verdict)).value.answer
        finally:
            await llm.aclose()

    assert [asyncio.run(once()) for _ in range(2)] == ["yes", "yes"]


async def test_a_response_model_is_prepared_once_and_its_schema_sent_unchanged(
    scripted_server: Callable[..., str],
) -> None:
    received: list[Any] = []
    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)], received=received))
    answers = [await llm.complete([{"role": "user", "content": "q"}], Verdict) for _ in range(2)]
    assert all(isinstance(answer.value, Verdict) for answer in answers)
    assert type(answers[0].value) is type(answers[1].value)  # one wrapper class, not one per request
    sent = [body["response_format"]["json_schema"] for body in received]
    assert sent[0] == sent[1] == {"name": "Verdict", "schema": Verdict.model_json_schema()}
    first = prepared_model(Verdict).model_json_schema()
    first["properties"].clear()  # what one request does to its schema does not reach the next
    assert prepared_model(Verdict).model_json_schema() == Verdict.model_json_schema()


@pytest.mark.parametrize("transport", ["httpx"], indirect=True)
def test_settings_and_environment_reach_the_door(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("CLAIMSCOPE_HTTP_TRANSPORT", "httpx")
    settings = Settings(data_dir=tmp_path, cache_enabled=False)
    assert settings.http_transport == "httpx"
    llm = Extractor("openai/local", api_base="http://127.0.0.1:9/v1", settings=settings)._build_client()
    assert isinstance(llm, InstructorLLM)
    assert llm.http_transport == "httpx"
    assert Settings(data_dir=tmp_path, http_transport="aiohttp").http_transport == "aiohttp"
    with pytest.raises(ValueError, match="http_transport"):
        Settings(data_dir=tmp_path, http_transport="curl")  # type: ignore[arg-type]


def test_clients_of_ended_loops_never_closed_are_released_without_warnings(
    scripted_server: Callable[..., str], transport: str
) -> None:
    # Callers of the async API often never call aclose(); aiohttp would then warn (an error under this
    # suite's filterwarnings) about an unclosed session and connector once the door or its loop is gone.
    # (Pooled sockets of an ended loop leak under either transport: hence the closing server here.)
    base = scripted_server([(200, {}, '{"answer": "yes"}', 0)])
    sessions = []
    for _ in range(2):  # the second loop's client replaces the first one's
        llm = _llm(base)
        asyncio.run(llm.complete([{"role": "user", "content": "q"}], Verdict))
        sessions.append(_aiohttp_session(llm))
    asyncio.run(llm.complete([{"role": "user", "content": "q"}], Verdict))
    sessions.append(_aiohttp_session(llm))
    del llm
    gc.collect()
    assert all(session is None or session.closed for session in sessions)
    assert all(session is not None for session in sessions) == (transport == "aiohttp")


@pytest.mark.parametrize("transport", ["aiohttp"], indirect=True)
async def test_a_door_dropped_unclosed_while_its_loop_runs_closes_its_connections(
    scripted_server: Callable[..., str],
) -> None:
    # E.g. a long-lived service dropping an Extractor: its pooled keep-alive connection is closed at once.
    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)], keep_alive=True))
    await llm.complete([{"role": "user", "content": "q"}], Verdict)
    session = _aiohttp_session(llm)
    connector = session.connector
    del llm
    gc.collect()
    await asyncio.sleep(0.01)  # the transports finish closing on the loop
    assert session.closed
    assert connector.closed


async def test_narrowed_requests_in_flight_together_each_send_and_check_their_own_choices(
    scripted_server: Callable[..., str],
) -> None:
    from extractor.llm.drafts import SpeakerChoice, speaker_model

    received: list[Any] = []
    llm = _llm(scripted_server([(200, {}, '{"speaker": "b"}', 0.05)], received=received))
    specs = [speaker_model(["a"]), speaker_model(["b"]), speaker_model(["c", "b"])]
    try:
        results = await asyncio.gather(
            *(llm.complete([{"role": "user", "content": "q"}], spec) for spec in specs),
            return_exceptions=True,
        )
    finally:
        await llm.aclose()
    sent = [json.dumps(body["response_format"]["json_schema"]["schema"]) for body in received]
    # Three attempts for the first (re-asked twice, with its own schema each time), one for each other.
    assert sorted(sent) == sorted(json.dumps(spec.model_json_schema()) for spec in [specs[0]] * 3 + specs[1:])
    assert all(body["response_format"]["json_schema"]["name"] == "SpeakerChoice" for body in received)
    assert isinstance(
        results[0], LLMOutputError
    )  # "b" was never offered to the first: re-asked, then refused
    assert [result.value.speaker for result in results[1:]] == ["b", "b"]  # type: ignore[union-attr]
    assert prepared_model(SpeakerChoice).model_json_schema() == SpeakerChoice.model_json_schema()


async def test_the_body_is_posted_as_built_with_extra_fields_merged_in(
    scripted_server: Callable[..., str],
) -> None:
    received: list[Any] = []
    base = scripted_server([(200, {}, '{"answer": "yes"}', 0)], received=received)
    llm = _llm(base, extra_body={"repeat_penalty": 1.1, "cache_prompt": True})
    try:
        answer = await llm.complete([{"role": "user", "content": "q"}], Verdict, max_tokens=33)
    finally:
        await llm.aclose()
    assert answer.value.answer == "yes"
    (body,) = received
    assert body["repeat_penalty"] == 1.1 and body["cache_prompt"] is True and "extra_body" not in body
    assert body["messages"] == [{"role": "user", "content": "q"}]
    assert body["max_tokens"] == 33 and body["model"] == "local"
    assert body["response_format"]["type"] == "json_schema"


async def test_article_text_reaches_the_model_verbatim_even_with_template_braces(
    scripted_server: Callable[..., str],
) -> None:
    # instructor's ``context=`` would render messages as Jinja: "{{ speakers }}" filled in, "{%" refused.
    from extractor.llm.drafts import speaker_model

    received: list[Any] = []
    base = scripted_server([(200, {}, '{"speaker": "a"}', 0)], received=received)
    llm = _llm(base)
    text = 'He wrote "{{ speakers }}" and {% raw %} in the memo: {{ unknown }} {%'
    try:
        answer = await llm.complete([{"role": "user", "content": text}], speaker_model(["a"]))
    finally:
        await llm.aclose()
    assert answer.value.speaker == "a"
    assert received[0]["messages"] == [{"role": "user", "content": text}]


@pytest.fixture
def raw_server() -> Iterator[Callable[[str, str], str]]:
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

        return _serve(Handler, servers)

    yield start
    _stop(servers)


def _completion_with(**changes: Any) -> str:
    completion = json.loads(_completion('{"answer": "yes"}'))
    completion.update(changes)
    return json.dumps(completion)


@pytest.mark.parametrize(
    ("content_type", "body", "attempts", "shown"),
    [
        # A proxy's error page and a body cut off mid-way are asked again, then fail typed, showing the body.
        ("text/html", "<html>502 Bad Gateway</html>", 3, "<html>502 Bad Gateway</html>"),
        ("application/json", '{"id": "x", "choices": [', 3, '{"id": "x", "choices": ['),
        ("application/json", "[1, 2]", 3, "[1, 2]"),
        # JSON that is no completion at all cannot become better by asking again.
        ("application/json", '{"error": "overloaded"}', 1, "no answer could be read"),
    ],
)
async def test_a_200_body_that_is_no_completion_is_a_typed_output_error(
    raw_server: Callable[[str, str], str], content_type: str, body: str, attempts: int, shown: str
) -> None:
    with pytest.raises(LLMOutputError) as caught:
        await _llm(raw_server(content_type, body)).complete([{"role": "user", "content": "q"}], Verdict)
    assert caught.value.attempts == attempts
    assert shown in str(caught.value)


@pytest.mark.parametrize(
    ("body", "tokens"),
    [
        # A provider's own finish reason fails openai's schema; the answer is still read.
        (
            _completion_with(
                choices=[
                    {
                        "index": 0,
                        "finish_reason": "eos",
                        "message": {"role": "assistant", "content": '{"answer": "yes"}'},
                    }
                ]
            ),
            (11, 7),
        ),
        (_completion_with(usage=None), (0, 0)),
    ],
)
async def test_a_completion_off_openai_schema_is_still_read(
    raw_server: Callable[[str, str], str], body: str, tokens: tuple[int, int]
) -> None:
    completion = await _llm(raw_server("application/json", body)).complete(
        [{"role": "user", "content": "q"}], Verdict
    )
    assert completion.value.answer == "yes"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == tokens
