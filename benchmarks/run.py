"""Run the benchmark suite, print a table, write ``benchmarks/results/latest.json``.

``python -m benchmarks.run`` (``make bench``) runs everything at full size; ``--smoke``
(``make bench-smoke``, CI) runs every benchmark small, so it only proves the suite still works: smoke
figures are not the project's performance. ``--only throughput,cpu`` picks sections. The sizes are in
:mod:`benchmarks.profiles`, the sections in :mod:`benchmarks.throughput_suite` and :mod:`benchmarks.sections`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import sections
from benchmarks.model_steps import (
    peers_embedded_step,
    positions_round_step,
    rest_parts_step,
    seed_step,
    text_cpu_step,
)
from benchmarks.profiles import DEFAULT_SECTIONS, FULL, SECTIONS, SMOKE, Profile
from benchmarks.report import TARGETS, print_report
from benchmarks.throughput_suite import run_throughput

__all__ = ["DEFAULT_SECTIONS", "FULL", "SMOKE", "Profile", "main", "run_suite"]

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def run_suite(profile: Profile, only: set[str]) -> dict[str, Any]:
    """Run the chosen sections; return the ``latest.json`` document."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": profile.name,
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": load,
        },
        "config": {
            "latency_ms": profile.latency_ms,
            "jitter_ms": profile.jitter_ms,
            "article_chars": profile.article_chars,
            "articles": profile.articles,
            "peer_concurrency": profile.peer_concurrency,
            "error_429": profile.error_429,
            "error_500": profile.error_500,
        },
        **{key: None for key in TARGETS},
        "cpu_ms_per_10kb": None,  # beside the targets: the whole client CPU, parse included
        "embedded_seed_seconds_warm": None,  # beside the target: the same seed repeated
        "targets": {key: {"op": op, "value": value} for key, (op, value) in TARGETS.items()},
        "details": {},
    }
    steps: list[tuple[str, Callable[[Profile, dict[str, Any]], None]]] = [
        ("door", sections.run_door),
        ("cpu", sections.run_cpu),
        ("text_cpu", text_cpu_step),
        ("rest_parts", rest_parts_step),
        ("grounding", sections.run_grounding),
        ("cache", sections.run_cache),
        ("rss", sections.run_rss),
        ("uploads", sections.run_uploads),
        ("seed", seed_step),
        ("positions_round", positions_round_step),
        ("embedded", sections.run_embedded),
        ("instructions", sections.run_instructions),
        ("peers_embedded", peers_embedded_step),
    ]
    timings: dict[str, float] = {}
    if only & {"throughput", "peers"}:
        started = time.perf_counter()
        run_throughput(profile, result, only)
        timings["throughput+peers"] = round(time.perf_counter() - started, 1)
    for name, step in steps:
        if name not in only:
            continue
        if name in profile.skipped:
            result["details"][name] = {"status": "skipped", "note": "full run only"}
            continue
        started = time.perf_counter()
        step(profile, result)
        timings[name] = round(time.perf_counter() - started, 1)
    result["seconds"] = timings
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small sizes (CI); proves the suite works")
    parser.add_argument(
        "--only", default=",".join(DEFAULT_SECTIONS), help=f"comma-separated sections of {SECTIONS}"
    )
    parser.add_argument("--latency-ms", type=float, help="fake server latency (default 100, smoke 20)")
    parser.add_argument(
        "--error-429", type=float, default=0.0, help="share of throughput requests answered 429"
    )
    parser.add_argument(
        "--error-500", type=float, default=0.0, help="share of throughput requests answered 500"
    )
    parser.add_argument("--concurrency", help="comma-separated concurrencies instead of the profile's")
    parser.add_argument("--max-articles", type=int, help="cap the batch at every concurrency (quick looks)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)
    profile = SMOKE if args.smoke else FULL
    if args.latency_ms is not None:
        profile = replace(profile, latency_ms=args.latency_ms, jitter_ms=args.latency_ms / 10)
    profile = replace(profile, error_429=args.error_429, error_500=args.error_500)
    if args.max_articles is not None:
        capped = {conc: min(count, args.max_articles) for conc, count in profile.articles.items()}
        profile = replace(profile, articles=capped)
    if args.concurrency:
        levels = tuple(int(level) for level in args.concurrency.split(","))
        counts = {level: profile.articles.get(level, max(profile.articles.values())) for level in levels}
        peer = profile.peer_concurrency if profile.peer_concurrency in levels else levels[-1]
        profile = replace(profile, concurrencies=levels, articles=counts, peer_concurrency=peer)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    result = run_suite(profile, only)
    # The command beside the figures, so a results file says how to reproduce itself.
    result["command"] = ["python", "-m", "benchmarks.run", *(sys.argv[1:] if argv is None else argv)]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_report(result)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
