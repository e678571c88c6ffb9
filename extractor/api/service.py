"""Extraction behind the HTTP faces: one :class:`Extractor` per model, a shared LLM semaphore, metrics."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from fnmatch import fnmatchcase

from extractor.api.metrics import Metrics
from extractor.api.problems import ApiProblem
from extractor.errors import ClaimscopeError, ConfigError, LLMError, LLMTimeoutError
from extractor.sdk import Extractor
from extractor.settings import Settings
from schemas import Article, ArticleExtraction

__all__ = ["ExtractionService", "ExtractorFactory", "ServiceExtractor", "default_extractor_factory"]

ExtractorFactory = Callable[[str | None], Extractor]
"""Builds the extractor for a model string (None: the service's default model)."""

_MAX_MODELS = 8


def default_extractor_factory(settings: Settings) -> ExtractorFactory:
    """Extractors configured from ``settings``, sharing its result cache.

    ``fake/<options>`` model strings run on the in-process fake (see :mod:`extractor.testing`), so the real
    server can be exercised without a model.
    """

    def build(model: str | None) -> Extractor:
        return Extractor(model, settings=settings)

    return build


class ExtractionService:
    """Runs extractions for the routes and jobs, at most ``api_llm_concurrency`` at a time.

    Args:
        settings: Service settings.
        factory: Builds extractors per model.
        metrics: Where extraction outcomes, tokens and cache hits are counted.
    """

    def __init__(self, settings: Settings, factory: ExtractorFactory, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self._factory = factory
        self._extractors: OrderedDict[str | None, Extractor] = OrderedDict()
        self._semaphore = asyncio.Semaphore(settings.api_llm_concurrency)

    @property
    def default_model(self) -> str:
        """The model used when a request names none."""
        return self.extractor(None).model

    def check_model(self, model: str | None) -> str | None:
        """The model key to use for a request's override.

        Raises:
            ApiProblem: 403 when the request names another model and overrides are not allowed.
        """
        if model is None or model == self.settings.model:
            return None
        if not self.settings.api_allow_model_override:
            raise ApiProblem(
                403,
                "model_override_forbidden",
                "this service does not let requests choose the model; omit 'model' "
                "(operators: set CLAIMSCOPE_API_ALLOW_MODEL_OVERRIDE=true to allow it)",
                title="Model override not allowed.",
            )
        # The embedded model would be downloaded and built on first use: never on a client's say-so.
        embedded = model.startswith("embedded/")
        if embedded or not any(fnmatchcase(model, p) for p in self.settings.api_allowed_model_patterns):
            raise ApiProblem(
                403,
                "model_not_allowed",
                "this model is not among the ones this service lets requests choose; omit 'model' "
                "(operators: list allowed patterns in CLAIMSCOPE_API_ALLOWED_MODELS)",
                title="Model not allowed.",
            )
        try:
            self.extractor(model)  # a string the library cannot use is the request's fault, not a 500
        except ConfigError as error:
            raise ApiProblem(422, "invalid_model", str(error)[:500], title="Unusable model string.") from None
        return model

    def extractor(self, model: str | None = None) -> Extractor:
        """The extractor of ``model`` (None: the default), built once and kept for the next requests."""
        found = self._extractors.get(model)
        if found is None:
            found = self._factory(model)
            self._extractors[model] = found
            while len(self._extractors) > _MAX_MODELS:
                # Evict the oldest override, never the default.
                oldest = next(key for key in self._extractors if key is not None)
                del self._extractors[oldest]
        else:
            self._extractors.move_to_end(model)
        return found

    async def extract(
        self,
        text: str | Article,
        *,
        model: str | None = None,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        """Extract one article with ``model`` (None: the default), waiting for an LLM slot first.

        Raises:
            ClaimscopeError: input or model errors, counted by code before they propagate.
        """
        extractor = self.extractor(model)
        started = time.perf_counter()
        try:
            self.metrics.llm_waiting.inc()
            try:
                await self._semaphore.acquire()
            finally:
                self.metrics.llm_waiting.dec()
            self.metrics.llm_active.inc()
            try:
                # One deadline for the whole extraction, whatever the model honours (fake ones included).
                deadline = asyncio.timeout(self.settings.request_timeout_s)
                async with deadline:
                    result = await extractor.aextract(
                        text, article_id=article_id, title=title, url=url, published=published
                    )
            except TimeoutError:
                if not deadline.expired():
                    raise
                limit = self.settings.request_timeout_s
                raise LLMTimeoutError(f"the extraction did not finish within {limit:g} s") from None
            finally:
                self.metrics.llm_active.dec()
                self._semaphore.release()
        except ClaimscopeError as error:
            self.metrics.extractions.labels(error.code).inc()
            if isinstance(error, ConfigError) and model is not None:
                # The request's own model string is unusable: its fault, not the server's.
                raise ApiProblem(
                    422, "invalid_model", str(error)[:500], title="Unusable model string."
                ) from None
            if isinstance(error, LLMError):
                self.metrics.llm_errors.labels(error.code).inc()
            raise
        finally:
            self.metrics.extraction_latency.observe(time.perf_counter() - started)
        self.metrics.observe_extraction(result, cache_enabled=extractor.cache is not None)
        return result

    async def aclose(self) -> None:
        """Close the model connections of every extractor built so far (at shutdown).

        Left to the garbage collector, the connections would outlive the event loop that owns them. One
        failing to close does not keep the others open.
        """
        extractors, self._extractors = list(self._extractors.values()), OrderedDict()
        await asyncio.gather(*(extractor.aclose() for extractor in extractors), return_exceptions=True)

    def bound_to(self, model: str | None) -> ServiceExtractor:
        """This service as an extractor of one model, for the batch engine (limits and metrics apply)."""
        return ServiceExtractor(self, model)


class ServiceExtractor:
    """The batch engine's view of the service: ``model`` and ``aextract`` for one model.

    Args:
        service: The service whose semaphore and metrics every extraction goes through.
        model: Model override, None for the default.
    """

    def __init__(self, service: ExtractionService, model: str | None) -> None:
        self._service = service
        self._model = model

    @property
    def model(self) -> str:
        """The model string, for accounting."""
        return self._service.extractor(self._model).model

    async def aextract(
        self,
        text: str,
        *,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        """Extract from one article through the service."""
        return await self._service.extract(
            text, model=self._model, article_id=article_id, title=title, url=url, published=published
        )
