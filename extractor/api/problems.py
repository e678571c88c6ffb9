"""RFC 9457 problem documents: every error the service returns, with a stable ``type`` and no stack trace.

The ``type`` of a problem is ``urn:claimscope:problem:<code>``, where ``code`` is the stable ``code`` of the
:mod:`extractor.errors` class (``llm_timeout``, ``article_too_large``...) or one of the service's own codes
(``unauthorized``, ``rate_limited``, ``body_too_large``, ``validation_error``...). Clients should branch on
``type`` (or the ``code`` extension member), never on ``detail``, which is for humans.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

from extractor.errors import (
    ArticleTooLargeError,
    BudgetExceededError,
    ClaimscopeError,
    EmbeddedModelError,
    InputError,
    LLMConnectionError,
    LLMError,
    LLMOutputError,
    LLMRateLimitError,
    LLMTimeoutError,
)

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ApiProblem",
    "FieldError",
    "Problem",
    "install_problem_handlers",
    "internal_error",
    "problem_for_code",
    "problem_for_error",
    "problem_for_http",
    "problem_response",
    "problem_type",
    "public_detail",
]

logger = logging.getLogger("claimscope.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
_MAX_DETAIL_CHARS = 1000
_DEFAULT_LLM_RETRY_AFTER_S = 30

# Most specific first: the first class an error is an instance of decides its status.
_STATUS_BY_ERROR: tuple[tuple[type[ClaimscopeError], int], ...] = (
    (ArticleTooLargeError, 413),
    (InputError, 422),
    (LLMRateLimitError, 429),
    (LLMTimeoutError, 504),
    (LLMConnectionError, 503),
    (LLMOutputError, 502),
    (LLMError, 502),
    (EmbeddedModelError, 503),
    (BudgetExceededError, 429),
)

_HTTP_CODES: Mapping[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthorized", "A valid API key is required."),
    403: ("forbidden", "This request is not allowed."),
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This method is not allowed on this resource."),
    406: ("not_acceptable", "No acceptable representation."),
    413: ("body_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "The request body has an unsupported media type."),
    429: ("rate_limited", "Too many requests."),
}


def problem_type(code: str) -> str:
    """The stable ``type`` URI of a problem code."""
    return f"urn:claimscope:problem:{code}"


class FieldError(BaseModel):
    """One request validation failure (the offending input is never echoed back)."""

    model_config = ConfigDict(frozen=True)

    loc: list[str | int]
    """Where the error is, e.g. ``["body", "text"]``."""

    msg: str
    """What is wrong."""

    type: str
    """pydantic's error type, e.g. ``missing`` or ``string_type``."""


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    model_config = ConfigDict(frozen=True)

    type: str
    """Stable URI of the problem kind: ``urn:claimscope:problem:<code>``."""

    title: str
    """Short human summary of the problem kind."""

    status: int = Field(ge=400, le=599)
    """HTTP status code."""

    detail: str | None = None
    """What went wrong this time and what to do about it."""

    instance: str | None = None
    """The request path that failed."""

    code: str
    """The stable machine-readable code (the last part of ``type``)."""

    errors: list[FieldError] | None = None
    """Validation failures, for ``validation_error`` problems."""


