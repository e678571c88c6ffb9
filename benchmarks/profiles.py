"""Sizes of a benchmark run: the sections there are, and the full and smoke profiles."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_SECTIONS", "FULL", "ON_REQUEST", "SECTIONS", "SMOKE", "Profile"]

SECTIONS = (
    "throughput",
    "peers",
    "door",
    "cpu",
    "text_cpu",
    "rest_parts",
    "grounding",
    "cache",
    "rss",
    "uploads",
    "seed",
    "positions_round",
    "embedded",
    "instructions",
    "peers_embedded",
)
ON_REQUEST = ("instructions", "peers_embedded", "positions_round")
DEFAULT_SECTIONS = tuple(name for name in SECTIONS if name not in ON_REQUEST)
"""What a run measures unless ``--only`` says otherwise: the long ``ON_REQUEST`` sections are asked for by
name."""


@dataclass(frozen=True)
class Profile:
    """Sizes of one run of the suite."""

    name: str
    latency_ms: float
    jitter_ms: float
    concurrencies: tuple[int, ...]
    articles: dict[int, int]
    article_chars: int
    peer_concurrency: int
    cpu_sizes: dict[str, int]
    cpu_counts: dict[str, int]
    grounding_scales: list[tuple[int, int]]
    grounding_repeats: int
    aligner: tuple[int, int, float]
    cache_misses: int
    cache_hits: int
    door_requests: int
    skipped: tuple[str, ...] = ()
    """Sections this profile does not run (the smoke profile skips the long ones)."""
    error_429: float = 0.0
    error_500: float = 0.0
    rss_lines: int = 100_000
    upload_mb: int = 60
    """Size of the one line of each of the four concurrent uploads of the ``uploads`` section."""
    peer_rounds: int = 2
    """Rounds of claimscope's pipeline against the instructor loop, the order reversed each round: the
    loop's own speed varies by up to 1.4x between two runs in one process, so one round's ratio is noisy."""


FULL = Profile(
    name="full",
    latency_ms=100.0,
    jitter_ms=10.0,
    concurrencies=(1, 8, 64, 256),
    # Concurrency 1 and 8 run fewer articles: 1,000 articles one at a time would take most of an hour.
    articles={1: 20, 8: 200, 64: 1000, 256: 1000},
    article_chars=3000,
    peer_concurrency=64,
    cpu_sizes={"2kb": 2_000, "10kb": 10_000, "100kb": 100_000},
    # Enough articles for a stable figure: 10 at 10 KB swing by a fifth between identical runs.
    cpu_counts={"2kb": 100, "10kb": 40, "100kb": 4},
    grounding_scales=[(25_000, 125), (50_000, 250), (100_000, 500)],
    grounding_repeats=5,
    aligner=(100_000, 500, 300.0),
    cache_misses=5,
    cache_hits=500,
    door_requests=1500,
)

SMOKE = Profile(
    name="smoke",
    skipped=("rss", "embedded", "instructions"),
    peer_rounds=1,
    latency_ms=20.0,
    jitter_ms=2.0,
    concurrencies=(1, 8, 64),
    articles={1: 1, 8: 8, 64: 16},
    article_chars=500,
    peer_concurrency=8,
    cpu_sizes={"2kb": 2_000, "10kb": 10_000},
    cpu_counts={"2kb": 2, "10kb": 1},
    grounding_scales=[(25_000, 125), (100_000, 500)],
    grounding_repeats=1,
    aligner=(5_000, 25, 20.0),
    cache_misses=2,
    cache_hits=50,
    door_requests=40,
    upload_mb=2,
)
