"""Provider exceptions mapped onto claimscope's error tree."""

from __future__ import annotations

import httpx
import openai
import pytest

from extractor.errors import (
    LLMAuthError,
    LLMConnectionError,
    LLMError,
    LLMRateLimitError,
    LLMTimeoutError,
)
from extractor.llm.error_map import map_provider_error, retry_after_of

REQUEST = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def _status(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx.Response(
        status, headers=headers or {}, request=REQUEST, json={"error": {"message": "x"}}
    )
    return openai.APIStatusError("provider says x", response=response, body=None)


def _raised_from(error: BaseException, cause: BaseException) -> BaseException:
    try:
        raise error from cause
    except BaseException as raised:
        return raised


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (openai.APITimeoutError(request=REQUEST), LLMTimeoutError),
        (openai.APIConnectionError(request=REQUEST), LLMConnectionError),
        (
            openai.RateLimitError(
                "slow", response=httpx.Response(429, request=REQUEST, headers={"retry-after": "2"}), body=None
            ),
            LLMRateLimitError,
        ),
        (
            openai.AuthenticationError("no", response=httpx.Response(401, request=REQUEST), body=None),
            LLMAuthError,
        ),
        (_status(503), LLMConnectionError),  # transient as far as a caller can tell
        (_status(429), LLMRateLimitError),
        (httpx.ReadTimeout("slow", request=REQUEST), LLMTimeoutError),
    ],
)
def test_provider_errors_map_onto_the_tree(error: BaseException, expected: type[LLMError]) -> None:
    mapped = map_provider_error(error, "m")
    assert type(mapped) is expected
    assert mapped is not None and mapped.model == "m"


def test_a_client_error_is_a_plain_llm_error_naming_the_model_and_the_provider_words() -> None:
    mapped = map_provider_error(_status(400), "openai/x")
    assert type(mapped) is LLMError
    assert "openai/x" in str(mapped) and "provider says x" in str(mapped)


def test_a_rate_limit_carries_the_retry_after_header() -> None:
    mapped = map_provider_error(_status(429, {"retry-after": "1.5"}), "m")
    assert isinstance(mapped, LLMRateLimitError) and mapped.retry_after == 1.5


@pytest.mark.parametrize(("header", "seconds"), [("3", 3.0), ("Wed, 21 Oct 2015 07:28:00 GMT", None)])
def test_retry_after_reads_seconds_and_ignores_dates(header: str, seconds: float | None) -> None:
    assert retry_after_of(_status(429, {"retry-after": header})) == seconds
    assert retry_after_of(ValueError("no response")) is None


def test_the_error_is_found_anywhere_in_the_cause_chain() -> None:
    wrapped = _raised_from(RuntimeError("library wrapper"), openai.APITimeoutError(request=REQUEST))
    assert isinstance(map_provider_error(wrapped, "m"), LLMTimeoutError)


def test_a_connect_timeout_caused_by_a_refused_connection_is_a_connection_error() -> None:
    # httpx-aiohttp reports a refused connection as ConnectTimeout; the cause chain keeps the truth.
    timeout = _raised_from(httpx.ConnectTimeout("connect"), ConnectionRefusedError(111, "refused"))
    api = _raised_from(openai.APITimeoutError(request=REQUEST), timeout)
    mapped = map_provider_error(api, "m")
    assert isinstance(mapped, LLMConnectionError)
    assert "Is the server running" in str(mapped)


def test_an_unknown_error_is_not_mapped() -> None:
    assert map_provider_error(ValueError("ours"), "m") is None
