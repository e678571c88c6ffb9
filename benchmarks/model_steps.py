"""The suite's sections on the text layer and the embedded model.

``text_cpu``, ``rest_parts``, ``seed``, ``positions_round`` and ``peers_embedded``.

Each step takes the run's profile and fills the results document: headline figures at the top,
everything measured under ``details``. At the smoke size the model sections go to the fake server
(their figures then only prove the code runs); the full size uses the embedded model.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "peers_embedded_step",
    "positions_round_step",
    "rest_parts_step",
    "seed_step",
    "text_cpu_step",
]

_TEXT_CPU_ARTICLES = {"full": 10, "smoke": 1}


def text_cpu_step(profile: Any, result: dict[str, Any]) -> None:
    """Parse CPU and the rest of the client CPU per 10 KB article."""
    from benchmarks.text_cpu import text_cpu

    rows = text_cpu(_TEXT_CPU_ARTICLES.get(profile.name, 10))
    result["parse_cpu_ms_per_10kb"] = rows["parse_cpu_ms_per_10kb"]
    result["rest_cpu_ms_per_10kb"] = rows["rest_cpu_ms_per_article"]
    result["details"]["text_cpu"] = rows


def rest_parts_step(profile: Any, result: dict[str, Any]) -> None:
    """The rest of the client CPU per 10 KB article split into its parts."""
    from benchmarks.rest_parts import rest_parts

    smoke = profile.name == "smoke"
    count = _TEXT_CPU_ARTICLES.get(profile.name, 10)
    result["details"]["rest_parts"] = rest_parts(count, rounds=1 if smoke else 3)


def seed_step(profile: Any, result: dict[str, Any]) -> None:
    """The seed as a new and as a repeated article on a running server."""
    from benchmarks.seed import run_seed

    if profile.name == "smoke":
        from benchmarks.fake_openai_server import FakeServer

        with FakeServer(latency_ms=profile.latency_ms, jitter_ms=profile.jitter_ms) as server:
            rows = run_seed(server.base_url)
    else:
        rows = run_seed()
    result["embedded_seed_seconds"] = rows["new_seconds"]
    result["embedded_seed_seconds_warm"] = rows["repeated_seconds"]
    result["embedded_seed_model_s"] = rows["new_model_s"]
    result["details"]["seed"] = rows


def positions_round_step(profile: Any, result: dict[str, Any]) -> None:
    """The positions round's model time per article over the seed and the SEESAW dev articles."""
    from benchmarks.positions_round import run_positions_round

    if profile.name == "smoke":
        from benchmarks.fake_openai_server import FakeServer

        with FakeServer(latency_ms=profile.latency_ms, jitter_ms=profile.jitter_ms) as server:
            rows = run_positions_round(server.base_url, limit=0)
    else:
        rows = run_positions_round()
    result["embedded_positions_round_model_s"] = rows["positions"]["model_s"]
    result["details"]["positions_round"] = rows


def peers_embedded_step(profile: Any, result: dict[str, Any]) -> None:
    """claimscope, instructor and langextract on the same model and documents."""
    from benchmarks.peers import langextract_available
    from benchmarks.peers_embedded import CLIENTS, run_peers_embedded

    clients = CLIENTS if langextract_available() is None else tuple(c for c in CLIENTS if c != "langextract")
    if profile.name == "smoke":
        from benchmarks.fake_openai_server import FakeServer

        with FakeServer(latency_ms=profile.latency_ms, jitter_ms=profile.jitter_ms) as server:
            rows = run_peers_embedded(dev_docs=1, base_url=server.base_url, clients=clients)
    else:
        budget = os.environ.get("CLAIMSCOPE_BENCH_PEERS_BUDGET_S")
        rows = run_peers_embedded(dev_docs=5, clients=clients, budget_s=float(budget) if budget else None)
    result["embedded_f1_per_model_s_vs_best_peer"] = rows["f1_per_model_s_vs_best_peer"]
    result["details"]["peers_embedded"] = rows
