"""One structured attempt through instructor's public API, in its JSON-schema mode.

instructor builds the request for a response model (``response_format`` with the model's JSON schema) and
parses and validates the answer; it is given no retries of its own (``max_retries=0``), because the
door's one loop (:mod:`extractor.llm.retry`) re-asks and backs off for the door and the fakes alike.
``instructor.patch(create=...)`` wraps a send function of ours, so the door sees every raw answer and its
usage, and posts the body instructor built without openai re-checking it (:mod:`extractor.llm.transport`).

A :class:`~extractor.llm.constrained.Constrained` request carries its own schema and validation context.
The schema replaces the class's in the body the send function posts; the choices are checked against the
raw answer after instructor has validated its shape. Not instructor's ``context=``: that also renders
every message as a Jinja template, so an article containing "{{" or "{%" would be altered or refused.

A request with a :class:`~extractor.llm.prefill.ChoicePrefill` or a
:class:`~extractor.llm.openings.JsonOpening` is sent prefilled and grammar-bound instead, and the server's
reply completed into its JSON answer before instructor reads it.
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import instructor
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel

from extractor.errors import ClaimscopeError
from extractor.llm.constrained import Constrained, ResponseSpec, copy_json, spec_model
from extractor.llm.error_map import map_provider_error
from extractor.llm.logprobs import first_value_logprobs
from extractor.llm.openings import JsonOpening
from extractor.llm.prefill import ChoicePrefill
from extractor.llm.protocol import Message, ResponseT
from extractor.llm.retry import InvalidOutput, Reply, validate_reply
from extractor.llm.transport import count_usage, raw_text
from schemas import Usage

__all__ = ["Send", "prepared_model", "structured_attempt"]

Send = Callable[[dict[str, Any]], Awaitable[Any]]
"""Posts one chat-completions request (the keyword arguments instructor built) and returns the
OpenAI-shaped response; provider errors propagate as the provider raised them."""


# Set while one of the door's attempts runs inside instructor (each task has its own value).
_IN_ATTEMPT: contextvars.ContextVar[bool] = contextvars.ContextVar("claimscope_in_attempt", default=False)


class _DoorAttemptsFilter(logging.Filter):
    """Drops instructor's retry-log records about the door's own attempts.

    Given ``max_retries=0``, instructor logs every invalid answer or provider error as an exhausted call
    ("Max retries exceeded"), at ERROR, which Python prints to stderr when nothing configured logging.
    The door's loop decides what happens next and raises the typed error itself; records from other
    users of instructor in the process pass untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record unless a door attempt emitted it."""
        return not _IN_ATTEMPT.get()


@functools.cache
def _quiet_instructor_retry_log() -> None:
    logging.getLogger("instructor.v2.retry").addFilter(_DoorAttemptsFilter())


@functools.lru_cache(maxsize=128)
def prepared_model(model: type[BaseModel]) -> type[BaseModel]:
    """The instructor wrapper of ``model``, built once per class, with its JSON schema generated once.

    instructor wraps a plain class (a pydantic subclass) on every request, and every request asks that
    class for its JSON schema: together a few ms of CPU, more than the HTTP exchange. An already wrapped
    class is used as it is; this subclass of it answers the schema from a copy made once.
    """
    wrapped = instructor.response_schema(model)
    schema = wrapped.model_json_schema()

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            parent: Any = super(prepared, cls)
            return cast(dict[str, Any], parent.model_json_schema(*args, **kwargs))
        # A copy per request: the schema goes into a request body, which is not ours to share.
        return copy_json(schema)

    # Named as the model from the start: pydantic's validation errors, which re-asks show the model,
    # and the json_schema name the provider sees both read the class name.
    namespace = {
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
        "__doc__": wrapped.__doc__,
        "model_json_schema": classmethod(model_json_schema),
    }
    metaclass: Any = type(wrapped)
    prepared: type[BaseModel] = metaclass(model.__name__, (wrapped,), namespace)
    return prepared


@dataclass
class _Exchange:
    """What the send function saw during one attempt."""

    answered: bool = False
    raw: str | None = None
    served: str | None = None
    """The answer's text as the server sent it (before a prefilled reply is completed)."""
    usage: Usage = field(default_factory=Usage)
    failure: Exception | None = None
    response: Any = None


