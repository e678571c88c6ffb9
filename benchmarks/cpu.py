"""claimscope's own work, apart from the model's wait: CPU per article, grounding, the result cache.

- :func:`cpu_per_article`: ``time.process_time`` per article through the full pipeline with a
  :class:`~extractor.testing.FakeLLM` of zero latency answering :func:`benchmarks.instances.rich_json`
  (prompt rendering, response-model building, JSON parsing and validation, grounding, resolution and
  merging all count; the fake's own answer generation is timed and subtracted).
- :func:`grounding`: one :class:`extractor.text.grounding.Grounder` built for a long article and asked for
  every quotation in it (80 % verbatim, 15 % with typographic quotes / doubled spaces / case changes,
  5 % with a typo), at several sizes so the scaling shows.
- :func:`langextract_aligner`: langextract's resolver on the same input, in a child process with a
  timeout (it has taken minutes on small inputs).
- :func:`cache_hit_vs_miss`: the SDK with a SQLite result cache; a miss goes through the fake server.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from benchmarks.articles import articles, quoted_article
from benchmarks.fake_openai_server import FakeServer
from benchmarks.instances import rich_json, text_words
from benchmarks.throughput import close_extractor
from extractor import Extractor, Settings
from extractor.testing import FakeCall, FakeLLM

__all__ = [
    "TimedHandler",
    "cache_hit_vs_miss",
    "cpu_per_article",
    "grounding",
    "langextract_aligner",
    "vary_quotes",
]


class TimedHandler:
    """FakeLLM handler answering rich instances, keeping its own CPU time apart."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.cpu_s = 0.0
        self._schemas: dict[type[BaseModel], dict[str, Any]] = {}

    def __call__(self, call: FakeCall) -> object:
        started = time.process_time()
        spec = call.response_model
        if isinstance(spec, type):
            schema = self._schemas.get(spec)
            if schema is None:
                schema = self._schemas[spec] = spec.model_json_schema()
        else:
            # A Constrained spec carries this request's choices: its schema is this request's own.
            schema = spec.model_json_schema()
        answer = json.dumps(rich_json(schema, text_words(call.user_text), self.rng))
        self.cpu_s += time.process_time() - started
        return answer


def cpu_per_article(sizes: dict[str, int], counts: dict[str, int]) -> dict[str, dict[str, float]]:
    """CPU milliseconds per article (and requests per article) for each named size."""
    handler = TimedHandler()
    llm = FakeLLM(handler)
    extractor = Extractor(llm=llm, use_cache=False, settings=Settings(cache_enabled=False))
    out: dict[str, dict[str, float]] = {}

    async def run() -> None:
        for label, size in sizes.items():
            count = counts[label]
            texts = articles(count + 1, size, seed=7)
            await extractor.aextract(texts[-1])  # warm-up: imports, first model classes
            handler.cpu_s, calls = 0.0, len(llm.calls)
            started = time.process_time()
            for text in texts[:count]:
                await extractor.aextract(text)
            spent = time.process_time() - started - handler.cpu_s
            out[label] = {
                "chars": float(size),
                "articles": float(count),
                "cpu_ms_per_article": round(1000 * spent / count, 3),
                "fake_llm_ms_per_article": round(1000 * handler.cpu_s / count, 3),
                "requests_per_article": round((len(llm.calls) - calls) / count, 2),
            }

    asyncio.run(run())
    return out


def vary_quotes(quotes: list[str], seed: int = 0) -> list[str]:
    """The quotations as a model would return them: mostly verbatim, some retyped, a few misspelt."""
    rng = random.Random(seed)
    varied = []
    for quote in quotes:
        roll = rng.random()
        if roll < 0.05 and len(quote) > 20:
            cut = rng.randrange(5, len(quote) - 5)
            quote = quote[:cut] + quote[cut + 1 :]
        elif roll < 0.20:
            quote = quote.replace("'", "’").replace(" ", "  ", 1)
            quote = quote[0].lower() + quote[1:]
        varied.append(quote)
    return varied


