"""The one door to the LLM libraries: openai, instructor and litellm are imported here and nowhere else.

Everything that talks to a model goes through :class:`LLMClient`: response models, validation re-asks
(instructor), retries with backoff on timeouts and rate limits, token usage summed over every attempt,
and provider errors mapped onto :mod:`extractor.errors`.

OpenAI-compatible servers (the embedded llama-server, vLLM, Ollama, OpenAI itself) are reached with the
``openai`` client directly, because importing litellm costs several seconds; every other provider goes
through litellm, whose model strings (``anthropic/...``, ``gemini/...``) are the provider switch.

The openai client sends over aiohttp by default (``openai[aiohttp]``): its default httpx transport spends
several times more client CPU per request, which bounds throughput against a fast server.
``CLAIMSCOPE_HTTP_TRANSPORT=httpx`` switches back. instructor's request bodies are posted as built
(``AsyncOpenAI.post``) rather than re-checked parameter by parameter by ``chat.completions.create``; see
:func:`_direct_instructor`; the response is read as raw bytes and validated in one pydantic-core pass
(:func:`_chat_completion`). Response models may be narrowed per request (:mod:`extractor.llm.constrained`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import json
import os
import random
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from extractor.errors import (
    ClaimscopeError,
    LLMAuthError,
    LLMConnectionError,
    LLMError,
    LLMOutputError,
    LLMRateLimitError,
    LLMTimeoutError,
)
from extractor.llm.constrained import Constrained, ResponseSpec, copy_json, spec_model
from extractor.llm.messages import Message
from schemas import Usage

if TYPE_CHECKING:
    import instructor

__all__ = [
    "Completion",
    "HttpTransport",
    "InstructorLLM",
    "LLMClient",
    "Message",
    "count_usage",
    "estimate_cost",
]

ResponseT = TypeVar("ResponseT", bound=BaseModel)

HttpTransport = Literal["aiohttp", "httpx"]

_MAX_BACKOFF_S = 60.0


@dataclass(frozen=True)
class Completion(Generic[ResponseT]):
    """A validated model response with what it cost."""

    value: ResponseT
    usage: Usage
    raw: str | None = None
    attempts: int = 1


class LLMClient(Protocol):
    """What the pipeline needs from a model: one structured completion at a time."""

    @property
    def model(self) -> str:
        """The model string reported in provenance."""
        ...

    async def complete(
        self,
        messages: Sequence[Message],
        response_model: ResponseSpec[ResponseT],
        *,
        max_tokens: int = 1024,
    ) -> Completion[ResponseT]:
        """Return ``response_model`` filled by the model, or raise an :class:`LLMError`."""
        ...


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


# Model families litellm has no price for; answering None for them spares the multi-second litellm import.
_UNPRICED_PREFIXES = ("embedded/", "fake/", "openai/local")


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """Estimated USD cost of the tokens from litellm's bundled price map, or None for an unknown model."""
    if model.startswith(_UNPRICED_PREFIXES):
        return None
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        import litellm

        litellm.suppress_debug_info = True  # else unknown providers print a banner on stdout
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
        )
    except Exception:  # litellm raises bare Exceptions for models missing from its map
        return None
    return float(prompt_cost) + float(completion_cost)


def _raw_text(response: Any) -> str | None:
    try:
        return str(response.choices[0].message.content)
    except (AttributeError, IndexError, TypeError):
        return None


@dataclass
class _AttemptLog:
    """Collects usage and raw output of every attempt of one call (instructor hook target)."""

    usage: Usage = field(default_factory=Usage)
    last_raw: str | None = None
    attempts: int = 0

    def on_response(self, response: Any) -> None:
        self.usage = self.usage + count_usage(response)
        self.last_raw = _raw_text(response)
        self.attempts += 1


