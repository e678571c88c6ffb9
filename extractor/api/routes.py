"""The HTTP routes: thin functions that check limits, call the service or the job manager, and answer."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import ValidationError

from extractor.api import health
from extractor.api.deps import Client, Jobs, RequestSlot, Service, SettingsDep, State
from extractor.api.models import (
    BatchRequest,
    BatchResponse,
    ExtractRequest,
    Health,
    JobRequest,
    JobStatus,
    Readiness,
)
from extractor.api.problems import PROBLEM_MEDIA_TYPE, ApiProblem
from extractor.api.smallbatch import run_small_batch
from schemas import ArticleExtraction

__all__ = ["JSONL_MEDIA_TYPES", "router"]

JSONL_MEDIA_TYPES = (
    "application/x-ndjson",
    "application/jsonl",
    "application/json-lines",
    "application/jsonlines",
)

# uvicorn answers a request it cannot parse (a malformed header, framing or URL) before the app sees it.
_MALFORMED_REQUEST: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Malformed HTTP request, rejected by the HTTP server before the application.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    }
}

router = APIRouter(responses=_MALFORMED_REQUEST)


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        401: "Missing or invalid API key.",
        403: "Model override not allowed.",
        404: "No such job (or not yours).",
        409: "The job is not in a state that allows this.",
        413: "Request body or article too large.",
        415: "Unsupported request media type.",
        422: "The request is invalid (problem type `validation_error`) or the article cannot be used.",
        429: "Rate limit, concurrency limit, too many failed authentications or provider rate limit; "
        "see `Retry-After`.",
        502: "The model's output stayed invalid, or the provider refused our credentials.",
        503: "The model cannot be reached.",
        504: "The model did not answer in time.",
    }
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {"description": descriptions[status], "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}
        for status in statuses
    }


_EXTRACT_ERRORS = _problems(401, 403, 413, 422, 429, 502, 503, 504)

JobId = Annotated[str, Path(min_length=1, max_length=100, description="Job id from `POST /v1/jobs`.")]


@router.get("/healthz", tags=["operations"], summary="Liveness")
async def healthz() -> Health:
    """The process is up and answering."""
    return Health()


@router.get(
    "/readyz",
    tags=["operations"],
    summary="Readiness",
    responses={503: {"model": Readiness, "description": "Not ready (see `checks`)."}},
)
async def readyz(state: State) -> JSONResponse:
    """Whether the default model can be reached and the jobs database read."""
    readiness = await health.readiness(state)
    return JSONResponse(readiness.model_dump(mode="json"), status_code=200 if readiness.ready else 503)


@router.get(
    "/metrics",
    tags=["operations"],
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
async def metrics(state: State) -> Response:
    """Requests, latencies, extractions, tokens, LLM errors, cache hits and jobs, in the Prometheus format."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)


@router.post(
    "/v1/extract", tags=["extraction"], summary="Extract from one article", responses=_EXTRACT_ERRORS
)
async def extract(
    body: ExtractRequest, service: Service, client: Client, slot: RequestSlot
) -> ArticleExtraction:
    """Actors, attributed claims and policy positions of one article.

    The article text is data: it is placed in a delimited block of the prompt, never read as instructions.
    """
    model = service.check_model(body.model)
    return await service.extract(
        body.text, model=model, article_id=body.id, title=body.title, url=body.url, published=body.published
    )


@router.post(
    "/v1/extract/batch",
    tags=["extraction"],
    summary="Extract from a few articles",
    responses=_problems(401, 403, 413, 422, 429, 502, 503),
)
async def extract_batch(
    body: BatchRequest,
    request: Request,
    service: Service,
    settings: SettingsDep,
    client: Client,
    slot: RequestSlot,
) -> BatchResponse:
    """Extract up to ``api_max_batch_items`` articles concurrently; each item has a result or a problem.

    Items without an ``id`` are reported under ``line-<n>`` (their position plus one), as in batch jobs.
    """
    limit = settings.api_max_batch_items
    if len(body.articles) > limit:
        raise ApiProblem(
            422,
            "too_many_items",
            f"{len(body.articles)} articles in one batch, over the limit of {limit}; use POST /v1/jobs",
            title="Too many articles in one batch.",
        )
    model = service.check_model(body.model)
    return await run_small_batch(service, list(body.articles), model, instance=request.url.path)


