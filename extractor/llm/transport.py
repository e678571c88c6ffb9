"""The openai client of an OpenAI-compatible server: one per event loop, over aiohttp or httpx.

The openai client sends over aiohttp by default (``openai[aiohttp]``): its default httpx transport spends
several times more client CPU per request, which bounds throughput against a fast server.
``CLAIMSCOPE_HTTP_TRANSPORT=httpx`` switches back.

Request bodies are posted as built (``AsyncOpenAI.post``, openai's documented way to reach any endpoint)
rather than re-checked parameter by parameter by ``chat.completions.create``: that walks the messages and
the whole response schema against openai's TypedDicts, about a third of the door's CPU per request, for
bodies already built as plain JSON. The answer is read as raw bytes and validated in one pydantic-core
pass (:func:`chat_completion`).
"""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from schemas import Usage

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletion

__all__ = ["HttpTransport", "OpenAIConnection", "chat_completion", "count_usage", "raw_text"]

HttpTransport = Literal["aiohttp", "httpx"]


class OpenAIConnection:
    """The openai client (and its connection pool) of the running event loop.

    A pool belongs to the loop that opened it, and the blocking ``Extractor.extract`` runs each call in a
    fresh loop: a call from another loop opens a new client, releasing the previous one's connections
    once that loop ends.

    Args:
        api_base: Base URL of the server.
        api_key: Its key; ``OPENAI_API_KEY`` or a placeholder (local servers need none) when None.
        timeout_s: Timeout of one request.
        transport: What the client sends over.
    """

    def __init__(
        self, *, api_base: str | None, api_key: str | None, timeout_s: float, transport: HttpTransport
    ) -> None:
        self._api_base = api_base
        self._api_key = api_key
        self._timeout_s = timeout_s
        self.transport: HttpTransport = transport
        self.client: AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._release: _SessionRelease | None = None

    def for_running_loop(self) -> AsyncOpenAI:
        """The client of the running loop, opened on first use."""
        loop = asyncio.get_running_loop()
        if self.client is None or self._loop is not loop:
            self.client = self._open(loop)
        return self.client

    async def post(self, body: dict[str, Any]) -> ChatCompletion:
        """Post a chat-completions body as it is and read the answer (see :func:`chat_completion`)."""
        import httpx

        response: httpx.Response = await self.for_running_loop().post(
            "/chat/completions", body=body, cast_to=httpx.Response
        )
        return chat_completion(response.content)

    async def aclose(self) -> None:
        """Close the client's connection pool, if one was opened."""
        client, loop = self.client, self._loop
        release, self._release = self._release, None
        self.client = self._loop = None
        if client is None:
            return
        if loop is asyncio.get_running_loop():
            if release is not None:
                release.cancel()
            await client.close()
        elif release is not None:
            release()  # its connections belong to another loop: they cannot be awaited from this one

    def _open(self, loop: asyncio.AbstractEventLoop) -> AsyncOpenAI:
        import openai

        if self._release is not None:
            previous = self._loop
            if previous is not None and previous.is_closed():
                self._release()
            else:
                self._release.when_loop_ends()  # that loop may still be using it
            self._release = None
        http_client = _http_client(self.transport)
        self._loop = loop
        client = openai.AsyncOpenAI(
            base_url=self._api_base,
            api_key=self._api_key or os.environ.get("OPENAI_API_KEY") or "sk-no-key-needed",
            timeout=self._timeout_s,
            max_retries=0,  # the door's retry loop decides
            http_client=http_client,
        )
        session_owner = getattr(http_client, "_transport", None)
        if hasattr(session_owner, "client"):  # httpx-aiohttp's transport, which opens an aiohttp session
            self._release = _SessionRelease(session_owner, owner=self, loop=loop)
        return client


def chat_completion(content: bytes) -> ChatCompletion:
    """A response body as openai's ``ChatCompletion``, validated in one pass (pydantic-core).

    A body that does not validate (a provider's own finish reason, missing fields) is built leniently,
    as openai itself would.

    Raises:
        json.JSONDecodeError: The body is not a JSON object (a proxy's HTML page, a cut-off body).
    """
    from openai.types.chat import ChatCompletion

    try:
        return ChatCompletion.model_validate_json(content)
    except ValidationError:
        pass
    text = content.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # The body itself, not only where it broke, is what tells a proxy's page from a cut-off answer.
        raise json.JSONDecodeError(
            f"the response body is not JSON ({error.msg}): {text[:200]!r}", text, 0
        ) from error
    if not isinstance(data, dict):
        raise json.JSONDecodeError(f"the response body is not a JSON object: {text[:200]!r}", text, 0)
    return ChatCompletion.construct(**data)


def count_usage(response: Any) -> Usage:
    """Read token usage from an OpenAI-shaped response (or nothing if it has none)."""
    usage = getattr(response, "usage", None)
    if usage is None:
        return Usage(requests=1)
    return Usage(
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        requests=1,
    )


def raw_text(response: Any) -> str | None:
    """The answer text of an OpenAI-shaped response, or None when it holds none."""
    try:
        content = response.choices[0].message.content
    except (AttributeError, IndexError, TypeError):
        return None
    return None if content is None else str(content)


def _http_client(transport: HttpTransport) -> Any:
    """The httpx-compatible client openai sends over, with openai's defaults (timeouts, pool limits)."""
    import openai

    if transport == "aiohttp":
        try:
            return openai.DefaultAioHttpClient()
        except RuntimeError:  # openai's stand-in when httpx-aiohttp is missing: slower, but it works
            pass
    # Not the client openai builds when given none: that one's finaliser schedules its own close on
    # whatever loop is running then, which fails (and prints) when its connections belong to an ended one.
    return openai.DefaultAsyncHttpxClient()


class _SessionRelease:
    """Closes, without awaiting, the aiohttp session of a client nobody closed, once.

    aiohttp warns, and logs an error, about a session garbage-collected unclosed, and many callers never
    call ``aclose()`` (nor could they, once the loop of a blocking call has ended). So the session is
    released when the connection that owns it or the event loop it belongs to goes away, whichever is
    first.
    """

    def __init__(self, transport: Any, *, owner: object, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._with_owner = weakref.finalize(owner, self)
        self._with_loop = weakref.finalize(loop, self)

    def __call__(self) -> None:
        """Release the session now."""
        self.cancel()
        session = getattr(self._transport, "client", None)  # httpx-aiohttp opens it on first use
        if session is None or not hasattr(session, "detach") or session.closed:
            return
        connector = session.connector
        session.detach()  # marks the session closed
        # The synchronous part of ``await connector.close()``: closes the pooled connections if their
        # loop still runs (they died with it otherwise) and marks the connector closed.
        close_now = getattr(connector, "_close", None)
        if callable(close_now):
            close_now()

    def when_loop_ends(self) -> None:
        """Release the session when its loop goes, not with the connection that let go of it."""
        self._with_owner.detach()

    def cancel(self) -> None:
        """Nothing to release: the session was closed properly."""
        self._with_owner.detach()
        self._with_loop.detach()
