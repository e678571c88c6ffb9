"""The door to the LLM libraries: :class:`InstructorLLM`, the :class:`LLMClient` every model call uses.

A call is the retry loop of :mod:`extractor.llm.retry` around single attempts made through instructor
(:mod:`extractor.llm.structured`), so timeouts, rate limits and invalid answers are handled in one place
for the door and the fakes; provider errors arrive mapped onto :mod:`extractor.errors`
(:mod:`extractor.llm.error_map`).

OpenAI-compatible servers (the embedded llama-server, vLLM, Ollama, OpenAI itself) are reached with the
``openai`` client directly (:mod:`extractor.llm.transport`), because importing litellm costs several
seconds; every other provider goes through litellm, whose model strings (``anthropic/...``,
``gemini/...``) are the provider switch. The LLM libraries are imported on first use, not with this
module, so importing claimscope stays fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import weakref
from collections.abc import Sequence
from typing import Any

from extractor.llm.constrained import ResponseSpec
from extractor.llm.logprobs import LOGPROB_ALTERNATIVES
from extractor.llm.openings import json_opening
from extractor.llm.prefill import choice_prefill
from extractor.llm.protocol import Completion, LLMClient, Message, ResponseT
from extractor.llm.retry import Reply, RetryPolicy, complete_with_retries
from extractor.llm.transport import HttpTransport, OpenAIConnection, count_usage

__all__ = [
    "Completion",
    "HttpTransport",
    "InstructorLLM",
    "LLMClient",
    "Message",
    "count_usage",
    "estimate_cost",
    "provider_known",
]

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


def provider_known(model: str) -> bool:
    """Whether litellm can name the provider of ``model`` (a string check: no request, no banner)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True  # else an unknown provider prints a banner on stdout
    try:
        litellm.get_llm_provider(model)
    except Exception:  # litellm raises its BadRequestError, or bare ones, for strings it cannot place
        return False
    return True


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
        prefill: Send answers' fixed JSON openings as a prefilled reply with a GBNF grammar of the rest
            (:mod:`extractor.llm.prefill` for one-field choices, :mod:`extractor.llm.openings` for the
            others), so the model decodes only what it chooses. For llama.cpp servers (the embedded
            one); litellm providers ignore it.
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
        prefill: bool = False,
    ) -> None:
        self._model = model
        self._display_model = display_model or model
        self._api_base = api_base
        self._api_key = api_key
        self._temperature = temperature
        self._timeout_s = timeout_s
        self._extra_body = extra_body or {}
        self._prefill = prefill
        self.policy = RetryPolicy(
            max_retries=max_retries, transient_retries=transient_retries, backoff_base_s=backoff_base_s
        )
        self.connection = OpenAIConnection(
            api_base=api_base, api_key=api_key, timeout_s=timeout_s, transport=http_transport
        )
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
        return self.connection.transport

    @property
    def uses_openai_client(self) -> bool:
        """True when requests go straight to an OpenAI-compatible endpoint."""
        return self._model.startswith("openai/") or (self._api_base is not None and "/" not in self._model)

    async def aclose(self) -> None:
        """Close the openai client's connection pool, if one was opened."""
        await self.connection.aclose()

    async def complete(
        self,
        messages: Sequence[Message],
        response_model: ResponseSpec[ResponseT],
        *,
        max_tokens: int = 1024,
        choice_logprobs: bool = False,
    ) -> Completion[ResponseT]:
        """Ask for ``response_model``; retry transient failures with backoff, re-ask on invalid output.

        ``choice_logprobs`` is asked of OpenAI-compatible servers only: other providers' support for
        log-probabilities varies, and a request they refuse would cost the answer.
        """
        from extractor.llm.structured import structured_attempt

        send, params = self._request(max_tokens)
        if choice_logprobs and self.uses_openai_client:
            params["logprobs"] = True
            params["top_logprobs"] = LOGPROB_ALTERNATIVES
        prefill = (
            (choice_prefill(response_model) or json_opening(response_model))
            if self._prefill and self.uses_openai_client
            else None
        )

        async def attempt(conversation: Sequence[Message]) -> Reply[ResponseT]:
            async with self._slot():
                return await structured_attempt(
                    send, conversation, response_model, params, model=self.model, prefill=prefill
                )

        return await complete_with_retries(
            attempt, messages, response_model, policy=self.policy, model=self.model
        )

    def _request(self, max_tokens: int) -> tuple[Any, dict[str, Any]]:
        """How this door sends, and the request parameters besides the messages and response format."""
        params: dict[str, Any] = {"max_tokens": max_tokens, "temperature": self._temperature}
        if self.uses_openai_client:
            params["model"] = self._model.removeprefix("openai/")
            return self._post, params
        params["model"] = self._model
        params["timeout"] = self._timeout_s
        params["num_retries"] = 0  # the door's retry loop decides
        if self._api_base:
            params["api_base"] = self._api_base
        if self._api_key:
            params["api_key"] = self._api_key
        return _litellm_completion, params

    async def _post(self, request: dict[str, Any]) -> Any:
        body = {**request, **self._extra_body} if self._extra_body else request
        return await self.connection.post(body)

    def _slot(self) -> contextlib.AbstractAsyncContextManager[Any]:
        if self._max_in_flight is None:
            return contextlib.nullcontext()
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self._max_in_flight)
        return slots


async def _litellm_completion(request: dict[str, Any]) -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return await litellm.acompletion(**request)
