"""The sections besides throughput: each runs one measurement and files its figures into the result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.profiles import Profile

__all__ = [
    "run_cache",
    "run_cpu",
    "run_door",
    "run_embedded",
    "run_grounding",
    "run_instructions",
    "run_rss",
    "run_uploads",
]


def run_cpu(profile: Profile, result: dict[str, Any]) -> None:
    """CPU time per article of the pipeline at each size."""
    from benchmarks.cpu import cpu_per_article

    rows = cpu_per_article(profile.cpu_sizes, profile.cpu_counts)
    result["cpu_ms_per_10kb"] = rows["10kb"]["cpu_ms_per_article"]
    result["details"]["cpu"] = rows


def run_grounding(profile: Profile, result: dict[str, Any]) -> None:
    """Grounding time at each article size, and langextract's aligner beside it."""
    from benchmarks.cpu import grounding, langextract_aligner

    rows = grounding(profile.grounding_scales, profile.grounding_repeats)
    result["grounding_100kb_ms"] = rows["scales"][-1]["ms"]
    chars, quotes, timeout = profile.aligner
    rows["langextract_aligner"] = {
        "chars": chars,
        "quotes": quotes,
        **langextract_aligner(chars, quotes, timeout),
    }
    result["details"]["grounding"] = rows


def run_cache(profile: Profile, result: dict[str, Any]) -> None:
    """A cache hit against a miss."""
    from benchmarks.cpu import cache_hit_vs_miss
    from benchmarks.fake_openai_server import FakeServer

    with FakeServer(latency_ms=profile.latency_ms, jitter_ms=profile.jitter_ms) as server:
        rows = cache_hit_vs_miss(server, profile.cache_misses, profile.cache_hits)
    result["cache_hit_speedup"] = rows["speedup"]
    result["details"]["cache"] = rows


def run_door(profile: Profile, result: dict[str, Any]) -> None:
    """CPU time per request through the LLM door."""
    from benchmarks.door import door_cpu_per_request
    from benchmarks.fake_openai_server import FakeServer

    # A short latency: this measures the client's CPU per request, not waiting.
    with FakeServer(latency_ms=5.0) as server:
        result["details"]["door"] = door_cpu_per_request(server, profile.door_requests, concurrency=32)


def run_rss(profile: Profile, result: dict[str, Any]) -> None:
    """Peak memory of a large batch job, measured in its own process."""
    script = Path(__file__).resolve().parent / "batch_rss.py"
    if not script.exists():
        result["details"]["rss"] = {"status": "unavailable", "note": "benchmarks/batch_rss.py is missing"}
        return
    # Run as a script, its folder comes first on sys.path: put the repository there too.
    paths = [str(script.parents[1]), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}
    done = subprocess.run(
        [sys.executable, str(script), "--lines", str(profile.rss_lines)],
        capture_output=True,
        text=True,
        timeout=4 * 3600,
        cwd=script.parents[1],
        env=env,
    )
    data = _last_json(done.stdout)
    if done.returncode != 0 or data is None:
        result["details"]["rss"] = {"status": "error", "note": (done.stderr or done.stdout)[-2000:]}
        return
    result["batch_100k_peak_rss_mb"] = data.get("peak_rss_mb")
    result["details"]["rss"] = data


def run_uploads(profile: Profile, result: dict[str, Any]) -> None:
    """Memory of the HTTP service under concurrent large uploads."""
    from benchmarks.upload_rss import measure

    result["details"]["uploads"] = measure(profile.upload_mb, uploads=4)


def run_embedded(profile: Profile, result: dict[str, Any]) -> None:
    """The seed article on the embedded model, cold and warm."""
    from benchmarks.embedded_model import run_embedded

    result["details"]["embedded"] = run_embedded()


def run_instructions(profile: Profile, result: dict[str, Any]) -> None:
    """CPU instructions per article, under valgrind."""
    from benchmarks.instructions import run_instructions

    result["details"]["instructions"] = run_instructions()


def _last_json(text: str) -> dict[str, Any] | None:
    for line in reversed(text.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None
