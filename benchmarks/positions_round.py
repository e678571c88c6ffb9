"""What the positions round costs in model time: the seed and the SEESAW dev articles on the embedded model.

Every article is extracted once, one at a time, by :class:`~extractor.Extractor` with the default
``pipeline`` strategy and the embedded model's client settings (result cache off), through one
:class:`~benchmarks.model_meter.ModelMeter` in front of a private server
(:func:`benchmarks.seed.private_server`), so no other user's prompts sit in its cache. The positions
round is the requests asking ``TopicNames`` and ``PairStance``; per article the section reports their
count, the server's own seconds, the prompt tokens it had not cached and the answer tokens, and the same
for every request of the extraction. The SEESAW articles are read in place from
``../shared/eval/seesaw_dev.jsonl`` (``CLAIMSCOPE_SEESAW_JSONL``); without that file the seed alone is
measured.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from benchmarks.embedded_model import DEV_PATH, SEED_PATH
from benchmarks.model_meter import ModelMeter, RequestTime, summarize_requests

__all__ = ["POSITIONS_MODELS", "SEESAW_PATH", "run_positions_round"]

SEESAW_PATH = Path(os.environ.get("CLAIMSCOPE_SEESAW_JSONL", DEV_PATH.with_name("seesaw_dev.jsonl")))
POSITIONS_MODELS = frozenset({"TopicNames", "PairStance"})
"""The response models of the positions round's questions."""


def _articles(path: Path, limit: int | None) -> list[tuple[str, str]]:
    articles = [("seed", SEED_PATH.read_text(encoding="utf-8"))]
    if limit == 0 or not path.exists():
        return articles
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return articles + [(str(r["id"]), str(r["text"])) for r in records[:limit]]


def _per_article(requests: list[RequestTime], articles: int) -> dict[str, float]:
    totals = summarize_requests(requests)
    new_tokens = sum(request.prompt_tokens - request.cached_tokens for request in requests)
    return {
        "requests": round(totals["requests"] / articles, 2),
        "model_s": round(totals["model_s"] / articles, 2),
        "new_prompt_tokens": round(new_tokens / articles),
        "completion_tokens": round(totals["completion_tokens"] / articles),
    }


def run_positions_round(
    base_url: str | None = None, path: Path = SEESAW_PATH, limit: int | None = None
) -> dict[str, Any]:
    """The positions round's model cost per article over the seed and ``limit`` SEESAW articles (all: None).

    ``base_url`` points at a running OpenAI-compatible server instead of a private embedded one.
    """
    from extractor import Settings

    settings = Settings(cache_enabled=False)
    articles = _articles(path, limit)
    if base_url is None:
        from benchmarks.seed import private_server

        with private_server(settings) as url:
            requests = _metered(url, settings, articles)
    else:
        requests = _metered(base_url, settings, articles)
    flat = [request for article in requests for request in article]
    by_model = summarize_requests(flat)["model_s_by_response_model"]
    return {
        "articles": [name for name, _ in articles],
        "positions": _per_article([r for r in flat if r.response_model in POSITIONS_MODELS], len(articles)),
        "all_requests": _per_article(flat, len(articles)),
        "model_s_by_response_model": {name: round(s / len(articles), 2) for name, s in by_model.items()},
        "per_article_positions_model_s": {
            name: summarize_requests(article, POSITIONS_MODELS)["model_s"]
            for (name, _), article in zip(articles, requests, strict=True)
        },
    }


def _metered(upstream: str, settings: Any, articles: list[tuple[str, str]]) -> list[list[RequestTime]]:
    from extractor import Extractor
    from extractor.sdk import embedded_client

    async def run(meter: ModelMeter) -> list[list[RequestTime]]:
        extractor = Extractor(
            llm=embedded_client(meter.base_url, settings), use_cache=False, settings=settings
        )
        taken: list[list[RequestTime]] = []
        try:
            for _, text in articles:
                meter.take()
                await extractor.aextract(text)
                taken.append(meter.take())
        finally:
            await extractor.aclose()
        return taken

    with ModelMeter(upstream) as meter:
        return asyncio.run(run(meter))
