"""The client's CPU per 10 KB article, split into the spaCy parse and everything else.

- **Parse**: ``time.process_time`` over :func:`extractor.text.nlp.parse` of fresh synthetic articles
  (:mod:`benchmarks.articles`), each text new to the parse cache, after one warm-up parse that loads the
  pipeline. Process time counts every thread, so a parser that spreads over cores is not flattered.
- **Rest**: the same articles parsed first (so the pipeline finds them in the parse cache), then whole
  extractions with :class:`~extractor.testing.FakeLLM` at zero latency, the fake's own answer generation
  subtracted: prompt rendering, response models, validation, grounding, the stages' own code. Whether
  the extraction still parsed anything the warm-up did not (a stage parsing other text than the
  article's) is counted by the loaded pipeline's lookups and reported as ``parses_during_extraction``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchmarks.articles import articles
from benchmarks.cpu import TimedHandler
from extractor import Extractor, Settings
from extractor.testing import FakeLLM
from extractor.text import nlp

__all__ = ["text_cpu"]

_TEN_KB = 10_000


def _parse_ms(texts: list[str]) -> float:
    started = time.process_time()
    for text in texts:
        nlp.parse(text)
    return 1000 * (time.process_time() - started) / len(texts)


def text_cpu(count: int, size: int = _TEN_KB, seed: int = 31) -> dict[str, Any]:
    """Parse CPU ms and the rest of the client CPU ms per article of ``size`` characters."""
    # Distinct seeds for the parse and extraction sets: neither may find the other's texts cached.
    warm_up, *parse_texts = articles(count + 1, size, seed=seed)
    extract_texts = articles(count + 1, size, seed=seed + 1)
    nlp.parse(warm_up)
    parse_ms = _parse_ms(parse_texts)

    handler = TimedHandler()
    extractor = Extractor(llm=FakeLLM(handler), use_cache=False, settings=Settings(cache_enabled=False))

    async def run() -> tuple[float, int]:
        # The warm-up extraction pays for imports and the first response models, not the timed loop.
        nlp.parse(extract_texts[-1])
        await extractor.aextract(extract_texts[-1])
        nlp.parse_many(extract_texts[:count])
        lookups = nlp.load_pipeline.cache_info().hits
        handler.cpu_s = 0.0
        started = time.process_time()
        for text in extract_texts[:count]:
            await extractor.aextract(text)
        spent = time.process_time() - started - handler.cpu_s
        return spent, nlp.load_pipeline.cache_info().hits - lookups

    spent, parses = asyncio.run(run())
    rest_ms = 1000 * spent / count
    return {
        "chars": size,
        "articles": count,
        "parse_cpu_ms_per_article": round(parse_ms, 3),
        "parse_cpu_ms_per_10kb": round(parse_ms * _TEN_KB / size, 3),
        "rest_cpu_ms_per_article": round(rest_ms, 3),
        "fake_llm_ms_per_article": round(1000 * handler.cpu_s / count, 3),
        "parses_during_extraction": parses,
        "pipeline": nlp.load_pipeline().pipe_names,
    }
