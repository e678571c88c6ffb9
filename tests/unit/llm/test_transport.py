"""The openai client under the door: its two HTTP transports, connection pools across event loops, and
answer bodies read as they come."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any

import pytest

from extractor import Extractor, Settings
from extractor.errors import LLMOutputError
from extractor.llm.client import InstructorLLM
from tests.unit.llm.conftest import RawServer, Reply, Verdict, completion_body
from tests.unit.llm.conftest import door_llm as _llm

# Every test here runs over both HTTP transports of the openai client.
pytestmark = pytest.mark.usefixtures("transport")


def _aiohttp_session(llm: InstructorLLM) -> Any:
    # openai client -> httpx client -> httpx-aiohttp transport -> aiohttp session (None over httpx)
    return getattr(llm.connection.client._client._transport, "client", None)


def test_blocking_calls_in_fresh_event_loops_reuse_the_door(
    scripted_server: Callable[[list[Reply]], str],
) -> None:
    import asyncio

    llm = _llm(scripted_server([(200, {}, '{"answer": "yes"}', 0)]))
    for _ in range(2):
        completion = asyncio.run(llm.complete([{"role": "user", "content": "q"}], Verdict))
        assert completion.value.answer == "yes"


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


def _completion_with(**changes: Any) -> str:
    return completion_body('{"answer": "yes"}', **changes)


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
    raw_server: RawServer, content_type: str, body: str, attempts: int, shown: str
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
    raw_server: RawServer, body: str, tokens: tuple[int, int]
) -> None:
    completion = await _llm(raw_server("application/json", body)).complete(
        [{"role": "user", "content": "q"}], Verdict
    )
    assert completion.value.answer == "yes"
