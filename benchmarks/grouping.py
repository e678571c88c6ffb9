"""The embedded model asked for positions per speaker and per window, side by side (section ``grouping``).

``auto`` asks the embedded model one positions question per speaker and every other model one per article
window (see :mod:`extractor.positions`). This section measures that choice on the embedded model: each
document is extracted under both groupings, each time by a freshly started server (so neither run finds
the article in llama-server's prompt cache), the order alternating from one document to the next so a
drift in the machine's load does not favour one grouping. Not part of the default run (about 2 minutes a
document): ``python -m benchmarks.run --only grouping``.
"""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

from benchmarks.embedded_model import documents, time_extraction
from extractor import Extractor, Settings
from extractor.llm.embedded import stop_server

__all__ = ["run_grouping"]

_GROUPINGS = ("speaker", "window")


def run_grouping(dev_docs: int = 3) -> dict[str, Any]:
    """Seconds and tokens per document under each grouping; the window/speaker time ratio per document."""
    docs = documents(dev_docs)
    rows: dict[str, dict[str, Any]] = {}

    async def run() -> None:
        for index, (name, text) in enumerate(docs):
            order = _GROUPINGS if index % 2 == 0 else _GROUPINGS[::-1]
            row: dict[str, Any] = {}
            for grouping in order:
                settings = Settings(cache_enabled=False, positions_grouping=grouping)  # type: ignore[arg-type]
                stop_server(settings)
                extractor = Extractor(use_cache=False, settings=settings)
                try:
                    await extractor._client()  # start the server before the clock
                    row[grouping] = await time_extraction(extractor, text)
                finally:
                    await extractor.aclose()
            row["window_over_speaker"] = round(row["window"]["seconds"] / row["speaker"]["seconds"], 3)
            rows[name] = row

    try:
        asyncio.run(run())
    finally:
        stop_server(Settings())
    ratios = [row["window_over_speaker"] for row in rows.values()]
    return {
        "per_document": rows,
        "window_over_speaker_median": round(statistics.median(ratios), 3) if ratios else None,
        "seconds": {g: round(sum(row[g]["seconds"] for row in rows.values()), 2) for g in _GROUPINGS},
        "completion_tokens": {
            g: sum(row[g]["completion_tokens"] for row in rows.values()) for g in _GROUPINGS
        },
        "prompt_tokens": {g: sum(row[g]["prompt_tokens"] for row in rows.values()) for g in _GROUPINGS},
    }