class InstructorLLM:
    """Structured completions through instructor, over the openai client or litellm.

    Args:
        model: litellm model string (``openai/gpt-4o-mini``, ``anthropic/claude-...``).
        api_base: Base URL of an OpenAI-compatible server.
        api_key: Key for the provider; the provider's usual environment variable is used when None.
        temperature: Sampling temperature.
        max_retries: Validation re-asks after the first attempt.
        transient_retries: Retries after a timeout, rate limit or connection error.
        timeout_s: Timeout of one request.
        extra_body: Extra JSON fields for OpenAI-compatible servers (e.g. llama.cpp's ``repeat_penalty``).
        display_model: Name reported in provenance, when it differs from ``model``.
        backoff_base_s: First backoff delay; doubles on each transient retry.
        max_in_flight: Requests this client sends at once (per event loop); more wait their turn before
            their timeout starts. The embedded server answers one request at a time, so it gets 1.
        http_transport: What the openai client sends over: ``aiohttp`` (less client CPU per request) or
            httpx, openai's default. litellm providers ignore it.
    """

    def __init__(
        self,
        model: str,
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.0,
        max_retries: int = 2,
        transient_retries: int = 3,
        timeout_s: float = 180.0,
        extra_body: dict[str, Any] | None = None,
        display_model: str | None = None,
        backoff_base_s: float = 1.0,
        max_in_flight: int | None = None,
        http_transport: HttpTransport = "aiohttp",
    ) -> None:
        self._model = model
        self._display_model = display_model or model
        self._api_base = api_base
        self._api_key = api_key
        self._temperature = temperature
        self._max_retries = max_retries
        self._transient_retries = transient_retries
        self._timeout_s = timeout_s
        self._extra_body = extra_body or {}
        self._backoff_base_s = backoff_base_s
        # One openai client per event loop: its connection pool belongs to the loop that opened it, and
        # the blocking ``Extractor.extract`` runs each call in a fresh loop.
        self._openai_client: Any = None
        self._openai_loop: asyncio.AbstractEventLoop | None = None
        self._http_transport = http_transport
        self._release: _SessionRelease | None = None
        self._max_in_flight = max_in_flight
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def model(self) -> str:
        """The model string reported in provenance."""
        return self._display_model

    @property
    def http_transport(self) -> HttpTransport:
        """What the openai client sends over (``aiohttp`` or ``httpx``)."""
        return self._http_transport

    async def aclose(self) -> None:
        """Close the openai client's connection pool, if one was opened."""
        client, loop = self._openai_client, self._openai_loop
        release, self._release = self._release, None
        self._openai_client = self._openai_loop = None
        if client is None:
            return
        if loop is asyncio.get_running_loop():
            if release is not None:
                release.cancel()
            await client.close()
        elif release is not None:
            release()  # its connections belong to another loop: they cannot be awaited from this one

    @property
    def uses_openai_client(self) -> bool:
        """True when requests go straight to an OpenAI-compatible endpoint."""
        return self._model.startswith("openai/") or (self._api_base is not None and "/" not in self._model)

    async def complete(
        self,
        messages: Sequence[Message],
        response_model: ResponseSpec[ResponseT],
        *,
        max_tokens: int = 1024,
    ) -> Completion[ResponseT]:
        """Ask for ``response_model``; retry transient failures with backoff, re-ask on invalid output."""
        spent = Usage()
        for attempt in range(self._transient_retries + 1):
            try:
                async with self._slot():
                    completion = await self._complete_once(messages, response_model, max_tokens)
            except LLMOutputError as error:
                error.usage = error.usage + spent
                raise
            except (LLMTimeoutError, LLMRateLimitError, LLMConnectionError) as error:
                if attempt == self._transient_retries:
                    raise
                await asyncio.sleep(self._backoff_delay(attempt, error))
                continue
            usage = completion.usage + spent
            return Completion(completion.value, usage, completion.raw, completion.attempts)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _slot(self) -> contextlib.AbstractAsyncContextManager[Any]:
        if self._max_in_flight is None:
            return contextlib.nullcontext()
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self._max_in_flight)
        return slots

    def _backoff_delay(self, attempt: int, error: LLMError) -> float:
        if isinstance(error, LLMRateLimitError) and error.retry_after is not None:
            return min(error.retry_after, _MAX_BACKOFF_S)
        delay = self._backoff_base_s * (2**attempt)
        return float(min(delay * (0.5 + random.random()), _MAX_BACKOFF_S))

    def _instructor_client(self) -> instructor.AsyncInstructor:
        import instructor

        if self.uses_openai_client:
            loop = asyncio.get_running_loop()
            if self._openai_client is None or self._openai_loop is not loop:
                self._open_openai_client(loop)
            return _direct_instructor(self._openai_client)
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm

        wrapped: instructor.AsyncInstructor = instructor.from_litellm(  # type: ignore[assignment]
            litellm.acompletion, mode=instructor.Mode.JSON_SCHEMA
        )
        return wrapped

    def _open_openai_client(self, loop: asyncio.AbstractEventLoop) -> None:
        import openai

        if self._release is not None:
            previous = self._openai_loop
            if previous is not None and previous.is_closed():
                self._release()
            else:
                self._release.when_loop_ends()  # that loop may still be using it
            self._release = None
        http_client = _http_client(self._http_transport)
        self._openai_loop = loop
        self._openai_client = openai.AsyncOpenAI(
            base_url=self._api_base,
            api_key=self._api_key or os.environ.get("OPENAI_API_KEY") or "sk-no-key-needed",
            timeout=self._timeout_s,
            max_retries=0,
            http_client=http_client,
        )
        transport = getattr(http_client, "_transport", None)
        if hasattr(transport, "client"):  # httpx-aiohttp's transport, which opens an aiohttp session
            self._release = _SessionRelease(transport, owner=self, loop=loop)

    async def _complete_once(
        self, messages: Sequence[Message], response_model: ResponseSpec[ResponseT], max_tokens: int
    ) -> Completion[ResponseT]:
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        # A fresh instructor wrapper per call keeps the usage hook of concurrent calls apart.
        client = self._instructor_client()
        log = _AttemptLog()
        client.on("completion:response", log.on_response)
        kwargs: dict[str, Any] = {
            "messages": list(messages),
            "response_model": _response_schema(spec_model(response_model)),
            "max_retries": self._max_retries,
            "max_tokens": max_tokens,
            "temperature": self._temperature,
        }
        if self.uses_openai_client:
            kwargs["model"] = self._model.removeprefix("openai/")
            if self._extra_body:
                kwargs["extra_body"] = self._extra_body
        else:
            kwargs["model"] = self._model
            kwargs["timeout"] = self._timeout_s
            kwargs["num_retries"] = 0
            if self._api_base:
                kwargs["api_base"] = self._api_base
            if self._api_key:
                kwargs["api_key"] = self._api_key
        narrowed = checked = None
        if isinstance(response_model, Constrained):
            # Not instructor's ``context=``: that also renders every message as a Jinja template, so an
            # article containing "{{" or "{%" would be altered or refused (and each request paid a
            # template compile). The wrapped class reads the choices from here when it validates.
            narrowed = _NARROWED_SCHEMA.set(response_model.schema)
            checked = _VALIDATION_CONTEXT.set(dict(response_model.context))
        try:
            value = await client.chat.completions.create(**kwargs)
        except (InstructorRetryException, IncompleteOutputException) as error:
            mapped = _find_provider_error(error, self.model)
            if mapped is not None:
                raise mapped from error
            attempts = max(log.attempts, getattr(error, "n_attempts", 0) or 0, 1)
            reason = (
                "was cut off at max_tokens"
                if isinstance(error, IncompleteOutputException)
                else "did not validate"
            )
            detail = (
                f"last output starts {log.last_raw[:200]!r}"
                if log.last_raw is not None
                else f"no answer could be read: {_last_failure(error)}"
            )
            raise LLMOutputError(
                f"{self.model} output {reason} after {attempts} attempt(s) for "
                f"{response_model.__name__}; {detail}",
                model=self.model,
                attempts=attempts,
                last_output=log.last_raw,
                usage=log.usage,
            ) from error
        except ClaimscopeError:
            raise
        except Exception as error:
            mapped = _find_provider_error(error, self.model)
            if mapped is None:
                raise
            raise mapped from error
        finally:
            if narrowed is not None:
                _NARROWED_SCHEMA.reset(narrowed)
            if checked is not None:
                _VALIDATION_CONTEXT.reset(checked)
        return Completion(value, log.usage, log.last_raw, max(log.attempts, 1))


