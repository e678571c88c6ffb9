"""Fakes for tests, shipped so users can test their own code without a model.

:class:`FakeLLM` implements :class:`~extractor.llm.LLMClient`. By default it answers every request with a
schema-valid instance built from the response model's JSON schema; give it a ``handler`` to decide the
answers yourself or to inject faults::

    def handler(call: FakeCall) -> object:
        if "Sheinbaum" in call.user_text:
            return {"items": []}          # a dict or model instance: validated like a real answer
        return "not json"                 # a string: parsed; invalid text triggers re-asks
        # or raise / return an exception: LLMTimeoutError, LLMRateLimitError(...)

    extractor = Extractor(llm=FakeLLM(handler))
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel

from extractor.errors import (
    ConfigError,
    LLMConnectionError,
    LLMError,
    LLMRateLimitError,
    LLMTimeoutError,
)
from extractor.llm.constrained import Constrained, ResponseSpec
from extractor.llm.protocol import Completion, Message
from extractor.llm.retry import Reply, RetryPolicy, complete_with_retries, validate_reply
from schemas import Usage

__all__ = ["FakeCall", "FakeLLM", "fake_llm_from_model", "minimal_instance", "minimal_json"]

ResponseT = TypeVar("ResponseT", bound=BaseModel)


@dataclass(frozen=True)
class FakeCall:
    """One request the fake received."""

    messages: tuple[Message, ...]
    response_model: ResponseSpec[BaseModel]
    attempt: int
    max_tokens: int

    @property
    def user_text(self) -> str:
        """All user-message text, joined."""
        return "\n".join(m["content"] for m in self.messages if m.get("role") == "user")

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON schema of the requested response model."""
        return self.response_model.model_json_schema()


Handler = Callable[[FakeCall], object]


@dataclass
class FakeLLM:
    """An in-process stand-in for a model, answering through the real door's retry loop.

    Every request goes through :func:`extractor.llm.retry.complete_with_retries`, the loop
    ``InstructorLLM`` uses: invalid answers are re-asked (the next :class:`FakeCall` carries the re-ask
    messages a real model would see), and injected timeouts, rate limits and connection errors are
    retried with backoff when ``transient_retries`` allows, else raised at once.

    Attributes:
        handler: Decides each answer; None answers with :func:`minimal_instance`.
        model: Name reported in provenance.
        max_retries: Re-asks after invalid output, like ``InstructorLLM``.
        latency_s: Seconds each request takes (awaited, so it overlaps under concurrency).
        prompt_tokens: Tokens counted per request sent.
        completion_tokens: Tokens counted per answer.
        calls: Every request received, in order.
        transient_retries: Retries after an injected timeout, rate limit or connection error; 0 raises
            the first one, so callers' own handling of them is what a test sees.
        backoff_base_s: First wait before such a retry (a rate limit's ``retry_after`` wins).
    """

    handler: Handler | None = None
    model: str = "fake/llm"
    max_retries: int = 2
    latency_s: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 20
    calls: list[FakeCall] = field(default_factory=list)
    transient_retries: int = 0
    backoff_base_s: float = 1.0

    async def complete(
        self,
        messages: Sequence[Message],
        response_model: ResponseSpec[ResponseT],
        *,
        max_tokens: int = 1024,
        choice_logprobs: bool = False,
    ) -> Completion[ResponseT]:
        """Answer like a model would, re-asking on invalid output (with no log-probabilities)."""
        sent = itertools.count(1)

        async def attempt(conversation: Sequence[Message]) -> Reply[ResponseT]:
            call = FakeCall(tuple(conversation), response_model, next(sent), max_tokens)
            self.calls.append(call)
            if self.latency_s:
                await asyncio.sleep(self.latency_s)
            answer = self.handler(call) if self.handler else minimal_instance(response_model)
            if isinstance(answer, BaseException):
                raise answer
            usage = Usage(
                prompt_tokens=self.prompt_tokens, completion_tokens=self.completion_tokens, requests=1
            )
            return validate_reply(response_model, _as_text(answer), usage)

        policy = RetryPolicy(
            max_retries=self.max_retries,
            transient_retries=self.transient_retries,
            backoff_base_s=self.backoff_base_s,
        )
        return await complete_with_retries(attempt, messages, response_model, policy=policy, model=self.model)


