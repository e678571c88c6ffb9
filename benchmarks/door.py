"""Client CPU per request through the LLM door alone, for a plain response class and a narrowed one.

No extraction around it: the same question sent ``requests`` times at ``concurrency`` in flight to the
fake server, so the figure is the door's own cost (instructor, the openai client, HTTP, validation).
The question carries a 3 KB user message, the size of the benchmark articles.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from pydantic import BaseModel

from benchmarks.fake_openai_server import FakeServer
from extractor.llm.client import InstructorLLM
from extractor.llm.constrained import ResponseSpec
from extractor.llm.drafts import speaker_model

__all__ = ["door_cpu_per_request"]


class _Answer(BaseModel):
    """A plain (not narrowed) response class."""

    speaker: str


def door_cpu_per_request(server: FakeServer, requests: int, concurrency: int) -> dict[str, Any]:
    """Client CPU milliseconds per request, plain and narrowed, measured one after the other."""
    messages = [
        {"role": "system", "content": "You read news articles and answer questions about who says what."},
        {"role": "user", "content": "Who said the harbour tax must go? " * 90},
    ]

    async def measure(spec: ResponseSpec[BaseModel]) -> float:
        llm = InstructorLLM(
            "openai/local-bench-door", api_base=server.base_url, api_key="sk-bench", timeout_s=60.0
        )
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                await llm.complete(messages, spec)

        try:
            await one()  # imports and the first connection, outside the clock
            started = time.process_time()
            await asyncio.gather(*(one() for _ in range(requests)))
            spent = time.process_time() - started
        finally:
            await llm.aclose()  # in this loop, also when a request failed
        return 1000 * spent / requests

    plain = asyncio.run(measure(_Answer))
    narrowed = asyncio.run(measure(speaker_model(["ada-moss", "sam-reyes"])))
    return {
        "requests": requests,
        "concurrency": concurrency,
        "plain_ms_per_request": round(plain, 3),
        "narrowed_ms_per_request": round(narrowed, 3),
    }