# The schema of a Constrained request, read by the cached wrapper below while instructor builds that
# request's body. Each question runs in its own task, so concurrent requests never see each other's.
_NARROWED_SCHEMA: contextvars.ContextVar[Any] = contextvars.ContextVar("claimscope_narrowed_schema")
# Its choices, as pydantic validation context, read when instructor validates an answer.
_VALIDATION_CONTEXT: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "claimscope_validation_context", default=None
)


def _direct_instructor(openai_client: Any) -> instructor.AsyncInstructor:
    """An instructor client in JSON-schema mode over ``openai_client``, posting each request body as it is.

    ``chat.completions.create`` first walks every parameter against openai's TypedDicts (the messages
    and the whole response schema, recursively): about a third of the door's CPU per request, for
    bodies that instructor has already built as plain JSON. Posting to the same endpoint through the
    same client (its base URL, headers, timeout, connection pool and error types) skips that walk.
    """
    import httpx
    from instructor.v2.core.client import AsyncInstructor
    from instructor.v2.core.mode import Mode
    from instructor.v2.core.patch import patch_v2
    from instructor.v2.core.providers import Provider
    from instructor.v2.providers.openai import handlers  # noqa: F401 - registers the mode handlers
    from openai.types.chat import ChatCompletion

    _remember_async_validator_checks()

    async def create(**params: Any) -> ChatCompletion:
        body = {key: value for key, value in params.items() if key != "extra_body"}
        body.update(params.get("extra_body") or {})
        # The raw response, parsed below: openai's own parsing builds the result field by field in
        # Python, the largest single cost left in a request once its body is built.
        response: httpx.Response = await openai_client.post(
            "/chat/completions", body=body, cast_to=httpx.Response
        )
        completion: ChatCompletion = _chat_completion(ChatCompletion, response.content)
        return completion

    patched = patch_v2(func=create, provider=Provider.OPENAI, mode=Mode.JSON_SCHEMA)
    return AsyncInstructor(
        client=openai_client, create=patched, provider=Provider.OPENAI, mode=Mode.JSON_SCHEMA
    )


