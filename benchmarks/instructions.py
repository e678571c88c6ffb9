"""CPU work per article counted in instructions by valgrind's callgrind (section ``instructions``).

Wall-clock and process CPU time on this 2-core machine drift by up to 30 % between identical runs, so
comparing claimscope's own CPU work across two trees is only trustworthy as an instruction count:
callgrind counts the same total for the same code and input whatever else the machine is doing.

Each figure is the difference between two counted runs of one child process, one over 12 articles and
one over 2 (the same articles, the same warm-up), divided by 10, so start-up and imports cancel out:

- ``analysis``: the code analysis alone (``extractor.pipeline.run._analyse``: sentences, quotes, cues,
  names, the roster and the claim candidates).
- ``extraction``: whole extractions through :class:`~extractor.testing.FakeLLM`. Its answers are
  computed beforehand (the rich answers of the ``cpu`` section, outside valgrind) and replayed from a
  file, so generating them is not counted: what remains is prompts, response models, parsing,
  validation, grounding and merging, as in ``cpu_ms_per_10kb``.

Not in the default run (about 2 minutes under valgrind; skipped when valgrind is absent):
``python -m benchmarks.run --only instructions``. Run it on two trees to compare them.
"""

from __future__ import annotations

import argparse
import asyncio
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.articles import articles
from extractor import Extractor, Settings
from extractor.testing import FakeCall, FakeLLM
from schemas import ArticleExtraction

__all__ = ["SIZES", "count_instructions", "record_answers", "replay", "run_instructions"]

SIZES = {"3kb": 3_000, "10kb": 10_000}
_SMALL, _LARGE = 2, 12
_SEED = 7
_COLLECTED = re.compile(r"Collected\s*:\s*([\d,]+)")
Answers = dict[tuple[str, int, str], object]


def _texts(size: int) -> list[str]:
    # The last one warms up (imports, first response classes); both runs read the same articles.
    return articles(_LARGE + 1, size, seed=_SEED)


def _key(call: FakeCall) -> tuple[str, int, str]:
    return (call.response_model.__name__, call.attempt, call.user_text)


def _extractor(llm: FakeLLM) -> Extractor:
    return Extractor(llm=llm, use_cache=False, settings=Settings(cache_enabled=False))


def record_answers(size: int) -> tuple[Answers, list[ArticleExtraction]]:
    """The rich fake answers every question of the articles gets, keyed by what was asked, and the
    extractions they gave, in the order of the articles.

    The warm-up article is extracted last here and first in :func:`replay`; each article's questions
    depend on that article alone, so the order does not change what is asked.
    """
    from benchmarks.cpu import TimedHandler

    rich = TimedHandler()
    answers: Answers = {}

    def handler(call: FakeCall) -> object:
        answer = answers[_key(call)] = rich(call)
        return answer

    extractor = _extractor(FakeLLM(handler))

    async def run() -> list[ArticleExtraction]:
        return [await extractor.aextract(text) for text in _texts(size)]

    return answers, asyncio.run(run())


def replay(count: int, size: int, answers: Answers) -> list[ArticleExtraction]:
    """Extract the warm-up article and the first ``count`` articles with the recorded answers."""
    texts = _texts(size)
    extractor = _extractor(FakeLLM(lambda call: answers[_key(call)]))

    async def run() -> list[ArticleExtraction]:
        return [await extractor.aextract(text) for text in [texts[-1], *texts[:count]]]

    return asyncio.run(run())


def _child(work: str, count: int, size: int, answers_path: str) -> None:
    if work == "analysis":
        from extractor.pipeline.run import _analyse

        texts = _texts(size)
        for text in [texts[-1], *texts[:count]]:
            _analyse(text)
        return
    replay(count, size, pickle.loads(Path(answers_path).read_bytes()))  # noqa: S301 - our own file


def count_instructions(work: str, count: int, size: int, answers_path: str) -> int:
    """Instructions callgrind counts for one child run over ``count`` articles."""
    with tempfile.TemporaryDirectory(prefix="claimscope-callgrind-") as scratch:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={Path(scratch) / 'callgrind.out'}",
                sys.executable,
                "-m",
                "benchmarks.instructions",
                "--child",
                work,
                str(count),
                str(size),
                answers_path,
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[1],
        )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run failed ({done.returncode}): {done.stderr[-1500:]}")
    return int(found.group(1).replace(",", ""))


def run_instructions(sizes: dict[str, int] | None = None) -> dict[str, Any]:
    """Millions of instructions per article, for the analysis and the whole extraction, at each size."""
    if shutil.which("valgrind") is None:
        return {"status": "unavailable", "note": "valgrind is not installed (apt-get install valgrind)"}
    out: dict[str, Any] = {"articles_counted": _LARGE - _SMALL, "per_article_m": {}}
    with tempfile.TemporaryDirectory(prefix="claimscope-answers-") as scratch, ThreadPoolExecutor(2) as pool:
        for label, size in (sizes or SIZES).items():
            answers_path = str(Path(scratch) / f"{label}.pickle")
            Path(answers_path).write_bytes(pickle.dumps(record_answers(size)[0]))
            row: dict[str, float] = {}
            for work in ("analysis", "extraction"):
                # The two counted runs are independent: one on each core.
                small, large = pool.map(
                    count_instructions, [work] * 2, (_SMALL, _LARGE), [size] * 2, [answers_path] * 2
                )
                row[work] = round((large - small) / (_LARGE - _SMALL) / 1e6, 2)
            out["per_article_m"][label] = row
    return out


def main(argv: list[str] | None = None) -> int:
    """``--child WORK COUNT SIZE ANSWERS``: the counted work (run under valgrind by the section)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("--child", nargs=4, metavar=("WORK", "COUNT", "SIZE", "ANSWERS"))
    args = parser.parse_args(argv)
    if args.child:
        work, count, size, answers_path = args.child
        _child(work, int(count), int(size), answers_path)
        return 0
    print(run_instructions())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
