"""Throughput of claimscope's batch engine against the fake server, and of its peers on the same work.

Each run reports articles per second, LLM requests per article, the client's CPU per request and the mean
number of requests in flight (the latency ``L`` the server applied is kept beside them). The pipeline asks
its independent questions together, so an article costs two model round trips (name kinds and unsettled
speakers, then positions). The instructor loop and the ``single`` strategy make one request per article;
langextract one per 1,000-character chunk, sent in parallel.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.fake_openai_server import FakeServer
from extractor import Extractor, Settings
from extractor.batch.records import BatchOptions, ErrorRecord, InputLine, run_batch
from extractor.llm.client import estimate_cost
from schemas import ArticleExtraction

__all__ = [
    "RunResult",
    "claimscope_extractor",
    "close_extractor",
    "measure_claimscope",
    "measure_claimscope_processes",
    "measure_peer",
    "settle_heap",
]


@dataclass(frozen=True)
class RunResult:
    """One measured run of a client against the fake server."""

    name: str
    concurrency: int
    articles: int
    ok: int
    failed: int
    wall_s: float
    cpu_s: float
    requests: int
    waited_requests: int
    mean_latency_s: float
    mean_inflight: float
    peak_inflight: int
    note: str = ""

    @property
    def articles_per_s(self) -> float:
        """Articles finished (ok or failed) per wall second."""
        return (self.ok + self.failed) / self.wall_s if self.wall_s else 0.0

    @property
    def requests_per_article(self) -> float:
        """LLM requests the server saw per article."""
        return self.requests / self.articles if self.articles else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        """Client CPU per LLM request, all client work included."""
        return 1000 * self.cpu_s / self.requests if self.requests else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON shape, derived figures included."""
        data = asdict(self)
        data.update(
            articles_per_s=round(self.articles_per_s, 3),
            requests_per_article=round(self.requests_per_article, 3),
            cpu_ms_per_request=round(self.cpu_ms_per_request, 3),
        )
        return data


class _CountingSink:
    """A sink that keeps nothing but counts (the benchmark measures the engine, not disk writes)."""

    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0
        self.errors: dict[str, int] = {}

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        return set()

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        self.ok += 1

    def write_error(self, record: ErrorRecord) -> None:
        self.failed += 1
        self.errors[record.type] = self.errors.get(record.type, 0) + 1


def claimscope_extractor(base_url: str, strategy: str = "pipeline") -> Extractor:
    """claimscope pointed at the fake server, result cache off (every article must reach the server).

    The ``openai/local`` prefix marks a self-hosted model: no price, so the engine's cost estimate does
    not import litellm's price map (seconds of start-up that a hosted model pays once per process).
    """
    settings = Settings(api_base=base_url, cache_enabled=False, transient_retries=3)
    return Extractor(
        "openai/local-bench",
        api_base=base_url,
        api_key="sk-bench",
        strategy=strategy,  # type: ignore[arg-type]
        settings=settings,
        use_cache=False,
    )


async def close_extractor(extractor: Extractor) -> None:
    """Close the extractor's HTTP client inside its event loop (else its sockets outlive the loop)."""
    # The SDK has no public close yet; reach for the LLM door it opened, if any.
    aclose = getattr(getattr(extractor, "_llm", None), "aclose", None)
    if aclose is not None:
        await aclose()


def _outcome(
    name: str,
    concurrency: int,
    articles: int,
    ok: int,
    failed: int,
    wall: float,
    cpu: float,
    server: FakeServer,
    note: str = "",
) -> RunResult:
    stats = server.stats()
    return RunResult(
        name=name,
        concurrency=concurrency,
        articles=articles,
        ok=ok,
        failed=failed,
        wall_s=round(wall, 4),
        cpu_s=round(cpu, 4),
        requests=int(stats["requests"]),
        waited_requests=int(stats["statuses"].get("200", 0)) + int(stats["statuses"].get("500", 0)),
        mean_latency_s=float(stats["mean_latency_s"]),
        mean_inflight=round(float(stats["mean_inflight"]), 2),
        peak_inflight=int(stats["peak_inflight"]),
        note=note,
    )


