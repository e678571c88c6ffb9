import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.batch.engine import RateGate, _backoff, process_record
from extractor.batch.records import BatchOptions, BatchSummary, ErrorRecord, InputLine, run_batch
from extractor.cache import ResultCache
from extractor.cli.batch import fake_llm
from extractor.errors import (
    ClaimscopeError,
    ConfigError,
    LLMAuthError,
    LLMConnectionError,
    LLMOutputError,
    LLMRateLimitError,
    LLMTimeoutError,
)
from extractor.testing import FakeLLM
from schemas import ArticleExtraction, Usage
from schemas.article import Provenance

TEXT = 'Mayor Jane Doe said "we will build the bridge" on Monday. Minister Bob Roe disagreed.'
FAST = BatchOptions(concurrency=4, backoff_base_s=0.001)


def extraction(article_id: str, *, tokens: int = 0, cached: bool = False) -> ArticleExtraction:
    usage = Usage(prompt_tokens=tokens, completion_tokens=0, requests=1 if tokens else 0)
    provenance = Provenance(model="stub", strategy="pipeline", usage=usage, cached=cached)
    return ArticleExtraction(article_id=article_id, text_sha256="0" * 64, provenance=provenance)


class MemorySink:
    def __init__(self, done: set[str] | None = None, fail_writes: bool = False) -> None:
        self.results: dict[str, ArticleExtraction] = {}
        self.errors: list[ErrorRecord] = []
        self.done = done or set()
        self.fail_writes = fail_writes
        self.retry_failed: bool | None = None

    def done_ids(self, *, retry_failed: bool = False) -> set[str]:
        self.retry_failed = retry_failed
        return set(self.done)

    def write_result(self, id: str, extraction: ArticleExtraction) -> None:
        if self.fail_writes:
            raise OSError(28, "No space left on device")
        assert id not in self.results
        self.results[id] = extraction

    def write_error(self, record: ErrorRecord) -> None:
        self.errors.append(record)

    @property
    def ids(self) -> list[str | None]:
        return sorted([*self.results, *(e.id for e in self.errors)], key=str)


Behaviour = Callable[[str, int], Awaitable[ArticleExtraction]]