_JOB_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A JSONL upload (one JSON article per line, streamed to disk) or a JSON `JobRequest`.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/JobRequest"}},
            "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/v1/jobs",
    tags=["jobs"],
    summary="Submit a job",
    status_code=202,
    openapi_extra=_JOB_BODY,
    responses=_problems(401, 403, 413, 415, 422, 429),
)
async def create_job(
    request: Request,
    response: Response,
    jobs: Jobs,
    service: Service,
    client: Client,
    slot: RequestSlot,
    model: Annotated[str | None, Query(min_length=1, max_length=200, description="Model override.")] = None,
) -> JobStatus:
    """Queue many articles for background extraction; poll the job, then stream its results.

    Send JSONL (``Content-Type: application/x-ndjson``, one ``{"id", "text", ...}`` object per line) or
    JSON (``{"articles": [...]}``). Bad lines do not fail the job: each becomes an error record.
    """
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type in JSONL_MEDIA_TYPES:
        status = await jobs.create_from_lines(client, service.check_model(model), request.stream())
    elif media_type == "application/json":
        body = await request.body()
        try:
            job = await asyncio.to_thread(JobRequest.model_validate_json, body)
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_input=False)]
            ) from None
        status = await jobs.create_from_articles(
            client, service.check_model(job.model or model), job.articles
        )
    else:
        raise ApiProblem(
            415,
            "unsupported_media_type",
            "send JSONL with Content-Type: application/x-ndjson, or JSON with Content-Type: application/json",
        )
    response.headers["Location"] = status.results_url.removesuffix("/results")
    return status


async def _job_or_404(jobs: Jobs, job_id: str, client: str) -> JobStatus:
    try:
        return await jobs.status(job_id, client)
    except LookupError:
        raise ApiProblem(404, "job_not_found", f"no job {job_id!r} for this API key") from None


@router.get("/v1/jobs/{job_id}", tags=["jobs"], summary="Job status", responses=_problems(401, 404, 422, 429))
async def get_job(job_id: JobId, jobs: Jobs, client: Client) -> JobStatus:
    """Status and progress counts of a job."""
    return await _job_or_404(jobs, job_id, client)


@router.get(
    "/v1/jobs/{job_id}/results",
    tags=["jobs"],
    summary="Stream job results",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One JSON record per line, as `claimscope batch` writes them: "
            "`{id, extraction}` or `{id, line, error: {type, message, attempts}}`.",
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        },
        **_problems(401, 404, 422, 429),
    },
)
async def job_results(
    job_id: JobId,
    jobs: Jobs,
    client: Client,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Skip this many records (to resume).")] = 0,
    follow: Annotated[bool, Query(description="Keep streaming until the job finishes.")] = False,
) -> StreamingResponse:
    """Results so far, as JSONL in completion order; each record carries its article id.

    The ``X-Job-Status`` header tells whether more may come (``queued``, ``running``).
    """
    status = await _job_or_404(jobs, job_id, client)
    return StreamingResponse(
        jobs.stream_results(job_id, offset=offset, follow=follow),
        media_type="application/x-ndjson",
        headers={"X-Job-Status": status.status},
    )


@router.post(
    "/v1/jobs/{job_id}/retry",
    tags=["jobs"],
    summary="Redo the failed lines of a job",
    status_code=202,
    responses=_problems(401, 404, 409, 422, 429),
)
async def retry_job(job_id: JobId, jobs: Jobs, client: Client) -> JobStatus:
    """Queue a finished job again: its failed lines (and, after a failure, the lines never run) are redone.

    Their error records leave the results, so offsets into the results stream change.
    """
    await _job_or_404(jobs, job_id, client)
    if not await jobs.retry(job_id, client):
        raise ApiProblem(
            409,
            "job_not_failed",
            "only a finished job with failed lines, or a failed job, can be retried",
            title="Nothing to retry.",
        )
    return await _job_or_404(jobs, job_id, client)


@router.delete(
    "/v1/jobs/{job_id}",
    tags=["jobs"],
    summary="Delete a job",
    status_code=204,
    response_class=Response,
    responses=_problems(401, 404, 409, 422, 429),
)
async def delete_job(job_id: JobId, jobs: Jobs, client: Client) -> Response:
    """Forget a job with its inputs and results (finished jobs also expire after ``api_job_ttl_s``)."""
    await _job_or_404(jobs, job_id, client)
    if not await jobs.delete(job_id, client):
        raise ApiProblem(
            409, "job_running", "the job is running; delete it once it has finished", title="Job running."
        )
    return Response(status_code=204)
