"""Many articles through one extract function: bounded concurrency, results as values, in either order."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterable, Sized
from dataclasses import dataclass

from extractor.errors import ClaimscopeError, ConfigError
from schemas import Article, ArticleExtraction

__all__ = ["ItemResult", "ManyProgress", "extract_each"]

# In input order, finished results may wait behind a slow one; this many per slot at most.
_ORDERED_WINDOW_PER_SLOT = 4


@dataclass(frozen=True)
class ItemResult:
    """The outcome for one article of :meth:`extractor.Extractor.extract_many`: an extraction or an error.

    Attributes:
        index: Position of the article in the input (from 0).
        id: The article's id: ``Article.id`` when given, else the extraction's ``article_id`` (a hash of
            the text); None for a failed article that had no id.
        extraction: The result, when the article succeeded.
        error: Why it failed, when it did (a :class:`~extractor.errors.ClaimscopeError`, with its
            ``code``).
    """

    index: int
    id: str | None
    extraction: ArticleExtraction | None = None
    error: ClaimscopeError | None = None

    @property
    def ok(self) -> bool:
        """Whether the article was extracted."""
        return self.extraction is not None

    def unwrap(self) -> ArticleExtraction:
        """The extraction, or raise the article's error."""
        if self.extraction is None:
            assert self.error is not None
            raise self.error
        return self.extraction


ManyProgress = Callable[[int, "int | None", ItemResult], None]
"""``progress(done, total, result)``: called after each article; ``total`` is None for unsized input."""

Source = str | bytes | Article
ExtractOne = Callable[[Source], Awaitable[ArticleExtraction]]


async def _one(extract: ExtractOne, index: int, source: Source, slots: asyncio.Semaphore) -> ItemResult:
    given = source.id if isinstance(source, Article) else None
    async with slots:
        try:
            extraction = await extract(source)
        except ClaimscopeError as error:
            return ItemResult(index, given, error=error)
    return ItemResult(index, given or extraction.article_id, extraction=extraction)


async def _sources(articles: Iterable[Source] | AsyncIterable[Source]) -> AsyncGenerator[Source, None]:
    if isinstance(articles, AsyncIterable):
        async for article in articles:
            yield article
    else:
        for article in articles:
            yield article


async def extract_each(
    extract: ExtractOne,
    articles: Iterable[Source] | AsyncIterable[Source],
    *,
    concurrency: int,
    ordered: bool,
    progress: ManyProgress | None,
) -> AsyncGenerator[ItemResult, None]:
    """Run ``extract`` over ``articles``; see :meth:`extractor.Extractor.aextract_many`."""
    if isinstance(articles, str | bytes | Article):
        raise ConfigError("extract_many takes a list (or iterable) of articles; for one article use extract")
    total = len(articles) if isinstance(articles, Sized) else None
    slots = asyncio.Semaphore(concurrency)
    window = concurrency * _ORDERED_WINDOW_PER_SLOT if ordered else concurrency
    pending: deque[asyncio.Task[ItemResult]] = deque()
    done = 0
    source = _sources(articles)
    exhausted = False
    index = 0
    try:
        while True:
            while not exhausted and len(pending) < window:
                try:
                    article = await anext(source)
                except StopAsyncIteration:
                    exhausted = True
                    break
                pending.append(asyncio.create_task(_one(extract, index, article, slots)))
                index += 1
            if not pending:
                return
            if ordered:
                finished = [await pending[0]]
                pending.popleft()
            else:
                ready, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                finished = sorted((task.result() for task in ready), key=lambda item: item.index)
                for task in ready:
                    pending.remove(task)
            for result in finished:
                done += 1
                if progress is not None:
                    progress(done, total, result)
                yield result
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        with contextlib.suppress(Exception):
            await source.aclose()
