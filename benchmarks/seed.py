"""The seed article end to end on a running embedded server, as a new article and as a repeated one.

The server is the one users share (started if none runs, never restarted: others may be using it). It
keeps the last prompt's tokens and reuses the longest shared prefix, so an article it has just read is
cheap the second time. To time the seed as an article the server has **not** seen without restarting
it, a unique dateline (``Updated HH:MM:SS.ffffff UTC``) goes before the seed's first line: every prompt
that holds the article then differs from anything cached from the article's first character on, while
the fixed instructions before it stay cached, as they do for any new article on a running server. The
**repeated** run sends that same text again right after. The result cache is off for both.

With ``base_url`` (the smoke size points it at the fake server) the same runs go to that server.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from benchmarks.embedded_model import SEED_PATH
from extractor import Extractor, Settings

__all__ = ["new_article", "run_seed"]


def new_article(text: str) -> str:
    """``text`` under a dateline line no earlier run has sent."""
    return f"Updated {datetime.now(UTC):%H:%M:%S.%f} UTC\n{text}"


async def _timed(extractor: Extractor, text: str) -> dict[str, Any]:
    started = time.perf_counter()
    result = await extractor.aextract(text)
    seconds = time.perf_counter() - started
    usage = result.provenance.usage
    return {
        "seconds": round(seconds, 2),
        "requests": usage.requests,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "claims": len(result.claims),
        "actors": len(result.actors),
    }


def run_seed(base_url: str | None = None, rounds: int = 1) -> dict[str, Any]:
    """Seconds of the seed as a new article and repeated, ``rounds`` times; headline means."""
    settings = Settings(cache_enabled=False)
    if base_url is None:
        from extractor.llm.embedded import ensure_server

        ensure_server(settings)  # a server that is not running yet starts before the clock
        extractor = Extractor(use_cache=False, settings=settings)
    else:
        extractor = Extractor(
            "openai/local-bench-seed", api_base=base_url, api_key="sk-bench", settings=settings
        )
    seed = SEED_PATH.read_text(encoding="utf-8")

    async def run() -> list[dict[str, Any]]:
        try:
            rows = []
            for _ in range(rounds):
                text = new_article(seed)
                rows.append({"new": await _timed(extractor, text), "repeated": await _timed(extractor, text)})
            return rows
        finally:
            await extractor.aclose()

    rows = asyncio.run(run())
    new = [row["new"]["seconds"] for row in rows]
    repeated = [row["repeated"]["seconds"] for row in rows]
    return {
        "server": "embedded, running (not restarted)" if base_url is None else base_url,
        "new_article": "seed under a unique first line",
        "rounds": rows,
        "new_seconds": round(sum(new) / len(new), 2),
        "repeated_seconds": round(sum(repeated) / len(repeated), 2),
    }