def _as_text(answer: object) -> str:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, BaseModel):
        return answer.model_dump_json()
    return json.dumps(answer)


def minimal_instance(response_model: ResponseSpec[ResponseT]) -> ResponseT:
    """Build the smallest valid instance of a model from its JSON schema (first enum member, etc.).

    A constrained request that carries code's own answer (validation context ``code_guess``) gets that
    answer, so questions whose first enum member would mean something (a stance) get a plausible one.
    """
    if isinstance(response_model, Constrained):  # one request's choices: never asked again
        guess = response_model.context.get("code_guess")
        if guess is not None:
            return response_model.model_validate(guess)
        return response_model.model_validate(minimal_json(response_model.model_json_schema()))
    return response_model.model_validate(_minimal_for(response_model))


@lru_cache(maxsize=512)
def _minimal_for(response_model: type[BaseModel]) -> Any:
    # Generating a JSON schema costs milliseconds; a load test must measure the pipeline, not the fake.
    return minimal_json(response_model.model_json_schema())


def minimal_json(schema: dict[str, Any]) -> Any:
    """The smallest JSON value valid against a (pydantic-generated) JSON schema."""
    return _value_for(schema, schema.get("$defs", {}))


def _value_for(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _value_for(defs[schema["$ref"].split("/")[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _value_for(schema[key][0], defs)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _value_for(properties[name], defs) for name in schema.get("required", [])}
    if kind == "array":
        item = _value_for(schema.get("items", {}), defs)
        return [item] * int(schema.get("minItems", 0))
    if kind == "string":
        return "x" * max(int(schema.get("minLength", 1)), 1)
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return float(schema.get("minimum", 0))
    if kind == "boolean":
        return False
    return None


_FAULTS = ("fail", "timeout", "ratelimit", "garbage", "unreachable")


class _Forgetful(list[FakeCall]):
    """A call log that keeps nothing, so a long fake batch does not grow in memory."""

    def append(self, call: FakeCall) -> None:
        """Drop the call."""


def fake_llm_from_model(model: str) -> FakeLLM:
    """A :class:`FakeLLM` configured by a ``fake/key=value,...`` model string (a testing aid).

    ``Extractor(model="fake/latency=0.05,timeout=0.1,seed=3")`` (and ``--model`` on every command) runs on
    the fake in process, without network. Options: ``latency`` (seconds per request), and per-request
    probabilities ``fail`` (an LLMError), ``timeout``, ``ratelimit`` (a 429 with Retry-After ``retry_after``,
    default 0.01 s), ``garbage`` (invalid JSON, re-asked), ``unreachable``; ``seed`` makes draws repeatable.
    """
    options: dict[str, float] = {}
    spec = model.removeprefix("fake/")
    for part in filter(None, spec.split(",")):
        key, _, value = part.partition("=")
        if key not in (*_FAULTS, "latency", "retry_after", "seed") or not value:
            raise ConfigError(f"bad fake model option {part!r} in {model!r}; see extractor.testing")
        try:
            options[key] = float(value)
        except ValueError as error:
            raise ConfigError(f"fake model option {key} needs a number, not {value!r}") from error
    rng = random.Random(options.get("seed"))
    retry_after = options.get("retry_after", 0.01)

    def handler(call: FakeCall) -> object:
        draw = rng.random()
        for fault in _FAULTS:
            draw -= options.get(fault, 0.0)
            if draw < 0:
                return _fault(fault, model, retry_after)
        return minimal_instance(call.response_model)

    return FakeLLM(handler, model=model, latency_s=options.get("latency", 0.0), calls=_Forgetful())


def _fault(kind: str, model: str, retry_after: float) -> object:
    if kind == "garbage":
        return "{this is not json"
    if kind == "timeout":
        return LLMTimeoutError(f"{model}: injected timeout", model=model)
    if kind == "ratelimit":
        return LLMRateLimitError(f"{model}: injected 429", model=model, retry_after=retry_after)
    if kind == "unreachable":
        return LLMConnectionError(f"{model}: injected connection failure", model=model)
    return LLMError(f"{model}: injected failure", model=model)
