"""Peak memory of the streaming batch path: N generated lines through the real engine and the fake LLM.

Runs read_lines -> parse_lines -> run_batch -> JsonlSink in this process with ``FakeLLM`` (latency 0, no
cache) and prints JSON on stdout: peak RSS in MB, RSS samples along the run (flat means streaming works),
wall time and throughput. The target: 100k lines within 300 MB::

    python benchmarks/batch_rss.py --lines 100000          # the full check (CPU-bound: ~15 ms/line)
    python benchmarks/batch_rss.py                         # a quick smoke run
    python benchmarks/batch_rss.py --lines 100000 --stub   # engine + I/O only (no pipeline)

``--stub`` swaps the extractor for one returning a prebuilt extraction, to measure the engine alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import psutil

from extractor.batch.jsonl import JsonlSink, count_lines, read_lines
from extractor.batch.lines import parse_lines
from extractor.batch.records import BatchOptions, BatchSummary, run_batch
from extractor.cache import text_sha256
from extractor.cli.batch import build_extractor
from schemas import ArticleExtraction, Usage
from schemas.article import Provenance

SENTENCES = [
    'Mayor {name} said "we will finish the bridge before winter" on Monday.',
    "The transport minister, Bob Roe, disagreed and called the plan reckless.",
    'Critics argued that the budget "does not add up", according to a statement.',
    "Officials in the capital declined to comment on the negotiations.",
]


def write_input(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as file:
        for index in range(lines):
            text = " ".join(sentence.format(name=f"Jane Doe{index}") for sentence in SENTENCES)
            file.write(json.dumps({"id": f"art-{index}", "text": text, "title": f"Story {index}"}) + "\n")


class StubExtractor:
    """Skips the pipeline: a fixed-size extraction per article, usage as the fake LLM would count it."""

    model = "fake/stub"

    async def aextract(self, text: str, *, article_id: str | None = None, **_: object) -> ArticleExtraction:
        usage = Usage(prompt_tokens=200, completion_tokens=40, requests=2)
        provenance = Provenance(model=self.model, strategy="pipeline", usage=usage)
        sha = text_sha256(text)
        return ArticleExtraction(article_id=article_id or "", text_sha256=sha, provenance=provenance)


def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


async def run(
    source: Path, out: Path, lines: int, concurrency: int, stub: bool
) -> tuple[BatchSummary, list[float]]:
    samples: list[float] = []
    step = max(lines // 10, 1)

    def progress(summary: BatchSummary) -> None:
        if summary.done % step == 0:
            samples.append(round(rss_mb(), 1))

    extractor = StubExtractor() if stub else build_extractor("fake/", None, None, False)
    with source.open("rb") as stream, JsonlSink(out, overwrite=True) as sink:
        records = parse_lines(read_lines(stream, 1 << 20))
        summary = await run_batch(records, sink, extractor, BatchOptions(concurrency=concurrency), progress)
    return summary, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=2000, help="input lines (the issue's bar: 100000)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--stub", action="store_true", help="skip the pipeline: measure the engine alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        source, out = Path(directory) / "in.jsonl", Path(directory) / "out.jsonl"
        write_input(source, args.lines)
        baseline = rss_mb()
        started = time.perf_counter()
        summary, samples = asyncio.run(run(source, out, args.lines, args.concurrency, args.stub))
        wall = time.perf_counter() - started
        out_lines = count_lines(out)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    report = {
        "benchmark": "batch_rss",
        "lines": args.lines,
        "concurrency": args.concurrency,
        "extractor": "stub" if args.stub else "fake-llm pipeline",
        "ok": summary.ok,
        "failed": summary.failed,
        "out_lines": out_lines,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "rss_samples_mb": samples,
        "wall_s": round(wall, 2),
        "articles_per_s": round(summary.done / wall, 1) if wall else None,
        "within_300_mb": peak_mb <= 300,
    }
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
