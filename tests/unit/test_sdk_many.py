"""Many articles in one call: order, errors as values, progress, concurrency and the shared cache."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from extractor import (
    Article,
    ConfigError,
    EmptyArticleError,
    Extractor,
    ItemResult,
    LLMTimeoutError,
)
from extractor.settings import Settings
from extractor.testing import FakeCall, FakeLLM

# The quotation names no speaker, so every article puts a speaker question (its passage) to the model.
TEXT = 'Mayor Jane Doe visited the river on Monday. "We will build the bridge at Item {}, whatever it costs."'


def _texts(count: int) -> list[str]:
    return [TEXT.format(index) for index in range(count)]


class SlowOnSome:
    """A FakeLLM whose requests about the articles named in ``slow`` take longer; counts what is in flight."""

    def __init__(self, slow: Sequence[str] = (), delay_s: float = 0.15) -> None:
        self.fake = FakeLLM(handler=self._answer)
        self.slow = slow
        self.delay_s = delay_s
        self.in_flight = 0
        self.most_in_flight = 0

    @staticmethod
    def _answer(call: FakeCall) -> object:
        if "POISON" in call.user_text:
            return LLMTimeoutError("the fake model timed out on this article")
        from extractor.testing import minimal_instance

        return minimal_instance(call.response_model)

    @property
    def model(self) -> str:
        return "fake/slow"

    async def complete(
        self, messages: Sequence[Any], response_model: Any, *, max_tokens: int = 1024, **_: Any
    ) -> Any:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            text = "\n".join(message["content"] for message in messages)
            await asyncio.sleep(self.delay_s if any(name in text for name in self.slow) else 0.01)
            return await self.fake.complete(messages, response_model, max_tokens=max_tokens)
        finally:
            self.in_flight -= 1


def _extractor(tmp_path: Path, llm: object, *, cache: bool = False) -> Extractor:
    settings = Settings(data_dir=tmp_path, cache_enabled=cache)
    return Extractor(llm=llm, settings=settings)  # type: ignore[arg-type]


def test_results_come_in_input_order_by_default(tmp_path: Path) -> None:
    llm = SlowOnSome(slow=["Item 0,"])
    results = list(_extractor(tmp_path, llm).extract_many(_texts(6), concurrency=3))
    assert [item.index for item in results] == list(range(6))
    assert all(item.ok and item.error is None for item in results)
    assert 1 < llm.most_in_flight <= 3


def test_unordered_results_come_as_they_finish_each_with_its_index(tmp_path: Path) -> None:
    llm = SlowOnSome(slow=["Item 0,"])
    results = list(_extractor(tmp_path, llm).extract_many(_texts(6), concurrency=3, ordered=False))
    assert results[-1].index == 0  # the slow one finishes last
    assert sorted(item.index for item in results) == list(range(6))


def test_errors_are_values_and_the_other_articles_go_on(tmp_path: Path) -> None:
    articles: list[str | bytes | Article] = [
        TEXT.format(0),
        "   ",
        Article(id="poisoned", text='Minister Bob Roe came. "We will put POISON on the table, all of it."'),
        Article(id="fine", text=TEXT.format(3)),
    ]
    results = list(_extractor(tmp_path, SlowOnSome()).extract_many(articles))
    assert [item.ok for item in results] == [True, False, False, True]
    assert isinstance(results[1].error, EmptyArticleError) and results[1].id is None
    assert isinstance(results[2].error, LLMTimeoutError) and results[2].id == "poisoned"
    assert results[3].id == "fine" and results[3].unwrap().article_id == "fine"
    assert results[0].id == results[0].unwrap().article_id  # the text's hash id
    with pytest.raises(LLMTimeoutError):
        results[2].unwrap()


def test_progress_is_called_after_every_article_with_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None, int]] = []

    def progress(done: int, total: int | None, item: ItemResult) -> None:
        seen.append((done, total, item.index))

    list(_extractor(tmp_path, FakeLLM()).extract_many(_texts(4), progress=progress))
    assert seen == [(1, 4, 0), (2, 4, 1), (3, 4, 2), (4, 4, 3)]
    seen.clear()
    list(_extractor(tmp_path, FakeLLM()).extract_many(iter(_texts(2)), progress=progress))
    assert [total for _, total, _ in seen] == [None, None]


def test_the_result_cache_is_shared_with_extract(tmp_path: Path) -> None:
    llm = FakeLLM()
    extractor = _extractor(tmp_path, llm, cache=True)
    first = list(extractor.extract_many(_texts(3)))
    assert not any(item.unwrap().provenance.cached for item in first)
    requests = len(llm.calls)
    again = list(extractor.extract_many(_texts(3)))
    assert all(item.unwrap().provenance.cached for item in again)
    assert extractor.extract(TEXT.format(1)).provenance.cached
    assert len(llm.calls) == requests


async def test_the_async_twin_takes_an_async_iterable_and_stops_cleanly(tmp_path: Path) -> None:
    async def articles() -> AsyncIterator[str]:
        for text in _texts(5):
            yield text

    extractor = _extractor(tmp_path, SlowOnSome())
    results = [item async for item in extractor.aextract_many(articles(), concurrency=2)]
    assert [item.index for item in results] == list(range(5))
    stream = extractor.aextract_many(_texts(20), concurrency=2)
    async for _ in stream:
        break
    await stream.aclose()  # leaving early cancels the articles still in flight


def test_a_single_text_or_a_bad_concurrency_is_refused(tmp_path: Path) -> None:
    extractor = _extractor(tmp_path, FakeLLM())
    with pytest.raises(ConfigError, match="for one article use extract"):
        list(extractor.extract_many(TEXT))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="concurrency"):
        extractor.aextract_many(_texts(2), concurrency=0)


def test_leaving_the_blocking_loop_early_cancels_cleanly_and_the_extractor_still_works(
    tmp_path: Path,
) -> None:
    llm = SlowOnSome()
    extractor = _extractor(tmp_path, llm)
    for item in extractor.extract_many(_texts(30), concurrency=3):
        assert item.index == 0
        break
    assert llm.in_flight == 0
    assert extractor.extract(TEXT.format(99)).article_id.startswith("sha256:")
