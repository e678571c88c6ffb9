"""The outermost request layer: body size limit, request metrics and the last-resort error answer.

A pure ASGI middleware rather than ``BaseHTTPMiddleware``, so streamed request and response bodies pass
through without buffering.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from extractor.api.metrics import Metrics
from extractor.api.problems import ApiProblem, internal_error, problem_for_http, problem_response

__all__ = ["BodyTooLargeError", "RequestMiddleware"]

logger = logging.getLogger("claimscope.api")


class BodyTooLargeError(ApiProblem):
    """The request body passed the configured limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            "body_too_large",
            f"request body is larger than {limit:,} bytes; send fewer or shorter articles, or use "
            "POST /v1/jobs for large inputs",
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class RequestMiddleware:
    """Enforce the body limit, time and count every request, and turn crashes into a 500 problem.

    Args:
        app: The wrapped ASGI app.
        metrics: Where request counts and latencies go.
        body_limit: Bytes allowed for a request body, given the method, path and media type.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics, body_limit: Callable[[str, str, str], int]) -> None:
        self.app = app
        self.metrics = metrics
        self.body_limit = body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        media_type = (_header(scope, b"content-type") or "").partition(";")[0].strip().lower()
        limit = self.body_limit(method, path, media_type)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = int(message["status"])
                response_started = True
            await send(message)

        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        self.metrics.in_flight.inc()
        try:
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                # Refused before reading a byte of it.
                refusal = BodyTooLargeError(limit)
                await problem_response(problem_for_http(refusal, path), refusal.headers)(
                    scope, receive, send_wrapper
                )
                return
            try:
                await self.app(scope, receive_limited, send_wrapper)
            except BodyTooLargeError as error:
                # Raised outside a route (e.g. while a streaming upload was read): answer if still possible.
                if response_started:
                    raise
                await problem_response(problem_for_http(error, path))(scope, receive, send_wrapper)
            except Exception:
                logger.exception("unhandled error on %s %s", method, path)
                if response_started:
                    raise
                await problem_response(internal_error(path))(scope, receive, send_wrapper)
        finally:
            self.metrics.in_flight.dec()
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)
