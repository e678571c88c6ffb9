"""The Python face: :class:`Extractor`, one article (``extract``, ``aextract``) or many (``extract_many``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Literal

from extractor.cache import ResultCache, cache_key
from extractor.errors import ArticleTooLargeError, ConfigError, DecodeError, EmptyArticleError
from extractor.llm.client import InstructorLLM, LLMClient
from extractor.many import ItemResult, ManyProgress, extract_each
from extractor.pipeline.run import prompts_in_use, run_extraction
from extractor.settings import EMBEDDED_MODEL, Settings, get_settings
from schemas import Article, ArticleExtraction

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Extractor", "ItemResult", "ManyProgress", "embedded_client", "prepare_article"]

Strategy = Literal["pipeline", "single"]


def prepare_article(
    source: str | bytes | Article,
    *,
    max_chars: int,
    article_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
) -> Article:
    """Check and normalise input into an :class:`Article`, raising a typed :class:`InputError`."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DecodeError(
                f"article bytes are not UTF-8 (first bad byte at offset {error.start}); convert the file "
                "to UTF-8 text first"
            ) from error
    if isinstance(source, Article):
        article = source
    else:
        if not source or not source.strip():
            raise EmptyArticleError("article text is empty or only whitespace; nothing to extract")
        article = Article(text=source, id=article_id, title=title, url=url, published=published)
    if not article.text.strip():
        raise EmptyArticleError("article text is empty or only whitespace; nothing to extract")
    if "\x00" in article.text:
        raise DecodeError("article text contains NUL bytes; it looks like a binary file, not text")
    if len(article.text) > max_chars:
        raise ArticleTooLargeError(len(article.text), max_chars)
    return article