class StubExtractor:
    """Calls ``behaviour(article_id, call_number_for_that_id)``; tracks concurrency."""

    model = "fake/stub"

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.calls: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0

    async def aextract(
        self,
        text: str,
        *,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        assert article_id is not None
        self.calls[article_id] = self.calls.get(article_id, 0) + 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self.behaviour(article_id, self.calls[article_id])
        finally:
            self.in_flight -= 1


def records(count: int, prefix: str = "a") -> list[InputLine]:
    return [InputLine(id=f"{prefix}{i}", text=TEXT, line=i + 1) for i in range(count)]


async def ok(article_id: str, call: int) -> ArticleExtraction:
    await asyncio.sleep(0)
    return extraction(article_id, tokens=10)


async def test_every_record_gets_one_result_with_the_real_extractor_and_fake_llm() -> None:
    fake = FakeLLM()
    sink = MemorySink()
    summary = await run_batch(records(12), sink, Extractor(llm=fake, use_cache=False), FAST)
    assert summary.status == "completed"
    assert (summary.ok, summary.failed, summary.cached) == (12, 0, 0)
    assert sorted(sink.results) == sorted(f"a{i}" for i in range(12))
    assert summary.requests == len(fake.calls)
    assert summary.prompt_tokens == 100 * len(fake.calls)
    assert summary.completion_tokens == 20 * len(fake.calls)
    assert summary.model == "fake/llm"
    assert summary.cost_usd is None


async def test_in_flight_work_is_bounded_by_concurrency() -> None:
    async def slow(article_id: str, call: int) -> ArticleExtraction:
        await asyncio.sleep(0.001)
        return extraction(article_id)

    stub = StubExtractor(slow)
    summary = await run_batch(records(30), MemorySink(), stub, BatchOptions(concurrency=3))
    assert summary.ok == 30
    assert stub.max_in_flight == 3


async def test_sync_and_async_sources_behave_alike() -> None:
    async def source() -> AsyncIterator[InputLine | ErrorRecord]:
        for record in records(5):
            yield record
        yield ErrorRecord(None, 6, "malformed_json", "bad")

    sink = MemorySink()
    summary = await run_batch(source(), sink, StubExtractor(ok), FAST)
    assert (summary.ok, summary.failed) == (5, 1)
    assert sink.errors[0].type == "malformed_json"


async def test_rate_limit_then_success_is_retried_and_holds_the_shared_gate() -> None:
    async def limited(article_id: str, call: int) -> ArticleExtraction:
        if call == 1:
            raise LLMRateLimitError("429", retry_after=0.002)
        return extraction(article_id)

    class RecordingGate(RateGate):
        def __init__(self) -> None:
            super().__init__()
            self.holds: list[float] = []

        def hold(self, seconds: float) -> None:
            self.holds.append(seconds)
            super().hold(seconds)

    gate = RecordingGate()
    outcome = await process_record(StubExtractor(limited), records(1)[0], FAST, gate)
    assert outcome.extraction is not None
    assert gate.holds == [0.002]


def test_backoff_honours_retry_after_capped_and_grows_otherwise() -> None:
    options = BatchOptions(backoff_base_s=1.0, max_backoff_s=30.0)
    assert _backoff(LLMRateLimitError("429", retry_after=7.0), 1, options) == 7.0
    assert _backoff(LLMRateLimitError("429", retry_after=600.0), 1, options) == 30.0
    first = _backoff(LLMTimeoutError("slow"), 1, options)
    third = _backoff(LLMTimeoutError("slow"), 3, options)
    assert 0.5 <= first <= 1.5
    assert 2.0 <= third <= 6.0


async def test_timeouts_after_every_attempt_become_an_error_record_with_attempts() -> None:
    async def slow(article_id: str, call: int) -> ArticleExtraction:
        raise LLMTimeoutError("no answer in time")

    sink = MemorySink()
    stub = StubExtractor(slow)
    options = BatchOptions(attempts=3, backoff_base_s=0.001)
    summary = await run_batch(records(2), sink, stub, options)
    assert summary.status == "completed"
    assert summary.failed == 2
    assert {(e.type, e.attempts) for e in sink.errors} == {("llm_timeout", 3)}
    assert stub.calls == {"a0": 3, "a1": 3}
    assert summary.errors_by_type == {"llm_timeout": 2}


async def test_invalid_output_is_an_error_record_and_its_tokens_count() -> None:
    async def garbage(article_id: str, call: int) -> ArticleExtraction:
        raise LLMOutputError(
            "did not validate", attempts=3, last_output="{no", usage=Usage(prompt_tokens=30, requests=3)
        )

    sink = MemorySink()
    summary = await run_batch(records(2), sink, StubExtractor(garbage), FAST)
    assert summary.failed == 2
    assert {(e.type, e.attempts) for e in sink.errors} == {("llm_bad_output", 1)}
    assert (summary.prompt_tokens, summary.requests) == (60, 6)


async def test_a_bug_in_one_article_is_an_internal_error_record_not_a_crash() -> None:
    async def buggy(article_id: str, call: int) -> ArticleExtraction:
        if article_id == "a1":
            raise KeyError("surprise")
        return extraction(article_id)

    sink = MemorySink()
    summary = await run_batch(records(3), sink, StubExtractor(buggy), FAST)
    assert (summary.status, summary.ok, summary.failed) == ("completed", 2, 1)
    assert sink.errors[0].type == "internal_error"
    assert "KeyError" in sink.errors[0].message


@pytest.mark.parametrize("error", [LLMAuthError("bad key"), LLMConnectionError("down"), ConfigError("bad")])
async def test_model_level_errors_abort_and_write_nothing_for_that_article(error: ClaimscopeError) -> None:
    async def broken(article_id: str, call: int) -> ArticleExtraction:
        if article_id == "a2":
            raise error
        await asyncio.sleep(0)
        return extraction(article_id)

    sink = MemorySink()
    summary = await run_batch(
        records(50),
        sink,
        StubExtractor(broken),
        BatchOptions(concurrency=1, attempts=2, backoff_base_s=0.001),
    )
    assert summary.status == "aborted"
    assert summary.error is not None
    assert summary.error["type"] == error.code
    assert sorted(sink.results) == ["a0", "a1"]
    assert sink.errors == []


async def test_budget_stops_starting_new_work_and_says_so() -> None:
    sink = MemorySink()
    options = BatchOptions(concurrency=1, budget_tokens=25)
    summary = await run_batch(records(10), sink, StubExtractor(ok), options)
    # 0, 10 and 20 tokens spent when articles 1-3 start; 30 >= 25 stops the fourth.
    assert summary.status == "budget_exhausted"
    assert summary.ok == 3
    assert summary.tokens == 30
    assert sorted(sink.results) == ["a0", "a1", "a2"]


async def test_resume_skips_done_keys_and_passes_retry_failed_to_the_sink() -> None:
    sink = MemorySink(done={"a0", "a3", "\x00line:9"})
    stub = StubExtractor(ok)
    source = [*records(5), ErrorRecord(None, 9, "malformed_json", "bad")]
    options = BatchOptions(resume=True, retry_failed=True)
    summary = await run_batch(source, sink, stub, options)
    assert sink.retry_failed is True
    assert summary.skipped == 3
    assert sorted(stub.calls) == ["a1", "a2", "a4"]
    assert sink.errors == []


async def test_without_resume_the_sink_is_not_asked() -> None:
    sink = MemorySink(done={"a0"})
    summary = await run_batch(records(2), sink, StubExtractor(ok), FAST)
    assert (summary.ok, summary.skipped, sink.retry_failed) == (2, 0, None)


async def test_repeated_run_is_served_from_the_cache_without_llm_calls(tmp_path: Path) -> None:
    fake = FakeLLM()
    cache = ResultCache(tmp_path / "cache.sqlite3")
    items = [InputLine(id=f"a{i}", text=f"{TEXT} Item {i}.", line=i + 1) for i in range(5)]
    first = await run_batch(items, MemorySink(), Extractor(llm=fake, cache=cache), FAST)
    calls = len(fake.calls)
    second_sink = MemorySink()
    second = await run_batch(items, second_sink, Extractor(llm=fake, cache=cache), FAST)
    assert (first.cached, second.cached, second.ok) == (0, 5, 5)
    assert len(fake.calls) == calls
    assert second.tokens == 0
    assert all(result.provenance.cached for result in second_sink.results.values())
    assert sorted(r.article_id for r in second_sink.results.values()) == [f"a{i}" for i in range(5)]


async def test_progress_sees_the_live_summary() -> None:
    seen: list[tuple[int, str]] = []

    def progress(summary: BatchSummary) -> None:
        seen.append((summary.done, summary.status))

    summary = await run_batch(records(4), MemorySink(), StubExtractor(ok), FAST, progress)
    assert [done for done, _ in seen[:4]] == [1, 2, 3, 4]
    assert seen[-1] == (4, "completed")
    assert summary.articles_per_s > 0


async def test_a_failing_sink_aborts_the_job() -> None:
    summary = await run_batch(records(3), MemorySink(fail_writes=True), StubExtractor(ok), FAST)
    assert summary.status == "aborted"
    assert summary.error is not None and summary.error["type"] == "sink_error"


async def test_a_failing_source_aborts_the_job_with_the_reason() -> None:
    def source() -> object:
        yield records(1)[0]
        raise OSError("input vanished")

    summary = await run_batch(source(), MemorySink(), StubExtractor(ok), FAST)  # type: ignore[arg-type]
    assert summary.status == "aborted"
    assert summary.error is not None and "input vanished" in summary.error["message"]


async def test_cancelling_the_job_cancels_work_in_flight_and_writes_nothing_for_it() -> None:
    started = asyncio.Event()

    async def hang(article_id: str, call: int) -> ArticleExtraction:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    sink = MemorySink()
    stub = StubExtractor(hang)
    task = asyncio.create_task(run_batch(records(10), sink, stub, FAST))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert stub.in_flight == 0
    assert sink.results == {} and sink.errors == []


async def test_random_fault_injection_still_gives_exactly_one_outcome_per_id() -> None:
    llm = fake_llm("fake/fail=0.1,timeout=0.1,ratelimit=0.1,garbage=0.1,retry_after=0.001,seed=7")
    sink = MemorySink()
    options = BatchOptions(concurrency=5, attempts=2, backoff_base_s=0.001)
    # An article with a policy to take a stance on, so every extraction asks the model something.
    text = TEXT.replace("the bridge", "the bridge tax") + " Roe opposed the bridge tax."
    lines = [InputLine(id=f"a{i}", text=text, line=i + 1) for i in range(40)]
    summary = await run_batch(lines, sink, Extractor(llm=llm, use_cache=False), options)
    assert summary.status == "completed"
    assert sink.ids == sorted((f"a{i}" for i in range(40)), key=str)
    assert summary.ok + summary.failed == 40
    assert summary.failed > 0 and summary.ok > 0
    assert set(summary.errors_by_type) <= {"llm_error", "llm_timeout", "llm_rate_limited", "llm_bad_output"}


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError):
        BatchOptions(concurrency=0)
    with pytest.raises(ConfigError):
        BatchOptions(attempts=0)
    with pytest.raises(ConfigError):
        BatchOptions(budget_tokens=-1)