def grounding(scales: list[tuple[int, int]], repeats: int = 3) -> dict[str, Any]:
    """Milliseconds to build a Grounder and locate every quote, per (chars, quotes) scale, best of repeats."""
    from extractor.text.grounding import Grounder

    rows: list[dict[str, Any]] = []
    for chars, count in scales:
        text, quotes = quoted_article(count, chars)
        needles = vary_quotes(quotes)
        best = float("inf")
        statuses: dict[str, int] = {}
        for _ in range(repeats):
            started = time.perf_counter()
            grounder = Grounder(text)
            spans = [grounder.locate(needle) for needle in needles]
            best = min(best, time.perf_counter() - started)
        for span in spans:
            statuses[span.alignment] = statuses.get(span.alignment, 0) + 1
        rows.append({"chars": len(text), "quotes": count, "ms": round(1000 * best, 3), "alignment": statuses})
    first, last = rows[0], rows[-1]
    growth = last["ms"] / first["ms"] if first["ms"] else 0.0
    return {
        "scales": rows,
        "growth": round(growth, 2),
        "size_ratio": round(last["chars"] / first["chars"], 2),
    }


def langextract_aligner(chars: int, quotes: int, timeout_s: float) -> dict[str, Any]:
    """langextract's aligner on the grounding input, in a child process killed after ``timeout_s``."""
    from benchmarks.peers import langextract_available

    missing = langextract_available()
    if missing:
        return {"status": "unavailable", "note": missing}
    code = (
        "import json; from benchmarks.articles import quoted_article; from benchmarks.cpu import vary_quotes;"
        "from benchmarks.peers import time_langextract_aligner as t;"
        f"text,q=quoted_article({quotes},{chars}); print(json.dumps(t(text, vary_quotes(q))))"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            cwd=Path(__file__).resolve().parents[1],
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "ms": None, "note": f"killed after {timeout_s:g} s"}
    if done.returncode != 0:
        return {"status": "error", "ms": None, "note": done.stderr.strip().splitlines()[-1:]}
    return {"status": "ok", "ms": round(1000 * float(done.stdout.strip().splitlines()[-1]), 3)}


def cache_hit_vs_miss(server: FakeServer, misses: int, hits: int) -> dict[str, float]:
    """Median SDK latency of a cache miss (through the fake server) and of a hit, and their ratio."""
    from extractor.cache import ResultCache

    texts = articles(misses, 3000, seed=11)
    with tempfile.TemporaryDirectory() as folder:
        cache = ResultCache(Path(folder) / "cache.sqlite3")
        settings = Settings(api_base=server.base_url, cache_enabled=True)
        extractor = Extractor(
            "openai/local-bench-cache",
            api_base=server.base_url,
            api_key="sk-bench",
            settings=settings,
            cache=cache,
            use_cache=True,
        )

        async def run() -> tuple[list[float], list[float]]:
            # Warm up imports and the connection on an article the timed loop never sees.
            await extractor.aextract(articles(1, 3000, seed=12)[0])
            miss_times, hit_times = [], []
            for text in texts:
                started = time.perf_counter()
                await extractor.aextract(text)
                miss_times.append(time.perf_counter() - started)
            for index in range(hits):
                started = time.perf_counter()
                result = await extractor.aextract(texts[index % len(texts)])
                hit_times.append(time.perf_counter() - started)
                assert result.provenance.cached
            await close_extractor(extractor)
            return miss_times, hit_times

        miss_times, hit_times = asyncio.run(run())
        cache.close()
    miss, hit = statistics.median(miss_times), statistics.median(hit_times)
    return {
        "miss_ms": round(1000 * miss, 3),
        "hit_ms": round(1000 * hit, 4),
        "speedup": round(miss / hit, 1) if hit else 0.0,
    }
