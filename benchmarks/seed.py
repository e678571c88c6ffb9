"""The seed article end to end on a running embedded server, as a new article and as a repeated one.

llama-server keeps the prompts it has processed (in the slot and in its host-memory prompt cache) and
reuses the longest cached prefix of each new prompt. The model reads passages of the article rather than
the whole text, so a server that has ever processed the seed would answer it from cache, whatever line
is put in front of it. The seed is therefore timed on a **private** server (the installed binary and
weights, the shared server's arguments, its own port and data directory, stopped at the end) that has
read one other article first: its fixed instructions are cached, as on any running server, and no
passage of the seed is. **New** is the seed's first extraction there; **repeated** sends it again right
after. The result cache is off for all of them.

The extractor is the SDK's own for the embedded model (:func:`extractor.sdk.embedded_client`), its
requests passing through a :class:`~benchmarks.model_meter.ModelMeter`: ``seconds`` is the end-to-end
wall time a user waits, ``model_s`` the server's own prompt and generation time, ``cached_prompt_tokens``
what the server's prompt cache spared, and ``model_s_by_response_model`` the model time of each kind of
question (``TopicNames`` and ``PairStance`` are the positions round).

With ``base_url`` (the smoke size points it at the fake server) the same runs go to that server.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.articles import article
from benchmarks.embedded_model import SEED_PATH, time_extraction
from benchmarks.model_meter import ModelMeter, summarize_requests
from extractor import Extractor, Settings
from extractor.sdk import embedded_client

__all__ = ["private_server", "run_seed"]


@contextmanager
def private_server(settings: Settings) -> Iterator[str]:
    """A server of its own on the installed binary and weights, stopped on exit."""
    from extractor.llm.embedded import ensure_server, install, stop_server

    installed = install(settings)
    with tempfile.TemporaryDirectory(prefix="claimscope-seed-") as scratch:
        home = Path(scratch)
        # The same layout under another data directory; the weights' ".verified" mark says they passed.
        for target in (installed.binary, installed.weights, installed.weights.with_suffix(".verified")):
            link = home / target.relative_to(settings.data_dir)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(target)
        private = settings.model_copy(update={"data_dir": home, "embedded_port": None, "embedded_idle_s": 0})
        url = ensure_server(private, auto_install=False)
        try:
            yield url
        finally:
            stop_server(private)


def run_seed(base_url: str | None = None) -> dict[str, Any]:
    """Seconds and model seconds of the seed as a new article, then repeated."""
    settings = Settings(cache_enabled=False)
    if base_url is None:
        with private_server(settings) as url:
            return _timed(url, settings, "embedded, private (read one other article first)")
    return _timed(base_url, settings, base_url)


def _timed(upstream: str, settings: Settings, server: str) -> dict[str, Any]:
    seed = SEED_PATH.read_text(encoding="utf-8")

    async def run(meter: ModelMeter) -> dict[str, dict[str, Any]]:
        llm = embedded_client(meter.base_url, settings)
        extractor = Extractor(llm=llm, use_cache=False, settings=settings)
        try:
            await extractor.aextract(article(0, len(seed)))  # the warm-up: the instructions get cached
            row: dict[str, dict[str, Any]] = {}
            for name in ("new", "repeated"):
                meter.take()
                row[name] = await time_extraction(extractor, seed)
                metered = summarize_requests(meter.take())
                row[name]["model_s"] = metered["model_s"]
                row[name]["cached_prompt_tokens"] = metered["cached_prompt_tokens"]
                row[name]["model_s_by_response_model"] = metered["model_s_by_response_model"]
            return row
        finally:
            await extractor.aclose()

    with ModelMeter(upstream) as meter:
        row = asyncio.run(run(meter))
    return {
        "server": server,
        **row,
        "new_seconds": row["new"]["seconds"],
        "repeated_seconds": row["repeated"]["seconds"],
        "new_model_s": row["new"]["model_s"],
        "repeated_model_s": row["repeated"]["model_s"],
    }
