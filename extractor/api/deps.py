"""Dependencies of the routes, as ``Annotated`` aliases (override the ``get_*`` functions in tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from extractor.api.jobs import JobManager
from extractor.api.metrics import Metrics
from extractor.api.problems import ApiProblem
from extractor.api.security import (
    ApiKeyAuth,
    AuthFailureThrottle,
    ConcurrencyLimiter,
    RateLimiter,
    key_fingerprint,
)
from extractor.api.service import ExtractionService
from extractor.settings import Settings

__all__ = [
    "AppState",
    "Client",
    "Jobs",
    "RequestSlot",
    "Service",
    "SettingsDep",
    "State",
    "authenticate",
    "get_jobs",
    "get_service",
    "get_state",
    "request_slot",
]


@dataclass
class AppState:
    """Everything one app instance owns, kept on ``app.state.claimscope``."""

    settings: Settings
    metrics: Metrics
    service: ExtractionService
    auth: ApiKeyAuth
    rate_limiter: RateLimiter
    concurrency: ConcurrencyLimiter
    jobs: JobManager
    auth_failures: AuthFailureThrottle


def get_state(request: Request) -> AppState:
    """The app's state."""
    state: AppState = request.app.state.claimscope
    return state


State = Annotated[AppState, Depends(get_state)]


def get_settings_dep(state: State) -> Settings:
    """The app's settings (not the environment's: an app may run with its own)."""
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_service(state: State) -> ExtractionService:
    """The extraction service."""
    return state.service


Service = Annotated[ExtractionService, Depends(get_service)]


def get_jobs(state: State) -> JobManager:
    """The job manager."""
    return state.jobs


Jobs = Annotated[JobManager, Depends(get_jobs)]

_bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")


async def authenticate(
    request: Request,
    state: State,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_header)],
) -> str:
    """Check the API key (when keys are configured) and the client's rate limit; name the client.

    Returns:
        The client's name: a key fingerprint, or ``addr:<ip>`` when authentication is off.

    Raises:
        ApiProblem: 401 for a missing or wrong key, 429 when the client's rate limit is spent or its
            address failed to authenticate too often.
    """
    address = request.client.host if request.client else "unknown"
    if state.auth.enabled:
        state.auth_failures.check(address)
        # Every credential sent must be valid: a wrong key is never rescued by a right one elsewhere.
        presented: list[str | None] = []
        if "authorization" in request.headers:
            presented.append(bearer.credentials if bearer is not None else None)
        if header_key is not None:
            presented.append(header_key)
        if not presented or not all(state.auth.check(key) for key in presented):
            state.auth_failures.failed(address)
            raise ApiProblem(
                401,
                "unauthorized",
                "missing or invalid API key; send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        client = key_fingerprint(str(presented[0]))
    else:
        client = "addr:" + address
    state.rate_limiter.hit(client)
    return client


Client = Annotated[str, Depends(authenticate)]


async def request_slot(state: State, client: Client) -> AsyncIterator[None]:
    """Hold one of the client's concurrent-request slots while the request runs."""
    with state.concurrency.slot(client):
        yield


RequestSlot = Annotated[None, Depends(request_slot)]