async def structured_attempt(
    send: Send,
    messages: Sequence[Message],
    spec: ResponseSpec[ResponseT],
    params: dict[str, Any],
    *,
    model: str,
    prefill: ChoicePrefill | JsonOpening | None = None,
) -> Reply[ResponseT]:
    """Send one request for ``spec`` through instructor and return its valid answer.

    Args:
        send: Posts the request instructor built.
        messages: The conversation, re-asks included.
        spec: The response model, or one narrowed to this request's choices.
        params: The other request parameters (``model``, ``max_tokens``, ``temperature``, ...).
        model: Model name for errors.
        prefill: Send the request prefilled and grammar-bound (what the schema fixes is not decoded).

    Raises:
        InvalidOutput: The answer is not ``spec`` (or the body held no answer).
        LLMError: The provider failed (mapped by :mod:`extractor.llm.error_map`).
    """
    exchange = _Exchange()
    narrowed = copy_json(dict(spec.schema)) if isinstance(spec, Constrained) else None

    async def create(**request: Any) -> Any:
        if narrowed is not None:
            response_format = request["response_format"]
            request["response_format"] = {
                **response_format,
                "json_schema": {**response_format["json_schema"], "schema": narrowed},
            }
        if prefill is not None:
            request = prefill.request(request)
        try:
            response = await send(request)
        except Exception as error:
            exchange.failure = error
            raise
        exchange.answered = True
        exchange.response = response
        exchange.served = raw_text(response) if prefill is None else prefill.complete(response)
        exchange.raw = raw_text(response)
        exchange.usage = count_usage(response)
        return response

    # Typed for a synchronous create; given a coroutine function, it returns one.
    patched = cast(
        Callable[..., Awaitable[Any]], instructor.patch(create=create, mode=instructor.Mode.JSON_SCHEMA)
    )
    _quiet_instructor_retry_log()
    in_attempt = _IN_ATTEMPT.set(True)
    try:
        value = await patched(
            response_model=prepared_model(spec_model(spec)), max_retries=0, messages=list(messages), **params
        )
    except IncompleteOutputException as error:
        raise InvalidOutput(
            error, raw=exchange.raw, usage=exchange.usage, reason="was cut off at max_tokens", final=True
        ) from error
    except InstructorRetryException as error:
        raise _failure(exchange, error, model) from (exchange.failure or error)
    finally:
        _IN_ATTEMPT.reset(in_attempt)
    reply = (
        validate_reply(spec, exchange.raw or "", exchange.usage)
        if narrowed is not None
        else Reply(cast(ResponseT, value), exchange.raw, exchange.usage)
    )
    if params.get("logprobs"):
        scores = first_value_logprobs(exchange.response, exchange.served)
        return Reply(reply.value, reply.raw, reply.usage, scores)
    return reply


def _failure(exchange: _Exchange, error: InstructorRetryException, model: str) -> Exception:
    """What a failed attempt raises: the provider's error mapped, or the invalid answer."""
    failure = exchange.failure
    if failure is not None:
        if isinstance(failure, ClaimscopeError):
            return failure
        mapped = map_provider_error(failure, model)
        if mapped is not None:
            return mapped
        if isinstance(failure, json.JSONDecodeError):  # a body that is no completion: sent again as is
            return InvalidOutput(failure, raw=None, usage=Usage(requests=1))
        return failure
    cause = error.__cause__ or error
    if not exchange.answered:
        return cause if isinstance(cause, Exception) else error
    # JSON that holds no answer (no choices, no content) cannot become better by asking again.
    return InvalidOutput(cause, raw=exchange.raw, usage=exchange.usage, final=exchange.raw is None)