def _last_failure(error: BaseException) -> str:
    """What went wrong on the last attempt of an exhausted call, for its message."""
    attempts = getattr(error, "failed_attempts", None) or []
    last: BaseException | None = getattr(attempts[-1], "exception", None) if attempts else None
    last = last or error.__cause__ or error
    return f"{type(last).__name__}: {str(last)[:300]}"


def _chat_completion(completion_class: Any, content: bytes) -> Any:
    """A response body as openai's ``ChatCompletion``, validated in one pass (pydantic-core).

    A body that does not validate (a provider's own finish reason, missing fields) is built leniently,
    as openai itself would. One that is not a JSON object (a proxy's HTML page, a cut-off body) raises
    ``json.JSONDecodeError``, an error instructor retries when the call raises it, as it did when openai
    parsed.
    """
    try:
        return completion_class.model_validate_json(content)
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
    return completion_class.construct(**data)


@functools.cache
def _remember_async_validator_checks() -> None:
    """Have instructor check a response class for async validators once, not on every request.

    instructor (pinned) walks the class's whole type tree and MRO per request to refuse async
    validators, which it does not run; the answer depends only on the class, so a pass is remembered.
    """
    from instructor.v2.validation import async_validators

    check = async_validators.reject_async_validators
    passed: weakref.WeakSet[Any] = weakref.WeakSet()

    def reject_once(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        check(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    # Modules that imported the function by name hold their own reference to it.
    for name, module in list(sys.modules.items()):
        if name.startswith("instructor") and getattr(module, "reject_async_validators", None) is check:
            module.reject_async_validators = reject_once  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=128)
def _response_schema(response_model: type[BaseModel]) -> type[BaseModel]:
    """The instructor wrapper of a response model, built once per model rather than on every request.

    On each call instructor derives a pydantic subclass of the model and generates its JSON schema
    (together a few ms of CPU, more than the HTTP exchange); an already wrapped class skips the first,
    and the schema cached here the second. Dynamic per-article models simply miss the cache. A
    :class:`Constrained` request's narrowed schema and validation context reach the shared class
    through context variables set for that request alone.
    """
    from instructor.v2.core.function_calls import ResponseSchema, response_schema

    if issubclass(response_model, ResponseSchema):
        return response_model
    wrapped = response_schema(response_model)
    generate = wrapped.model_json_schema
    schema = generate()

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return generate(*args, **kwargs)
        # A copy per request: the schema goes into a request body, which is not ours to share.
        return copy_json(dict(_NARROWED_SCHEMA.get(schema)))

    wrapped.model_json_schema = classmethod(model_json_schema)  # type: ignore[assignment,method-assign]
    wrapped.model_validate_json = _with_request_context(wrapped.model_validate_json)  # type: ignore[method-assign]
    wrapped.model_validate = _with_request_context(wrapped.model_validate)  # type: ignore[method-assign]
    return wrapped


def _with_request_context(validate: Any) -> Any:
    """A validating classmethod that uses the current request's choices when given no context."""

    def with_context(cls: type[BaseModel], /, data: Any, **kwargs: Any) -> BaseModel:
        if kwargs.get("context") is None:
            kwargs["context"] = _VALIDATION_CONTEXT.get()
        result: BaseModel = validate(data, **kwargs)
        return result

    return classmethod(with_context)


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
    released when the door that owns it or the event loop it belongs to goes away, whichever is first.
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
        """Release the session when its loop goes, not with the door that let go of it."""
        self._with_owner.detach()

    def cancel(self) -> None:
        """Nothing to release: the session was closed properly."""
        self._with_owner.detach()
        self._with_loop.detach()


def _retry_after(error: BaseException) -> float | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    value = headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _find_provider_error(error: BaseException, model: str) -> LLMError | None:
    """Map an openai/litellm/httpx error anywhere in the cause chain onto our tree."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        mapped = _map_one(current, model)
        if mapped is not None:
            return mapped
        for attempt in getattr(current, "failed_attempts", None) or []:
            nested = getattr(attempt, "exception", None)
            if nested is not None and (inner := _map_one(nested, model)) is not None:
                return inner
        current = current.__cause__ or current.__context__
    return None


def _refused_or_dropped(error: BaseException) -> BaseException | None:
    """The connection failure behind ``error``, if its cause chain holds one that is not a timeout.

    httpx-aiohttp reports every aiohttp connection error, a refused connection included, as httpx's
    ``ConnectTimeout``, which openai turns into ``APITimeoutError``; the cause chain keeps the truth.
    """
    seen: set[int] = set()
    current: BaseException | None = error.__cause__ or error.__context__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names = {klass.__name__ for klass in type(current).__mro__}
        if not isinstance(current, TimeoutError) and (
            isinstance(current, ConnectionError) or "ClientConnectionError" in names
        ):
            return current
        current = current.__cause__ or current.__context__
    return None


def _map_one(error: BaseException, model: str) -> LLMError | None:
    name = type(error).__name__
    message = f"{model}: {error}"
    if name in {"APITimeoutError", "Timeout", "TimeoutException", "ReadTimeout", "ConnectTimeout"}:
        if (failure := _refused_or_dropped(error)) is not None:
            return LLMConnectionError(
                f"cannot reach {model}: {failure}. Is the server running and the api_base right?", model=model
            )
        return LLMTimeoutError(
            f"{model} did not answer in time; raise CLAIMSCOPE_REQUEST_TIMEOUT_S or try again", model=model
        )
    if name == "RateLimitError":
        return LLMRateLimitError(message, model=model, retry_after=_retry_after(error))
    if name in {"APIConnectionError", "ConnectError", "ServiceUnavailableError"}:
        return LLMConnectionError(
            f"cannot reach {model}: {error}. Is the server running and the api_base right?", model=model
        )
    if name in {"AuthenticationError", "PermissionDeniedError"}:
        return LLMAuthError(f"{model} refused the credentials; check the API key", model=model)
    if name in {"BadRequestError", "NotFoundError", "InternalServerError", "APIStatusError", "APIError"}:
        status = getattr(error, "status_code", None)
        if status == 429:
            return LLMRateLimitError(message, model=model, retry_after=_retry_after(error))
        if status is not None and status >= 500:
            # A server error is transient as far as a caller can tell: retried like an outage.
            return LLMConnectionError(message, model=model)
        return LLMError(message, model=model)
    return None
