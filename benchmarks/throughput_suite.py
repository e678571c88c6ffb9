"""The ``throughput`` and ``peers`` sections: claimscope at each concurrency, then against its peers."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from benchmarks.profiles import Profile

__all__ = ["run_throughput"]


def run_throughput(profile: Profile, result: dict[str, Any], only: set[str]) -> None:
    """The ``throughput`` and ``peers`` sections, sharing one fake server; fills ``result`` in place."""
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
