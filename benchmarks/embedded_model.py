"""The embedded local model: seconds per article and tokens per second, per strategy (full run only).

Uses the :class:`~extractor.Extractor` exactly as a user with no configuration gets it (the default
embedded model, started on first use) with the result cache off, on the seed article and on the first
five documents of ``../shared/eval/dev.jsonl`` (read at run time, never copied: its texts are not ours
to redistribute). The model server's start-up is done before the clock starts.

llama-server keeps the last prompt's tokens and reuses the longest shared prefix, so an article it has
just read costs far less the second time. Each strategy therefore starts a fresh server (the shared one
is stopped first) and times the seed **cold**, then the seed again **warm** (the article already in
the server's cache), then the dev documents, which it has never seen.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

from extractor import Extractor, Settings
from extractor.llm.embedded import stop_server

__all__ = ["DEV_PATH", "SEED_PATH", "documents", "run_embedded", "time_extraction"]

_ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = _ROOT / "seeds" / "us_mexico_cartel_strikes.txt"
DEV_PATH = Path(os.environ.get("CLAIMSCOPE_DEV_JSONL", _ROOT.parent / "shared" / "eval" / "dev.jsonl"))


def documents(dev_docs: int) -> list[tuple[str, str]]:
    """The seed, then the first ``dev_docs`` documents of the dev split (when it is there)."""
    docs = [("seed", SEED_PATH.read_text(encoding="utf-8"))]
    if DEV_PATH.exists():
        with DEV_PATH.open(encoding="utf-8") as lines:
            for line in lines:
                if len(docs) > dev_docs:
                    break
                record = json.loads(line)
                docs.append((str(record["id"]), str(record["text"])))
    return docs


async def time_extraction(extractor: Extractor, text: str) -> dict[str, Any]:
    """Seconds, usage and output counts of one extraction."""
    started = time.perf_counter()
    result = await extractor.aextract(text)
    seconds = time.perf_counter() - started
    usage = result.provenance.usage
    return {
        "seconds": round(seconds, 2),
        "chars": len(text),
        "requests": usage.requests,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "completion_tokens_per_s": round(usage.completion_tokens / seconds, 2) if seconds else 0.0,
        "tokens_per_s": round(usage.total_tokens / seconds, 2) if seconds else 0.0,
        "claims": len(result.claims),
        "actors": len(result.actors),
    }


# The single strategy asks the 1.5B model for one long answer (up to 3,000 tokens at ~15 tokens/s): it is
# timed on the seed only, with one attempt and a 300 s limit, so a stalled answer cannot eat the run.
_SINGLE_TIMEOUT_S = 300.0


def run_embedded(strategies: tuple[str, ...] = ("pipeline", "single"), dev_docs: int = 5) -> dict[str, Any]:
    """Time the default embedded model per strategy; ``embedded_seed_seconds`` is the pipeline's seed time."""
    all_docs = documents(dev_docs)
    out: dict[str, Any] = {
        "dev_path": str(DEV_PATH),
        "documents": [name for name, _ in all_docs],
        "strategies": {},
    }

    async def run() -> None:
        for strategy in strategies:
            single = strategy == "single"
            settings = (
                Settings(
                    cache_enabled=False,
                    request_timeout_s=_SINGLE_TIMEOUT_S,
                    transient_retries=0,
                    max_retries=0,
                )
                if single
                else Settings(cache_enabled=False)
            )
            docs = all_docs[:1] if single else all_docs
            extractor = Extractor(
                strategy=strategy,  # type: ignore[arg-type]
                use_cache=False,
                settings=settings,
            )
            try:
                stop_server(settings)  # an empty prompt cache: nothing of the seed is known to the model
                await extractor._client()  # start the embedded server before the clock
                rows = {name: await time_extraction(extractor, text) for name, text in docs}
                warm = await time_extraction(extractor, docs[0][1])
            except Exception as error:  # one strategy failing must not hide the other's figures
                out["strategies"][strategy] = {"error": f"{type(error).__name__}: {error}"}
                continue
            dev = [row for name, row in rows.items() if name != "seed"]
            out["strategies"][strategy] = {
                "per_document": rows,
                "seed_seconds": rows["seed"]["seconds"],
                "seed_warm": warm,
                "seed_warm_seconds": warm["seconds"],
                "dev_mean_seconds": round(sum(r["seconds"] for r in dev) / len(dev), 2) if dev else None,
                "completion_tokens_per_s": round(
                    sum(r["completion_tokens"] for r in rows.values())
                    / sum(r["seconds"] for r in rows.values()),
                    2,
                ),
            }

    asyncio.run(run())
    pipeline = out["strategies"].get("pipeline") or {}
    out["embedded_seed_seconds"] = pipeline.get("seed_seconds")
    out["embedded_seed_seconds_warm"] = pipeline.get("seed_warm_seconds")
    return out
