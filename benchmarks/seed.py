"""The seed article end to end on a running embedded server, as a new article and as a repeated one.

The server is the one users share (started if none runs, never restarted: others may be using it). It
keeps the last prompt's tokens and reuses the longest shared prefix, so an article it has just read is
cheap the second time. To time the seed as an article the server has **not** seen without restarting
it, a unique dateline (``Updated HH:MM:SS.ffffff UTC``) goes before the seed's first line: every prompt
that holds the article then differs from anything cached from the article's first character on, while
the fixed instructions before it stay cached, as they do for any new article on a running server. The
**repeated** run sends that same text again right after. The result cache is off for both.

The extractor is the SDK's own for the embedded model (:func:`extractor.sdk.embedded_client`), its
requests passing through a :class:`~benchmarks.model_meter.ModelMeter`: ``seconds`` is the end-to-end
wall time a user waits, ``model_s`` the server's own prompt and generation time, which leaves out the
wait behind other users of a shared server, ``cached_prompt_tokens`` what the server's prompt cache
spared, and ``model_s_by_response_model`` the model time of each kind of question (``TopicNames`` and
``PairStance`` are the positions round).

With ``base_url`` (the smoke size points it at the fake server) the same runs go to that server.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from benchmarks.embedded_model import SEED_PATH, time_extraction
from benchmarks.model_meter import ModelMeter, summarize_requests
from extractor import Extractor, Settings
from extractor.sdk import embedded_client

__all__ = ["new_article", "run_seed"]


def new_article(text: str) -> str:
    """``text`` under a dateline line no earlier run has sent."""
    return f"Updated {datetime.now(UTC):%H:%M:%S.%f} UTC\n{text}"


def run_seed(base_url: str | None = None, rounds: int = 1) -> dict[str, Any]:
    """Seconds of the seed as a new article and repeated, ``rounds`` times; headline means."""
    settings = Settings(cache_enabled=False)
    if base_url is None:
        from extractor.llm.embedded import ensure_server

        upstream = ensure_server(settings)  # a server that is not running yet starts before the clock
    else:
        upstream = base_url
    seed = SEED_PATH.read_text(encoding="utf-8")

    async def run(meter: ModelMeter) -> list[dict[str, Any]]:
        llm = embedded_client(meter.base_url, settings)
        extractor = Extractor(llm=llm, use_cache=False, settings=settings)
        try:
            rows = []
            for _ in range(rounds):
                text = new_article(seed)
                row: dict[str, dict[str, Any]] = {}
                for name in ("new", "repeated"):
                    meter.take()
                    row[name] = await time_extraction(extractor, text)
                    metered = summarize_requests(meter.take())
                    row[name]["model_s"] = metered["model_s"]
                    row[name]["cached_prompt_tokens"] = metered["cached_prompt_tokens"]
                    row[name]["model_s_by_response_model"] = metered["model_s_by_response_model"]
                rows.append(row)
            return rows
        finally:
            await extractor.aclose()

    with ModelMeter(upstream) as meter:
        rows = asyncio.run(run(meter))

    def mean(name: str, key: str) -> float:
        return round(float(sum(row[name][key] for row in rows)) / len(rows), 2)

    return {
        "server": "embedded, running (not restarted)" if base_url is None else base_url,
        "new_article": "seed under a unique first line",
        "rounds": rows,
        "new_seconds": mean("new", "seconds"),
        "repeated_seconds": mean("repeated", "seconds"),
        "new_model_s": mean("new", "model_s"),
        "repeated_model_s": mean("repeated", "model_s"),
    }
