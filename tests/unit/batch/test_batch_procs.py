"""The processes engine: worker processes give the local engine's output, and a dead worker loses nothing."""

import asyncio
import functools
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from extractor import Extractor
from extractor.batch.jsonl import JsonlSink
from extractor.batch.processes import run_batch_processes
from extractor.batch.records import BatchOptions, run_batch
from extractor.cli.batch import BatchJob, build_extractor
from extractor.errors import ConfigError, LLMAuthError
from extractor.settings import EMBEDDED_MODEL
from schemas import ArticleExtraction
from tests.unit.batch.batchkit import TEXT, records, write_input

FAKE = "fake/latency=0.01,seed=1"


def outputs(path: Path) -> dict[str | None, dict[str, Any]]:
    rows = {}
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if "extraction" in row:
            row["extraction"].pop("provenance")  # timings differ from run to run
        rows[row["id"]] = row
    return rows


async def test_worker_processes_write_what_the_local_engine_writes(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 12)
    options = BatchOptions(concurrency=6)
    with JsonlSink(tmp_path / "local.jsonl") as sink:
        local = await run_batch(records(source), sink, build_extractor(FAKE, None, None, False), options)
    factory = functools.partial(build_extractor, FAKE, None, None, False)
    with JsonlSink(tmp_path / "procs.jsonl") as sink:
        summary = await run_batch_processes(records(source), sink, factory, options, workers=2)
    assert (summary.status, summary.engine) == ("completed", "processes")
    assert (summary.ok, summary.failed) == (local.ok, local.failed) == (12, 1)
    assert summary.requests == local.requests > 0
    assert outputs(tmp_path / "procs.jsonl") == outputs(tmp_path / "local.jsonl")


class _DiesOnBoom:
    """An extractor whose process exits when it meets the article ``boom`` (a crash, an OOM kill)."""

    def __init__(self) -> None:
        self._inner = build_extractor(FAKE, None, None, False)
        self.model = self._inner.model

    async def aextract(self, text: str, **fields: Any) -> ArticleExtraction:
        if fields.get("article_id") == "boom":
            os._exit(9)
        return await self._inner.aextract(text, **fields)


async def test_a_dead_worker_fails_only_its_articles_and_the_others_go_on(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    ids = [f"a{i}" for i in range(5)] + ["boom"] + [f"b{i}" for i in range(10)]
    source.write_text("".join(json.dumps({"id": key, "text": TEXT}) + "\n" for key in ids))
    out = tmp_path / "out.jsonl"
    with JsonlSink(out) as sink:
        summary = await run_batch_processes(
            records(source), sink, _DiesOnBoom, BatchOptions(concurrency=2), workers=2
        )
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert Counter(row["id"] for row in rows) == Counter(ids)  # every line written once: nothing lost
    failed = {row["id"] for row in rows if "error" in row}
    assert "boom" in failed and {row["error"]["type"] for row in rows if "error" in row} == {"worker_error"}
    assert summary.status == "completed" and summary.ok == len(ids) - len(failed) >= 10


async def test_when_every_worker_is_gone_the_job_stops(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    ids = ["boom", *(f"a{i}" for i in range(4))]
    source.write_text("".join(json.dumps({"id": key, "text": TEXT}) + "\n" for key in ids))
    with JsonlSink(tmp_path / "out.jsonl") as sink:
        summary = await run_batch_processes(
            records(source), sink, _DiesOnBoom, BatchOptions(concurrency=1), workers=1
        )
    assert summary.status == "aborted"
    assert summary.error is not None and summary.error["type"] == "worker_error"


def _refused_factory() -> Extractor:
    raise ConfigError("no such provider: nowhere/model")


async def test_a_factory_that_fails_in_the_workers_stops_the_job_with_its_reason(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 3)
    with JsonlSink(tmp_path / "out.jsonl") as sink:
        summary = await run_batch_processes(
            records(source), sink, _refused_factory, BatchOptions(concurrency=2), workers=2, model="x/y"
        )
    assert summary.status == "aborted" and summary.error is not None
    assert summary.error["type"] == "config_error" and "nowhere/model" in summary.error["message"]


class _SlowOrRefused:
    """An extractor that holds the article ``slow`` for a minute and meets refused credentials on ``bad``."""

    model = "fake/slow"

    async def aextract(self, text: str, **fields: Any) -> ArticleExtraction:
        if fields.get("article_id") == "bad":
            raise LLMAuthError("the provider refused the key")
        await asyncio.sleep(60)
        raise AssertionError("the worker should have been stopped")


async def test_an_aborted_job_stops_its_workers_instead_of_waiting_for_them(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": key, "text": TEXT}) + "\n" for key in ("slow", "bad")))
    started = time.monotonic()
    with JsonlSink(tmp_path / "out.jsonl") as sink:
        summary = await run_batch_processes(
            records(source), sink, _SlowOrRefused, BatchOptions(concurrency=2), workers=2
        )
    assert summary.status == "aborted" and summary.error is not None
    assert summary.error["type"] == "llm_auth"
    assert time.monotonic() - started < 20  # not the minute the slow article would have taken
    assert (tmp_path / "out.jsonl").read_text() == ""  # nothing half-done was written


async def test_the_embedded_model_is_refused(tmp_path: Path) -> None:
    def embedded() -> Extractor:
        return Extractor(EMBEDDED_MODEL)

    with JsonlSink(tmp_path / "out.jsonl") as sink, pytest.raises(ConfigError, match="one request at a time"):
        await run_batch_processes(iter([]), sink, embedded, BatchOptions())


def test_workers_without_an_engine_that_has_them_is_refused(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 1)
    job = BatchJob(str(source), str(tmp_path / "out.jsonl"), None, BatchOptions(), workers=2)
    with pytest.raises(ConfigError, match="--workers needs"):
        job.check()
