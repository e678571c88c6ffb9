"""Merge results files of separate section runs into one ``latest.json``.

::

    python -m benchmarks.run --only seed --output benchmarks/results/part_seed.json
    python -m benchmarks.merge benchmarks/results/part_*.json      # -> benchmarks/results/latest.json

Sections run at different times (the embedded-model ones need the shared model quiet, the throughput ones
need the cores quiet), each into its own ``part_*.json``. The merge keeps every part's ``details`` and
timings (a later part's section replaces an earlier one's), takes each headline figure from the last
part that measured it, lists under ``merged_from`` each part's date, sections and the details kept from
it, and writes the targets as :data:`benchmarks.report.TARGETS` has them. Retired figures are dropped.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from benchmarks.report import TARGETS

__all__ = ["RETIRED", "merge"]

RETIRED = frozenset({"throughput_ratio_ideal_64", "throughput_ratio_critical_path_64"})
"""Headline keys no longer measured: the fake-server throughput ratio to ``c / L``."""
_RETIRED_PER_RUN = ("ideal_articles_per_s", "ratio_ideal", "ratio_critical_path", "rounds")
_RUN_KEYS = frozenset({"date", "mode", "machine", "config", "targets", "details", "seconds", "command"})


def _drop_retired(details: dict[str, Any]) -> None:
    runs = list(details.get("throughput", []))
    peers = details.get("peers", {})
    runs += [
        peers[name]
        for name in ("claimscope", "claimscope_single", "instructor", "langextract")
        if name in peers
    ]
    runs += [details["throughput_processes"]] if "throughput_processes" in details else []
    for run in runs:
        for key in _RETIRED_PER_RUN:
            run.pop(key, None)


def merge(parts: list[Path]) -> dict[str, Any]:
    """The merged document of ``parts`` (in order: a later part's figure wins over an earlier one's)."""
    documents = [(path, json.loads(path.read_text(encoding="utf-8"))) for path in parts]
    first = documents[0][1]
    merged: dict[str, Any] = {
        "date": max(document["date"] for _, document in documents),
        "mode": first["mode"],
        "machine": first["machine"],
        "config": first["config"],
    }
    headline: dict[str, Any] = {key: None for key in TARGETS}
    details: dict[str, Any] = {}
    seconds: dict[str, Any] = {}
    sections: list[str] = []
    merged_from: dict[str, Any] = {}
    for path, document in documents:
        for key, value in document.items():
            if key not in _RUN_KEYS and key not in RETIRED and value is not None:
                headline[key] = value
        details.update(document.get("details", {}))
        seconds.update(document.get("seconds", {}))
        only = _only(document.get("command", []))
        sections += [name for name in only if name not in sections]
        merged_from[path.name] = {"date": document["date"], "sections": only, "details": []}
    # Which part each kept detail comes from: a later part's section replaces an earlier one's.
    for key in details:
        source = next(path for path, document in reversed(documents) if key in document.get("details", {}))
        merged_from[source.name]["details"].append(key)
    _drop_retired(details)
    merged.update(headline)
    merged["targets"] = {key: {"op": op, "value": value} for key, (op, value) in TARGETS.items()}
    merged["details"] = details
    merged["seconds"] = seconds
    merged["merged_from"] = merged_from
    merged["command"] = ["python", "-m", "benchmarks.run", "--only", ",".join(sections)]
    return merged


def _only(command: list[str]) -> list[str]:
    if "--only" in command:
        return [name for name in command[command.index("--only") + 1].split(",") if name]
    return []


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.merge", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", type=Path, help="results files of section runs, in order")
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).resolve().parent / "results" / "latest.json"
    )
    args = parser.parse_args(argv)
    merged = merge(args.parts)
    args.output.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output} from {len(args.parts)} parts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
