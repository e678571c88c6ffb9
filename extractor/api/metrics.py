"""Prometheus metrics of one app: requests, latencies, extractions, tokens, LLM errors, cache hits, jobs.

Each app gets its own registry (several apps can live in one process, as in tests). Under
``serve --workers N`` every worker process reports its own series; scrape them through one port only
with a single worker, or aggregate per worker.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from schemas import ArticleExtraction

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    """The service's metrics, registered in a private registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Counter(
            "claimscope_http_requests",
            "HTTP requests by route template, method and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "claimscope_http_request_duration_seconds",
            "Time to the end of the response, by route template and method.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.in_flight = Gauge(
            "claimscope_http_requests_in_flight", "HTTP requests being served.", registry=registry
        )
        self.extractions = Counter(
            "claimscope_extractions",
            "Article extractions by outcome (ok or the error code).",
            ["outcome"],
            registry=registry,
        )
        self.extraction_latency = Histogram(
            "claimscope_extraction_duration_seconds",
            "Time of one extraction, waiting for an LLM slot included.",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.tokens = Counter(
            "claimscope_llm_tokens",
            "LLM tokens spent, by kind (prompt, completion).",
            ["kind"],
            registry=registry,
        )
        self.llm_requests = Counter(
            "claimscope_llm_requests", "LLM requests made, retries included.", registry=registry
        )
        self.llm_errors = Counter(
            "claimscope_llm_errors",
            "Extractions failed by the model, by error code.",
            ["code"],
            registry=registry,
        )
        self.cache = Counter(
            "claimscope_cache_lookups",
            "Result cache lookups by result (hit, miss).",
            ["result"],
            registry=registry,
        )
        self.llm_waiting = Gauge(
            "claimscope_llm_slots_waiting", "Extractions waiting for an LLM slot.", registry=registry
        )
        self.llm_active = Gauge(
            "claimscope_llm_slots_active", "Extractions holding an LLM slot.", registry=registry
        )
        self.jobs = Counter(
            "claimscope_jobs", "Jobs by event (created, finished, failed).", ["event"], registry=registry
        )
        self.job_items = Counter(
            "claimscope_job_items",
            "Job items processed by outcome (ok, error).",
            ["outcome"],
            registry=registry,
        )

    def observe_extraction(self, result: ArticleExtraction, *, cache_enabled: bool = True) -> None:
        """Count a successful extraction, its tokens and whether it came from the cache."""
        self.extractions.labels("ok").inc()
        if result.provenance.cached:
            self.cache.labels("hit").inc()
            return
        if cache_enabled:
            self.cache.labels("miss").inc()
        usage = result.provenance.usage
        self.tokens.labels("prompt").inc(usage.prompt_tokens)
        self.tokens.labels("completion").inc(usage.completion_tokens)
        self.llm_requests.inc(usage.requests)

    def render(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)
