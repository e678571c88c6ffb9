"""Run the benchmark suite, print a table, write ``benchmarks/results/latest.json``.

``python -m benchmarks.run`` (``make bench``) runs everything at full size; ``--smoke``
(``make bench-smoke``, CI) runs every benchmark small, so it only proves the suite still works: smoke
figures are not the project's performance. ``--only throughput,cpu`` picks sections.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.model_steps import peers_embedded_step, seed_step, text_cpu_step
from benchmarks.report import TARGETS, print_report

__all__ = ["DEFAULT_SECTIONS", "FULL", "SMOKE", "Profile", "main", "run_suite"]

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
SECTIONS = (
    "throughput",
    "peers",
    "door",
    "cpu",
    "text_cpu",
    "grounding",
    "cache",
    "rss",
    "uploads",
    "seed",
    "embedded",
    "grouping",
    "instructions",
    "peers_embedded",
)
ON_REQUEST = ("grouping", "instructions", "peers_embedded")
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
    skipped=("rss", "embedded", "grouping", "instructions"),
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


def _throughput(profile: Profile, result: dict[str, Any], only: set[str]) -> None:
    from benchmarks.articles import articles
    from benchmarks.fake_openai_server import FakeServer
    from benchmarks.throughput import measure_claimscope, measure_claimscope_processes, measure_peer

    texts = articles(max(profile.articles.values()), profile.article_chars)
    runs: list[dict[str, Any]] = []
    with FakeServer(
        latency_ms=profile.latency_ms,
        jitter_ms=profile.jitter_ms,
        error_429=profile.error_429,
        error_500=profile.error_500,
        retry_after_s=0.5,
    ) as server:
        by_concurrency: dict[int, dict[str, Any]] = {}
        for concurrency in profile.concurrencies:
            if "throughput" in only or concurrency == profile.peer_concurrency:
                run = measure_claimscope(
                    texts[: profile.articles[concurrency]], server, concurrency
                ).to_dict()
                runs.append(run)
                by_concurrency[concurrency] = run
        if "throughput" in only and profile.peer_concurrency in by_concurrency:
            # The same articles through the processes engine, one worker per core: what more cores buy.
            result["details"]["throughput_processes"] = measure_claimscope_processes(
                texts[: profile.articles[profile.peer_concurrency]],
                server,
                profile.peer_concurrency,
                os.cpu_count() or 1,
            ).to_dict()
        result["details"]["throughput"] = runs
        if "peers" not in only:
            return
        ours = by_concurrency[profile.peer_concurrency]
        peer_texts = texts[: profile.articles[profile.peer_concurrency]]
        # The single strategy makes one request per article, like both peers: the like-for-like overhead.
        single = measure_claimscope(peer_texts, server, profile.peer_concurrency, "single").to_dict()
        peers: dict[str, Any] = {}
        for name, key in (("instructor", "vs_instructor_ratio"), ("langextract", "vs_langextract_ratio")):
            peers[name] = _peer(
                name, key, peer_texts, server, profile.peer_concurrency, ours, result, measure_peer
            )
            if peers[name].get("articles_per_s"):
                result[f"{key}_single"] = round(single["articles_per_s"] / peers[name]["articles_per_s"], 3)
        rounds = _more_rounds(profile, peer_texts, server, ours, peers.get("instructor", {}))
        if rounds:
            result["vs_instructor_ratio"] = rounds["ratio_of_means"]
        result["details"]["peers"] = {
            "concurrency": profile.peer_concurrency,
            "claimscope": ours,
            "claimscope_single": single,
            **peers,
            "instructor_rounds": rounds,
        }


def _more_rounds(
    profile: Profile, texts: list[str], server: Any, ours: dict[str, Any], first: dict[str, Any]
) -> dict[str, Any] | None:
    """Further rounds of the pipeline against the instructor loop; ``vs_instructor_ratio`` over all rounds.

    The headline becomes the ratio of the mean articles/s of each side over every round (the first
    included), each round's own ratio kept beside it.
    """
    from benchmarks.throughput import measure_claimscope, measure_peer

    if profile.peer_rounds < 2 or not first.get("articles_per_s"):
        return None
    pairs = [(ours["articles_per_s"], first["articles_per_s"])]
    for round_number in range(1, profile.peer_rounds):
        runs = {}
        # The first round ran the pipeline first; later ones alternate, so drift favours neither side.
        order = ("instructor", "claimscope") if round_number % 2 else ("claimscope", "instructor")
        for name in order:
            if name == "instructor":
                runs[name] = measure_peer("instructor", texts, server, profile.peer_concurrency).to_dict()
            else:
                runs[name] = measure_claimscope(texts, server, profile.peer_concurrency).to_dict()
        pairs.append((runs["claimscope"]["articles_per_s"], runs["instructor"]["articles_per_s"]))
    ours_mean = sum(pair[0] for pair in pairs) / len(pairs)
    theirs_mean = sum(pair[1] for pair in pairs) / len(pairs)
    return {
        "articles_per_s": [{"claimscope": a, "instructor": b} for a, b in pairs],
        "ratio_per_round": [round(a / b, 3) for a, b in pairs],
        "ratio_of_means": round(ours_mean / theirs_mean, 3),
    }


def _peer(
    name: str,
    key: str,
    texts: list[str],
    server: Any,
    concurrency: int,
    ours: dict[str, Any],
    result: dict[str, Any],
    measure: Callable[..., Any],
) -> dict[str, Any]:
    from benchmarks.peers import langextract_available

    missing = langextract_available() if name == "langextract" else None
    if missing:
        result[key] = None
        return {"status": "unavailable", "note": missing}
    try:
        run = measure(name, texts, server, concurrency).to_dict()
    except Exception as error:  # a broken peer is reported, not fatal to the suite
        result[key] = None
        return {"status": "error", "note": f"{type(error).__name__}: {error}"}
    result[key] = round(ours["articles_per_s"] / run["articles_per_s"], 3) if run["articles_per_s"] else None
    return {"status": "ok", **run}


def _cpu(profile: Profile, result: dict[str, Any]) -> None:
    from benchmarks.cpu import cpu_per_article

    rows = cpu_per_article(profile.cpu_sizes, profile.cpu_counts)
    result["cpu_ms_per_10kb"] = rows["10kb"]["cpu_ms_per_article"]
    result["details"]["cpu"] = rows


def _grounding(profile: Profile, result: dict[str, Any]) -> None:
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


def _cache(profile: Profile, result: dict[str, Any]) -> None:
    from benchmarks.cpu import cache_hit_vs_miss
    from benchmarks.fake_openai_server import FakeServer

    with FakeServer(latency_ms=profile.latency_ms, jitter_ms=profile.jitter_ms) as server:
        rows = cache_hit_vs_miss(server, profile.cache_misses, profile.cache_hits)
    result["cache_hit_speedup"] = rows["speedup"]
    result["details"]["cache"] = rows


def _door(profile: Profile, result: dict[str, Any]) -> None:
    from benchmarks.door import door_cpu_per_request
    from benchmarks.fake_openai_server import FakeServer

    # A short latency: this measures the client's CPU per request, not waiting.
    with FakeServer(latency_ms=5.0) as server:
        result["details"]["door"] = door_cpu_per_request(server, profile.door_requests, concurrency=32)


def _rss(profile: Profile, result: dict[str, Any]) -> None:
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


def _uploads(profile: Profile, result: dict[str, Any]) -> None:
    from benchmarks.upload_rss import measure

    result["details"]["uploads"] = measure(profile.upload_mb, uploads=4)


def _embedded(profile: Profile, result: dict[str, Any]) -> None:
    from benchmarks.embedded_model import run_embedded

    result["details"]["embedded"] = run_embedded()


def _grouping(profile: Profile, result: dict[str, Any]) -> None:
    from benchmarks.grouping import run_grouping

    result["details"]["grouping"] = run_grouping()


def _instructions(profile: Profile, result: dict[str, Any]) -> None:
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
        ("door", _door),
        ("cpu", _cpu),
        ("text_cpu", text_cpu_step),
        ("grounding", _grounding),
        ("cache", _cache),
        ("rss", _rss),
        ("uploads", _uploads),
        ("seed", seed_step),
        ("embedded", _embedded),
        ("grouping", _grouping),
        ("instructions", _instructions),
        ("peers_embedded", peers_embedded_step),
    ]
    timings: dict[str, float] = {}
    if only & {"throughput", "peers"}:
        started = time.perf_counter()
        _throughput(profile, result, only)
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