class ApiProblem(HTTPException):
    """An error raised by the service itself, rendered as a problem document.

    It is an :class:`HTTPException` so that FastAPI's body reading passes it through untouched.

    Args:
        status: HTTP status code.
        code: Stable machine-readable code.
        detail: Human explanation, saying what to do next.
        title: Summary of the problem kind; defaults to a generic title for the status.
        headers: Extra response headers (``Retry-After``, ``WWW-Authenticate``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=dict(headers) if headers else None)
        self.code = code
        self.title = title or _HTTP_CODES.get(status, (code, "Request failed."))[1]


def _title_of(error: ClaimscopeError) -> str:
    doc = (type(error).__doc__ or "").strip()
    return doc.splitlines()[0] if doc else type(error).__name__


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_DETAIL_CHARS else text[: _MAX_DETAIL_CHARS - 1] + "…"


def _error_classes(root: type[ClaimscopeError] = ClaimscopeError) -> Iterator[type[ClaimscopeError]]:
    yield root
    for sub in root.__subclasses__():
        yield from _error_classes(sub)


def _status_of(cls: type[ClaimscopeError]) -> int:
    return next((status for known, status in _STATUS_BY_ERROR if issubclass(cls, known)), 500)


def _code_class(code: str) -> type[ClaimscopeError] | None:
    return next((found for found in _error_classes() if found.code == code), None)


def public_detail(code: str, message: str) -> str:
    """What a client may read of an error: model and server failures only by their class.

    The messages of provider, connection and embedded-model errors carry hosts, addresses and the reprs of
    internal objects; a client learns what kind of failure it was, and the operator reads the log.
    Input and output errors (about the client's own article) keep their message.
    """
    if code in ("internal_error", "sink_error"):
        return f"the server failed ({code}); details are in the server log"
    cls = _code_class(code)
    if cls is None or not issubclass(cls, LLMError | EmbeddedModelError) or issubclass(cls, LLMOutputError):
        return message
    doc = (cls.__doc__ or "").strip()
    summary = doc.splitlines()[0].rstrip(".") if doc else "the model failed"
    return f"{summary} ({cls.__name__}); details are in the server log"


def problem_for_code(code: str, detail: str | None, *, instance: str | None = None) -> Problem:
    """The problem document of an error known only by its code (e.g. a batch engine error record)."""
    cls = _code_class(code)
    detail = public_detail(code, detail) if detail else detail
    if cls is None:
        return (
            internal_error(instance)
            if code == "internal_error"
            else Problem(
                type=problem_type(code),
                title="Extraction failed.",
                status=500,
                detail=detail,
                instance=instance,
                code=code,
            )
        )
    doc = (cls.__doc__ or "").strip()
    return Problem(
        type=problem_type(code),
        title=doc.splitlines()[0] if doc else cls.__name__,
        status=_status_of(cls),
        detail=_clip(detail) if detail else None,
        instance=instance,
        code=code,
    )


def problem_for_error(
    error: ClaimscopeError, *, instance: str | None = None
) -> tuple[Problem, dict[str, str]]:
    """The problem document and extra headers for a claimscope error."""
    status = _status_of(type(error))
    headers: dict[str, str] = {}
    if isinstance(error, LLMRateLimitError):
        wait = error.retry_after if error.retry_after is not None else _DEFAULT_LLM_RETRY_AFTER_S
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    problem = Problem(
        type=problem_type(error.code),
        title=_title_of(error),
        status=status,
        detail=_clip(public_detail(error.code, str(error))) or None,
        instance=instance,
        code=error.code,
    )
    return problem, headers


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """Render a problem document with the problem media type."""
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        headers=dict(headers) if headers else None,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def problem_for_http(exc: HTTPException, instance: str | None = None) -> Problem:
    """The problem document of an HTTP exception (our :class:`ApiProblem` or FastAPI's own)."""
    if isinstance(exc, ApiProblem):
        return Problem(
            type=problem_type(exc.code),
            title=exc.title,
            status=exc.status_code,
            detail=exc.detail,
            instance=instance,
            code=exc.code,
        )
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI turns an undecodable JSON body into a bare 400; say what it was, like the SDK does.
        return Problem(
            type=problem_type("decode_error"),
            title="Input bytes are not UTF-8 text.",
            status=422,
            detail="the request body is not valid UTF-8; send JSON encoded as UTF-8",
            instance=instance,
            code="decode_error",
        )
    code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "Request failed."))
    detail = exc.detail if isinstance(exc.detail, str) else None
    return Problem(
        type=problem_type(code),
        title=title,
        status=exc.status_code,
        detail=detail,
        instance=instance,
        code=code,
    )


def _field_errors(errors: Any) -> list[FieldError]:
    found = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        found.append(FieldError(loc=loc, msg=str(error.get("msg", "")), type=str(error.get("type", ""))))
    return found[:50]


def _methods_of(routes: Any, scope: Any) -> set[str]:
    """Methods of every route (routers included) whose path matches ``scope``'s."""
    methods: set[str] = set()
    for route in routes:
        # An included router (no prefix here) holds its routes itself, or behind ``original_router``.
        nested = getattr(route, "routes", None) or getattr(
            getattr(route, "original_router", None), "routes", None
        )
        if nested is not None:
            methods |= _methods_of(nested, scope)
        elif getattr(route, "methods", None) and route.matches(scope)[0] is Match.PARTIAL:
            methods |= set(route.methods)
    return methods


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = exc.headers
    if exc.status_code == 405:
        # Starlette names the methods of the first route matching the path only; a path served by
        # several routes (GET and DELETE of a job) must list them all.
        methods = _methods_of(request.app.routes, request.scope)
        if methods:
            headers = {**(headers or {}), "Allow": ", ".join(sorted(methods))}
    return problem_response(problem_for_http(exc, request.url.path), headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc.errors())
    problem = Problem(
        type=problem_type("validation_error"),
        title="The request does not match the schema.",
        status=422,
        detail="; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in errors[:5]) or None,
        instance=request.url.path,
        code="validation_error",
        errors=errors,
    )
    return problem_response(problem)


async def _on_claimscope_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ClaimscopeError)
    problem, headers = problem_for_error(exc, instance=request.url.path)
    if problem.status >= 500:
        logger.warning("request %s failed: %s", request.url.path, exc.code)
    return problem_response(problem, headers)


def internal_error(instance: str | None) -> Problem:
    """The problem document of an unexpected failure: it says nothing about the failure's insides."""
    return Problem(
        type=problem_type("internal_error"),
        title="Internal server error.",
        status=500,
        detail="the server failed unexpectedly; the error was logged",
        instance=instance,
        code="internal_error",
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Make every expected error come out as a problem document.

    Unexpected exceptions are caught by the request middleware (:mod:`extractor.api.middleware`), which
    logs them once and answers with :func:`internal_error`.
    """
    app.add_exception_handler(HTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(ClaimscopeError, _on_claimscope_error)
