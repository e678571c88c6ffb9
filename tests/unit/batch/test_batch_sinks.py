"""Sinks of either kind, plain methods or coroutines: every outcome reaches them, none is lost."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, ErrorRecord, run_batch
from extractor.sdk import Extractor
from extractor.settings import Settings
from extractor.testing import FakeLLM
from schemas import ArticleExtraction
from tests.unit.batch.batchkit import records, write_input


class SyncSink:
    def __init__(self) -> None:
        self.results: dict[str, ArticleExtraction] = {}
        self.errors: list[ErrorRecord] = []

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        return set(self.results)

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        self.results[id] = extraction

    def write_error(self, record: ErrorRecord) -> None:
        self.errors.append(record)


class AsyncSink:
    """Stores after yielding to the loop, as a database client would."""

    def __init__(self) -> None:
        self.results: dict[str, ArticleExtraction] = {}
        self.errors: list[ErrorRecord] = []

    async def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        await asyncio.sleep(0)
        return set(self.results)

    async def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        await asyncio.sleep(0.002)
        self.results[id] = extraction

    async def write_error(self, record: ErrorRecord) -> None:
        await asyncio.sleep(0.002)
        self.errors.append(record)


@pytest.mark.parametrize("sink_class", [SyncSink, AsyncSink])
async def test_no_result_is_lost_with_either_kind_of_sink(
    tmp_path: Path, sink_class: type[SyncSink] | type[AsyncSink]
) -> None:
    source = write_input(tmp_path / "in.jsonl", 30)
    extractor = Extractor(
        llm=FakeLLM(latency_s=0.001), settings=Settings(data_dir=tmp_path, cache_enabled=False)
    )
    sink = sink_class()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a coroutine never awaited would warn
        summary = await run_batch(records(source), sink, extractor, BatchOptions(concurrency=6))
    assert (summary.status, summary.ok, summary.failed) == ("completed", 30, 1)
    assert sorted(sink.results) == sorted(f"a{i}" for i in range(30))
    assert [error.type for error in sink.errors] == ["malformed_json"]


async def test_an_async_sink_resumes_from_its_awaited_done_ids(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 5)
    extractor = Extractor(llm=FakeLLM(), settings=Settings(data_dir=tmp_path, cache_enabled=False))
    sink = AsyncSink()
    await run_batch(records(source), sink, extractor, BatchOptions(concurrency=2))
    again = await run_batch(records(source), sink, extractor, BatchOptions(concurrency=2, resume=True))
    assert (again.skipped, again.ok) == (5, 0)
