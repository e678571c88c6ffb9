"""Where the rest of the client CPU goes: three parts every extraction pays, and the stages' own rules.

``text_cpu``'s rest (an extraction's CPU outside the model's wait and the spaCy parse) is split, on the same
synthetic articles in one run, into:

- **reading the parse**: the token table every stage reads (:func:`extractor.text.tokens.token_table`),
  built once per article from its parse;
- **the model door**: :meth:`extractor.testing.FakeLLM.complete` for every question asked, which runs the
  real retry loop (the request's record, validating the answer into its response class), minus the fake's
  own answer generation;
- **validating the output**: the article's public :class:`~schemas.ArticleExtraction` validated from plain
  data, which is what the validated objects an extraction returns cost at the least (the pipeline pays it
  while it builds them, so this figure is measured on its own, after the extraction);
- **stages**: the remainder, the stages' own rules over sentences, mentions and claims.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.articles import articles
from benchmarks.cpu import TimedHandler
from extractor import Extractor, Settings
from extractor.llm.constrained import ResponseSpec
from extractor.llm.protocol import Completion, Message
from extractor.testing import FakeLLM
from extractor.text import nlp
from extractor.text.tokens import token_table
from schemas import ArticleExtraction

__all__ = ["rest_parts"]

_TEN_KB = 10_000


@dataclass
class _MeteredFake(FakeLLM):
    """A fake model that keeps the CPU its ``complete`` calls take (the fake's answers included)."""

    cpu_s: float = 0.0

    async def complete(
        self,
        messages: Sequence[Message],
        response_model: ResponseSpec[Any],
        *,
        max_tokens: int = 1024,
        choice_logprobs: bool = False,
    ) -> Completion[Any]:
        # With no latency nothing in the call waits, so no other question's CPU falls inside this timer.
        started = time.process_time()
        try:
            return await super().complete(
                messages, response_model, max_tokens=max_tokens, choice_logprobs=choice_logprobs
            )
        finally:
            self.cpu_s += time.process_time() - started


def _validation_s(plain: dict[str, Any], repeats: int = 3) -> float:
    """Seconds to validate one extraction's plain data into the public schema, the least of ``repeats``."""
    # The least, because a garbage collection landing in one validation is not the validation's cost.
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        ArticleExtraction.model_validate(plain)
        best = min(best, time.process_time() - started)
    return best


def rest_parts(count: int, size: int = _TEN_KB, seed: int = 47, rounds: int = 3) -> dict[str, Any]:
    """The rest of the client CPU per article and its parts, in ms: the best of ``rounds`` passes, each over
    ``count`` new articles of ``size`` characters."""
    handler = TimedHandler()
    model = _MeteredFake(handler)
    extractor = Extractor(llm=model, use_cache=False, settings=Settings(cache_enabled=False))

    async def extract(text: str) -> tuple[float, float, ArticleExtraction]:
        """One extraction: its CPU outside the fake's answers, the door's share of it, the result."""
        handler.cpu_s = model.cpu_s = 0.0
        started = time.process_time()
        result = await extractor.aextract(text)
        spent = time.process_time() - started - handler.cpu_s
        return spent, model.cpu_s - handler.cpu_s, result

    asyncio.run(extract(articles(1, size, seed=seed)[0]))  # imports, the first response classes
    passes: list[dict[str, float]] = []
    for round_seed in range(seed + 1, seed + 1 + rounds):
        # New articles each round: a parse's token table is read once, so each round reads new ones.
        texts = articles(count, size, seed=round_seed)
        docs = nlp.parse_many(texts)
        started = time.process_time()
        for doc in docs:
            token_table(doc)
        read_s = time.process_time() - started
        extraction_s = door_s = validation_s = 0.0
        for text in texts:
            spent, door, result = asyncio.run(extract(text))
            extraction_s, door_s = extraction_s + spent, door_s + door
            validation_s += _validation_s(result.model_dump())
        rest_s = read_s + extraction_s
        passes.append(
            {
                "rest": rest_s,
                "parse_read": read_s,
                "model_door": door_s,
                "output_validation": validation_s,
                "stages": rest_s - read_s - door_s - validation_s,
            }
        )
    best = min(passes, key=lambda row: row["rest"])
    per_article = {name: round(1000 * seconds / count, 3) for name, seconds in best.items()}
    return {
        "chars": size,
        "articles": count,
        "rounds": rounds,
        "ms_per_article": per_article,
        "share_of_rest": {
            name: round(seconds / best["rest"], 3) for name, seconds in best.items() if name != "rest"
        },
    }
