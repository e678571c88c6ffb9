"""The FastAPI app of the HTTP service, built by :func:`create_app`.

Run it with ``claimscope serve``, or under any ASGI server as a factory::

    uvicorn extractor.api.app:create_app --factory --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from extractor.api.deps import AppState
from extractor.api.jobs import JobManager
from extractor.api.jobstore import JobStore
from extractor.api.metrics import Metrics
from extractor.api.middleware import RequestMiddleware
from extractor.api.models import JobRequest
from extractor.api.problems import install_problem_handlers
from extractor.api.routes import JSONL_MEDIA_TYPES, router
from extractor.api.security import ApiKeyAuth, AuthFailureThrottle, ConcurrencyLimiter, RateLimiter
from extractor.api.service import ExtractionService, ExtractorFactory, default_extractor_factory
from extractor.settings import Settings, get_settings
from extractor.text.nlp import load_pipeline

__all__ = ["create_app"]

_DESCRIPTION = """\
Actors, attributed claims and policy positions from news articles, as validated JSON.

* `POST /v1/extract` for one article, `POST /v1/extract/batch` for a few, `POST /v1/jobs` for many.
* With API keys configured (`CLAIMSCOPE_API_KEYS`), send `Authorization: Bearer <key>` or `X-API-Key: <key>`.
* Every error is an RFC 9457 problem document (`application/problem+json`); branch on its `type`.
"""


def _version() -> str:
    try:
        return version("claimscope")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    settings: Settings | None = None, *, extractor_factory: ExtractorFactory | None = None
) -> FastAPI:
    """Build the HTTP service.

    Args:
        settings: Settings to use; by default the environment's (``CLAIMSCOPE_*``).
        extractor_factory: Builds the :class:`extractor.Extractor` of a model string (None: the default
            model); tests pass one that returns an extractor over :class:`extractor.testing.FakeLLM`.

    Returns:
        The app; its lifespan starts the job runner, which first resumes unfinished jobs.
    """
    settings = settings or get_settings()
    metrics = Metrics()
    service = ExtractionService(settings, extractor_factory or default_extractor_factory(settings), metrics)
    jobs = JobManager(settings, JobStore(settings.resolved_jobs_db_path), service, metrics)
    state = AppState(
        settings=settings,
        metrics=metrics,
        service=service,
        auth=ApiKeyAuth(settings.api_key_list),
        rate_limiter=RateLimiter(settings.api_rate_limit_per_minute),
        concurrency=ConcurrencyLimiter(settings.api_max_concurrent_per_key),
        jobs=jobs,
        auth_failures=AuthFailureThrottle(settings.api_auth_failures_per_minute),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The spaCy pipeline loads once, before the first request: it is part of the server's base memory
        # and the first article does not wait a second for it.
        await asyncio.to_thread(load_pipeline)
        await jobs.start()
        try:
            yield
        finally:
            await jobs.stop()
            await service.aclose()

    app = FastAPI(
        title="claimscope",
        version=_version(),
        description=_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.claimscope = state
    app.include_router(router)
    install_problem_handlers(app)

    origins = [origin.strip() for origin in settings.api_cors_origins.split(",") if origin.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Retry-After", "Location", "X-Job-Status"],
        )

    def body_limit(method: str, path: str, media_type: str) -> int:
        if method == "POST" and path == "/v1/jobs" and media_type in JSONL_MEDIA_TYPES:
            return settings.api_max_job_bytes
        return settings.api_max_body_bytes

    # Added last, so it is the outermost layer: it sees every request, CORS preflights included.
    app.add_middleware(RequestMiddleware, metrics=metrics, body_limit=body_limit)
    app.openapi = lambda: _openapi(app, settings)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The generated schema, plus the JSON body of ``POST /v1/jobs`` (read by hand to allow JSONL too).

    The batch size limit is a setting, so the schema is told this app's value.
    """
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        job_schema = JobRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in job_schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["JobRequest"] = job_schema
        components["BatchRequest"]["properties"]["articles"]["maxItems"] = settings.api_max_batch_items
        app.openapi_schema = schema
    return app.openapi_schema
