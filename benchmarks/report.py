"""The targets and the rich tables printed after a run."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["TARGETS", "meets", "print_report"]

TARGETS: dict[str, tuple[str, float]] = {
    "vs_instructor_ratio": (">=", 1.5),
    "vs_langextract_ratio": (">=", 1.5),
    "parse_cpu_ms_per_10kb": ("<=", 200.0),
    "rest_cpu_ms_per_10kb": ("<=", 5.0),
    "grounding_100kb_ms": ("<=", 100.0),
    "cache_hit_speedup": (">=", 1000.0),
    "batch_100k_peak_rss_mb": ("<=", 300.0),
    "embedded_seed_seconds": ("<=", 20.0),
    "embedded_f1_per_model_s_vs_best_peer": (">=", 2.0),
}
"""Headline key -> (comparison, target): the project's performance targets."""


def meets(key: str, value: float | None) -> bool | None:
    """Whether a headline figure meets its target (None when not measured)."""
    if value is None:
        return None
    op, target = TARGETS[key]
    return value >= target if op == ">=" else value <= target


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return str(value)


def print_report(result: dict[str, Any], console: Console | None = None) -> None:
    """Headline figures against targets, then the throughput runs."""
    console = console or Console(width=None if sys.stdout.isatty() else 140)
    machine = result.get("machine", {})
    headline = Table(
        title=f"claimscope benchmarks ({result.get('mode')}, {machine.get('cores')} cores, "
        f"{result.get('date')})"
    )
    for column in ("figure", "value", "target", "ok"):
        headline.add_column(column)
    for key, (op, target) in TARGETS.items():
        value = result.get(key)
        ok = meets(key, value)
        mark = "-" if ok is None else ("[green]yes[/green]" if ok else "[red]no[/red]")
        headline.add_row(key, _fmt(value), f"{op} {target:g}", mark)
    console.print(headline)
    singles = [
        f"{key}: {_fmt(result[key])}"
        for key in ("vs_instructor_ratio_single", "vs_langextract_ratio_single")
        if result.get(key) is not None
    ]
    if singles:
        console.print("single strategy (one request per article, like the peers): " + ", ".join(singles))
    details = result.get("details", {})
    runs = list(details.get("throughput", []))
    peers = details.get("peers", {})
    rounds = peers.get("instructor_rounds")
    if rounds:
        each = ", ".join(
            f"{pair['claimscope']:.1f}/{pair['instructor']:.1f}" for pair in rounds["articles_per_s"]
        )
        console.print(
            f"pipeline/instructor loop over {len(rounds['articles_per_s'])} rounds (articles/s {each}): "
            f"ratio of means {_fmt(rounds['ratio_of_means'])}, per round {rounds['ratio_per_round']}"
        )
    if "throughput_processes" in details:
        runs.append(details["throughput_processes"])
    if "claimscope_single" in peers:
        runs.append(peers["claimscope_single"])
    runs += [
        peers[name] for name in ("instructor", "langextract") if peers.get(name, {}).get("status") == "ok"
    ]
    if runs:
        table = Table(title=f"throughput (fake server {result['config']['latency_ms']:g} ms)")
        for column in (
            "client",
            "conc.",
            "articles",
            "art/s",
            "req/art",
            "cpu ms/req",
            "mean in-flight",
            "failed",
        ):
            table.add_column(column, justify="right")
        for run in runs:
            table.add_row(
                run["name"],
                str(run["concurrency"]),
                str(run["articles"]),
                _fmt(run["articles_per_s"]),
                _fmt(run["requests_per_article"]),
                _fmt(run["cpu_ms_per_request"]),
                _fmt(run["mean_inflight"]),
                str(run["failed"]),
            )
        console.print(table)
    for name in ("instructor", "langextract"):
        if peers.get(name, {}).get("status") not in (None, "ok"):
            console.print(f"[yellow]{name}: {peers[name]['status']}: {peers[name].get('note')}[/yellow]")
    if "door" in details:
        door = details["door"]
        console.print(
            f"door CPU per request ({door['requests']} at {door['concurrency']} in flight): "
            f"plain {door['plain_ms_per_request']:.2f} ms, narrowed {door['narrowed_ms_per_request']:.2f} ms"
        )
    if "cpu" in details:
        cpu = ", ".join(
            f"{label}: {row['cpu_ms_per_article']:.1f} ms ({row['requests_per_article']:g} req)"
            for label, row in details["cpu"].items()
        )
        console.print(f"CPU per article: {cpu}")
    if "text_cpu" in details:
        text = details["text_cpu"]
        console.print(
            f"text layer per {text['chars'] // 1000} KB article ({text['articles']} articles): parse "
            f"{text['parse_cpu_ms_per_article']:.1f} ms CPU, the rest of the client "
            f"{text['rest_cpu_ms_per_article']:.1f} ms CPU (parses inside extraction: "
            f"{text['parses_during_extraction']})"
        )
    if "rest_parts" in details:
        parts = details["rest_parts"]["ms_per_article"]
        console.print(
            f"the rest per {details['rest_parts']['chars'] // 1000} KB article {parts['rest']:.1f} ms CPU: "
            f"reading the parse {parts['parse_read']:.1f}, the model door {parts['model_door']:.1f}, "
            f"validating the output {parts['output_validation']:.1f}, the stages {parts['stages']:.1f}"
        )
    if "seed" in details:
        seed = details["seed"]
        console.print(
            f"seed on a running server: new article {_fmt(seed['new_seconds'])} s "
            f"(model {_fmt(seed.get('new_model_s'))} s), repeated {_fmt(seed['repeated_seconds'])} s "
            f"(model {_fmt(seed.get('repeated_model_s'))} s)"
        )
    if "peers_embedded" in details:
        _print_peers_embedded(details["peers_embedded"], console)
    if "grounding" in details:
        grounding = details["grounding"]
        scales = ", ".join(
            f"{row['chars'] // 1000} KB/{row['quotes']} quotes: {row['ms']:.1f} ms"
            for row in grounding["scales"]
        )
        aligner = grounding.get("langextract_aligner", {})
        console.print(
            f"grounding: {scales}; langextract aligner ({aligner.get('chars', 0) // 1000} KB/"
            f"{aligner.get('quotes')} quotes): {aligner.get('status')} {_fmt(aligner.get('ms'))} ms"
        )
    if "cache" in details:
        cache = details["cache"]
        console.print(f"cache: miss {cache['miss_ms']:.1f} ms, hit {cache['hit_ms']:.3f} ms")
    if "embedded" in details:
        for name, row in details["embedded"].get("strategies", {}).items():
            if "error" in row:
                console.print(f"[yellow]embedded {name}: {row['error']}[/yellow]")
                continue
            console.print(
                f"embedded {name}: seed cold {_fmt(row.get('seed_seconds'))} s, "
                f"warm {_fmt(row.get('seed_warm_seconds'))} s; "
                f"dev mean {_fmt(row.get('dev_mean_seconds'))} s; "
                f"{_fmt(row.get('completion_tokens_per_s'))} completion tokens/s"
            )
    if "instructions" in details and "per_article_m" in details["instructions"]:
        console.print(
            "instructions per article (callgrind, millions): "
            + ", ".join(
                f"{label} analysis {row['analysis']:.1f} / extraction {row['extraction']:.1f}"
                for label, row in details["instructions"]["per_article_m"].items()
            )
        )


def _print_peers_embedded(rows: dict[str, Any], console: Console) -> None:
    table = Table(title=f"peers on the embedded model ({len(rows['documents'])} documents)")
    for column in (
        "client",
        "claims F1",
        "with speaker F1",
        "model s/article",
        "wall s/article",
        "F1 per model s",
    ):
        table.add_column(column, justify="right")
    for name, client in rows["clients"].items():
        table.add_row(
            name,
            _fmt((client.get("claims") or {}).get("f1")),
            _fmt((client.get("claims_with_speaker") or {}).get("f1")),
            _fmt(client["mean_model_s"]),
            _fmt(client["mean_wall_s"]),
            _fmt(client["speaker_f1_per_model_s"]),
        )
    console.print(table)
    console.print(f"claimscope / best peer, F1 per model second: {_fmt(rows['f1_per_model_s_vs_best_peer'])}")
