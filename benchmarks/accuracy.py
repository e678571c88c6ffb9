"""Dev-split accuracy: ``claimscope eval`` on ``../shared/eval/dev.jsonl``, figures to a results file.

::

    python benchmarks/accuracy.py                      # embedded model -> benchmarks/results/accuracy.json
    python benchmarks/accuracy.py --model openai/gpt-4o-mini --out /tmp/gpt.json
    python benchmarks/accuracy.py --report out/dev.html   # plus the review page; it holds eval texts,
                                                          # so keep it out of git (/out/ is ignored)

Extractions go through the result cache (keyed by model, strategy, prompt versions, schema version and text
hash), so after a scorer change a second run re-scores without one model call. ``--no-cache`` forces fresh
extractions, e.g. to measure wall time per document. The results file holds figures and document ids only,
never eval text. ``--check`` exits 1 when an accuracy target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = Path(os.environ.get("CLAIMSCOPE_DEV_JSONL", ROOT.parent / "shared" / "eval" / "dev.jsonl"))
OUT = ROOT / "benchmarks" / "results" / "accuracy.json"

# (layer, figure, minimum) on the overall dev figures.
TARGETS = (
    ("claims", "f1", 0.75),
    ("claims_with_speaker", "f1", 0.68),
    ("actors", "f1", 0.85),
    ("positions", "f1", 0.50),
    ("positions", "found_any_stance", 0.65),
    ("quote_faithfulness", None, 1.0),
)
"""Figures the gold file does not give (positions on dev.jsonl, claims and actor F1 on seesaw_dev.jsonl) are
left out."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_targets(overall: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it holds."""
    rows = []
    for layer, figure, minimum in TARGETS:
        value = overall.get(layer)
        if figure is not None:
            value = value.get(figure) if isinstance(value, dict) else None
        if value is None:
            continue  # a layer the gold does not score, or scores for recall only (partial gold)
        name = f"{layer}.{figure}" if figure else layer
        rows.append(
            {
                "target": name,
                "minimum": minimum,
                "value": value,
                "met": value is not None and value >= minimum,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--gold", type=Path, default=DEV, help="gold JSONL (default: ../shared/eval/dev.jsonl)"
    )
    parser.add_argument("--model", help="litellm model string (default: the embedded model)")
    parser.add_argument("--api-base", help="OpenAI-compatible server for --model")
    parser.add_argument("--limit", type=int, help="first N documents only")
    parser.add_argument("--concurrency", type=int, default=1, help="documents in flight (default 1)")
    parser.add_argument("--no-cache", action="store_true", help="fresh extractions (measures real wall time)")
    parser.add_argument("--report", type=Path, help="also write the HTML review page here (holds eval texts)")
    parser.add_argument(
        "--out", type=Path, default=OUT, help=f"results file (default {OUT.relative_to(ROOT)})"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"no gold file at {args.gold}; set CLAIMSCOPE_DEV_JSONL or pass --gold", file=sys.stderr)
        return 2

    command = [sys.executable, "-m", "extractor", "eval", str(args.gold), "--json"]
    command += ["--concurrency", str(args.concurrency)]
    for flag, value in (("--model", args.model), ("--api-base", args.api_base), ("--limit", args.limit)):
        if value is not None:
            command += [flag, str(value)]
    if args.no_cache:
        command.append("--no-cache")
    if args.report is not None:
        command += ["--report", str(args.report)]
    started = datetime.now(UTC)
    # Progress goes straight to our stderr; the JSON report comes back on stdout.
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        print(f"claimscope eval failed with exit code {done.returncode}", file=sys.stderr)
        return done.returncode
    report = json.loads(done.stdout)
    targets = check_targets(report["overall"])
    result = {
        "benchmark": "accuracy",
        "started": started.isoformat(timespec="seconds"),
        "gold": {"path": str(args.gold), "sha256": _sha256(args.gold), "limit": args.limit},
        "command": command[1:],
        "targets": targets,
        **report,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for row in targets:
        value = "-" if row["value"] is None else f"{row['value']:.3f}"
        print(
            f"{'ok  ' if row['met'] else 'MISS'} {row['target']:<26} {value:>6}  (target >= {row['minimum']})"
        )
    per_doc = report["seconds_per_doc"]
    print(f"seconds per doc: {'-' if per_doc is None else f'{per_doc:.2f}'}   wrote {args.out}")
    return 1 if args.check and not all(row["met"] for row in targets) else 0


if __name__ == "__main__":
    raise SystemExit(main())