class Extractor:
    """Extract actors, claims and policy positions from news articles.

    With no arguments it uses the embedded local model (started on first use, no key, no network).

    Args:
        model: litellm model string, e.g. ``openai/gpt-4o-mini``; defaults to the embedded model.
        api_base: Base URL of any OpenAI-compatible server.
        api_key: Key for the provider (else the provider's usual environment variable).
        strategy: ``pipeline`` (small constrained decisions; best on small models) or ``single``.
        llm: A ready client (e.g. :class:`extractor.testing.FakeLLM`); overrides model/api_base.
        settings: Settings to use instead of the environment's.
        cache: Result cache; by default the shared SQLite cache when settings enable it.
        use_cache: Force the cache on or off.
        auto_install: Whether the embedded model may be installed on first use (default: the
            ``embedded_auto_install`` setting); when False a missing model raises
            :class:`~extractor.errors.EmbeddedModelError` saying to run ``claimscope model install``.
            Installing and starting log progress on the ``claimscope.embedded`` logger.

    Example:
        >>> from extractor import Extractor
        >>> result = Extractor().extract(open("seeds/us_mexico_cartel_strikes.txt").read())
        >>> [actor.canonical_name for actor in result.actors]
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        strategy: Strategy | None = None,
        llm: LLMClient | None = None,
        settings: Settings | None = None,
        cache: ResultCache | None = None,
        use_cache: bool | None = None,
        auto_install: bool | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._model = model or (llm.model if llm else self.settings.model)
        self._api_base = api_base or self.settings.api_base
        key = api_key or (self.settings.api_key.get_secret_value() if self.settings.api_key else None)
        self._api_key = key
        self.strategy: Strategy = strategy or self.settings.strategy
        if self.strategy not in ("pipeline", "single"):
            raise ConfigError(f"unknown strategy {self.strategy!r}; use 'pipeline' or 'single'")
        self._llm = llm
        self._use_cache = self.settings.cache_enabled if use_cache is None else use_cache
        self._cache = cache
        self._auto_install = auto_install
        # The embedded server may stop itself when idle and come back on another port: asked per article.
        self._on_embedded_server = llm is None and self._model == EMBEDDED_MODEL and not self._api_base
        self._server_url: str | None = None
        self._llm_lock = asyncio.Lock()

    @property
    def model(self) -> str:
        """The model string reported in provenance."""
        return self._model

    @property
    def cache(self) -> ResultCache | None:
        """The result cache in use, opened on first use."""
        if not self._use_cache:
            return None
        if self._cache is None:
            self._cache = ResultCache(self.settings.resolved_cache_path)
        return self._cache

    def cache_key(self, article: Article) -> str:
        """The cache key of an article under this extractor's model, strategy and prompts."""
        return cache_key(
            model=self.model,
            strategy=self.strategy,
            prompt_versions=prompts_in_use(self.strategy, self.model, self.settings),
            text=article.text,
        )

    async def _client(self) -> LLMClient:
        if self._llm is not None and not self._on_embedded_server:
            return self._llm
        async with self._llm_lock:
            if self._on_embedded_server:
                from extractor.llm.embedded import ensure_server

                url = await asyncio.to_thread(ensure_server, self.settings, auto_install=self._auto_install)
                if self._llm is not None and url != self._server_url:
                    await self.aclose()
                    self._llm = None
                self._server_url = url
            if self._llm is None:
                self._llm = await asyncio.to_thread(self._build_client)
        return self._llm

    def _build_client(self) -> LLMClient:
        settings = self.settings
        if self._model.startswith("fake/"):
            from extractor.testing import fake_llm_from_model

            return fake_llm_from_model(self._model)
        if self._on_embedded_server:
            assert self._server_url is not None  # started before the client is built
            return embedded_client(self._server_url, settings)
        model = self._model
        if model == EMBEDDED_MODEL:
            model = "openai/local"
        return InstructorLLM(
            model,
            api_base=self._api_base,
            api_key=self._api_key,
            display_model=self._model,
            http_transport=settings.http_transport,
            **_client_settings(settings),  # type: ignore[arg-type]
        )

    async def aclose(self) -> None:
        """Close the model client's connections (call before the event loop ends)."""
        closer = getattr(self._llm, "aclose", None)
        if closer is not None:
            await closer()

    def extract(
        self,
        text: str | bytes | Article,
        *,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        """Extract from one article (blocking). See :meth:`aextract`."""

        async def once() -> ArticleExtraction:
            try:
                return await self.aextract(
                    text, article_id=article_id, title=title, url=url, published=published
                )
            finally:
                # The client's connections belong to this call's event loop, which ends here.
                await self.aclose()

        return asyncio.run(once())

    async def aextract(
        self,
        text: str | bytes | Article,
        *,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        """Extract actors, claims and positions from one article.

        Raises:
            InputError: empty, binary or oversized input.
            LLMError: the model failed (timeout, rate limit, unreachable, invalid output).
        """
        article = prepare_article(
            text,
            max_chars=self.settings.max_article_chars,
            article_id=article_id,
            title=title,
            url=url,
            published=published,
        )
        cache = self.cache
        key = self.cache_key(article) if cache is not None else ""
        if cache is not None:
            hit = cache.peek(key) or await asyncio.to_thread(cache.get, key)
            if hit is not None:
                return _rebadge(hit, article)
        started = time.perf_counter()
        client = await self._client()
        extraction = await run_extraction(
            article, client, strategy=self.strategy, settings=self.settings, started=started
        )
        if cache is not None:
            await asyncio.to_thread(cache.put, key, extraction)
        return extraction

    def extract_many(
        self,
        articles: Iterable[str | bytes | Article],
        *,
        concurrency: int = 4,
        ordered: bool = True,
        progress: ManyProgress | None = None,
    ) -> Iterator[ItemResult]:
        """Extract from many articles (blocking), yielding one :class:`ItemResult` per article.

        See :meth:`aextract_many`; the work runs on an event loop of its own while you iterate.
        """
        runner = asyncio.Runner()
        results = self.aextract_many(articles, concurrency=concurrency, ordered=ordered, progress=progress)

        async def step() -> ItemResult:
            return await anext(results)

        try:
            while True:
                try:
                    yield runner.run(step())
                except StopAsyncIteration:
                    return
        finally:
            runner.run(results.aclose())
            # The client's connections belong to this runner's event loop, which ends here.
            runner.run(self.aclose())
            runner.close()

    def aextract_many(
        self,
        articles: Iterable[str | bytes | Article] | AsyncIterable[str | bytes | Article],
        *,
        concurrency: int = 4,
        ordered: bool = True,
        progress: ManyProgress | None = None,
    ) -> AsyncGenerator[ItemResult, None]:
        """Extract from many articles, at most ``concurrency`` at a time, yielding one result per article.

        Results come in **input order** by default: a slow article holds back the finished ones behind
        it (they wait in a bounded buffer). With ``ordered=False`` they come **as they finish**; each
        carries its ``index`` either way. Errors are values: a failed article yields an
        :class:`ItemResult` holding its :class:`~extractor.errors.ClaimscopeError` and the others go on.
        Results come from and go to this extractor's result cache, shared with :meth:`extract`.

        Args:
            articles: Texts (``str``, UTF-8 ``bytes``) or :class:`~schemas.Article` objects (with ids,
                titles...); any iterable, read lazily.
            concurrency: Articles in flight at once.
            ordered: Input order (True) or completion order (False).
            progress: Called as ``progress(done, total, result)`` after each article; ``total`` is None
                when ``articles`` has no length.

        Yields:
            One :class:`ItemResult` per article.

        Example:
            >>> async for item in Extractor().aextract_many(texts, concurrency=8):
            ...     print(item.index, item.extraction.claims if item.ok else item.error)
        """
        if concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, not {concurrency}")
        return extract_each(
            self.aextract, articles, concurrency=concurrency, ordered=ordered, progress=progress
        )


def _rebadge(hit: ArticleExtraction, article: Article) -> ArticleExtraction:
    """A cached result under this request's id and metadata, marked as cached."""
    provenance = hit.provenance.model_copy(update={"cached": True})
    fields = {
        "provenance": provenance,
        "title": article.title,
        "url": article.url,
        "published": article.published,
    }
    if article.id is not None:
        fields["article_id"] = article.id
    return hit.model_copy(update=fields)


def embedded_client(api_base: str, settings: Settings) -> InstructorLLM:
    """The client the default model uses, for an embedded llama-server at ``api_base``.

    The recorded tests build theirs here too, so a cassette holds the requests the default model sends.
    """
    return InstructorLLM(
        "openai/local",
        api_base=api_base,
        api_key="sk-no-key-needed",
        extra_body={"repeat_penalty": 1.1, "cache_prompt": True},
        display_model=EMBEDDED_MODEL,
        # llama-server runs one slot (-np 1): queueing here keeps request timeouts honest.
        max_in_flight=1,
        http_transport=settings.http_transport,
        prefill=True,
        **_client_settings(settings),  # type: ignore[arg-type]
    )


def _client_settings(settings: Settings) -> Mapping[str, float | int]:
    return {
        "temperature": settings.temperature,
        "max_retries": settings.max_retries,
        "transient_retries": settings.transient_retries,
        "timeout_s": settings.request_timeout_s,
    }
