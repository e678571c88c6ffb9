"""Provider and library exceptions mapped onto :mod:`extractor.errors`.

openai, litellm, httpx and aiohttp each have their own error types; callers see only claimscope's. The
mapping goes by class name rather than by ``isinstance`` so it needs none of those libraries imported
(litellm alone takes seconds), and it reads the whole cause chain, because the meaningful error is often
wrapped by the layer above it. Messages name the model and the provider's own words, never an internal
object: the original stays on ``__cause__``.
"""

from __future__ import annotations

from extractor.errors import LLMAuthError, LLMConnectionError, LLMError, LLMRateLimitError, LLMTimeoutError

__all__ = ["map_provider_error", "retry_after_of"]

_TIMEOUTS = frozenset({"APITimeoutError", "Timeout", "TimeoutException", "ReadTimeout", "ConnectTimeout"})
_UNREACHABLE = frozenset({"APIConnectionError", "ConnectError", "ServiceUnavailableError"})
_REFUSED = frozenset({"AuthenticationError", "PermissionDeniedError"})
_STATUS = frozenset({"BadRequestError", "NotFoundError", "InternalServerError", "APIStatusError", "APIError"})


def map_provider_error(error: BaseException, model: str) -> LLMError | None:
    """The claimscope error for an openai/litellm/httpx error anywhere in ``error``'s cause chain.

    Returns:
        The mapped error (for the caller to ``raise ... from error``), or None when nothing in the chain
        is a known provider failure.
    """
    for current in _chain(error):
        mapped = _map_one(current, model)
        if mapped is not None:
            return mapped
    return None


def retry_after_of(error: BaseException) -> float | None:
    """Seconds from the ``Retry-After`` header of the HTTP response behind ``error``, if it has one."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    value = headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None  # an HTTP date, or garbage: the backoff decides instead


def _chain(error: BaseException) -> list[BaseException]:
    seen: set[int] = set()
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _refused_or_dropped(error: BaseException) -> BaseException | None:
    """The connection failure behind ``error``, if its cause chain holds one that is not a timeout.

    httpx-aiohttp reports every aiohttp connection error, a refused connection included, as httpx's
    ``ConnectTimeout``, which openai turns into ``APITimeoutError``; the cause chain keeps the truth.
    """
    for current in _chain(error)[1:]:
        names = {klass.__name__ for klass in type(current).__mro__}
        if not isinstance(current, TimeoutError) and (
            isinstance(current, ConnectionError) or "ClientConnectionError" in names
        ):
            return current
    return None


def _unreachable(model: str, failure: BaseException) -> LLMConnectionError:
    return LLMConnectionError(
        f"cannot reach {model}: {failure}. Is the server running and the api_base right?", model=model
    )


def _map_one(error: BaseException, model: str) -> LLMError | None:
    name = type(error).__name__
    message = f"{model}: {error}"
    if name in _TIMEOUTS:
        if (failure := _refused_or_dropped(error)) is not None:
            return _unreachable(model, failure)
        return LLMTimeoutError(
            f"{model} did not answer in time; raise CLAIMSCOPE_REQUEST_TIMEOUT_S or try again", model=model
        )
    if name == "RateLimitError":
        return LLMRateLimitError(message, model=model, retry_after=retry_after_of(error))
    if name in _UNREACHABLE:
        return _unreachable(model, error)
    if name in _REFUSED:
        return LLMAuthError(f"{model} refused the credentials; check the API key", model=model)
    if name in _STATUS:
        status = getattr(error, "status_code", None)
        if status == 429:
            return LLMRateLimitError(message, model=model, retry_after=retry_after_of(error))
        if isinstance(status, int) and status >= 500:
            # A server error is transient as far as a caller can tell: retried like an outage.
            return LLMConnectionError(message, model=model)
        return LLMError(message, model=model)
    return None