def settle_heap() -> None:
    """Keep the garbage collector away from what earlier runs left in this process (before every run).

    The clients share one process, and the collector's full passes scan every live object: after
    langextract's run (which doubles the objects alive, 153k to 330k) the pipeline measured 68.7
    articles/s against 83.2 before it, and 80.2 with this freeze. Frozen, earlier runs' leftovers cost
    nothing, as in a process of its own; every client, claimscope or peer, gets the same treatment.
    """
    gc.collect()
    gc.freeze()


def measure_claimscope(
    texts: list[str], server: FakeServer, concurrency: int, strategy: str = "pipeline"
) -> RunResult:
    """Run ``texts`` through the batch engine at ``concurrency`` articles in flight."""
    settle_heap()
    extractor = claimscope_extractor(server.base_url, strategy)
    records = [InputLine(id=f"a{i}", text=text, line=i + 1) for i, text in enumerate(texts)]

    box: dict[str, float] = {}

    async def run() -> _CountingSink:
        # Warm the client (lazy imports, first connection) outside the clock, then count from zero.
        # The engine prices the tokens at the end; litellm's price map takes seconds to import, once.
        await asyncio.to_thread(estimate_cost, extractor.model, 1, 1)
        await extractor.aextract(texts[0])
        server.reset()
        sink = _CountingSink()
        box["t0"], box["c0"] = time.perf_counter(), time.process_time()
        await run_batch(records, sink, extractor, BatchOptions(concurrency=concurrency))
        box["t1"], box["c1"] = time.perf_counter(), time.process_time()
        await close_extractor(extractor)
        return sink

    sink = asyncio.run(run())
    note = ", ".join(f"{k}={v}" for k, v in sorted(sink.errors.items()))
    return _outcome(
        f"claimscope {strategy}",
        concurrency,
        len(texts),
        sink.ok,
        sink.failed,
        box["t1"] - box["t0"],
        box["c1"] - box["c0"],
        server,
        note,
    )


def measure_claimscope_processes(
    texts: list[str], server: FakeServer, concurrency: int, workers: int
) -> RunResult:
    """Run ``texts`` through the processes engine: ``workers`` worker processes, ``concurrency`` in all.

    The clock includes starting the workers (imports, first connection: about a second each), as a user's
    job does; CPU is the driver's plus the workers'.
    """
    import functools
    import resource

    from extractor.batch.processes import run_batch_processes

    settle_heap()
    records = [InputLine(id=f"a{i}", text=text, line=i + 1) for i, text in enumerate(texts)]
    factory = functools.partial(claimscope_extractor, server.base_url)

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    async def run() -> tuple[_CountingSink, float, float]:
        sink = _CountingSink()
        server.reset()
        wall, cpu = time.perf_counter(), time.process_time() + children_cpu()
        await run_batch_processes(
            records,
            sink,
            factory,
            BatchOptions(concurrency=concurrency),
            workers=workers,
            model="openai/local-bench",
        )
        return sink, time.perf_counter() - wall, time.process_time() + children_cpu() - cpu

    sink, wall, cpu = asyncio.run(run())
    note = ", ".join(f"{k}={v}" for k, v in sorted(sink.errors.items()))
    return _outcome(
        f"claimscope pipeline, {workers} processes",
        concurrency,
        len(texts),
        sink.ok,
        sink.failed,
        wall,
        cpu,
        server,
        note,
    )


def measure_peer(name: str, texts: list[str], server: FakeServer, concurrency: int) -> RunResult:
    """Run one peer (``instructor`` or ``langextract``) over ``texts`` at ``concurrency``."""
    from benchmarks import peers

    settle_heap()
    server.reset()
    if name == "instructor":
        result = peers.run_instructor_loop(texts, server.base_url, concurrency)
    else:
        result = peers.run_langextract(texts, server.base_url, concurrency)
    return _outcome(
        result.name,
        concurrency,
        len(texts),
        result.ok,
        len(texts) - result.ok,
        result.wall_s,
        result.cpu_s,
        server,
        result.note,
    )
