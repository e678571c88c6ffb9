"""Readiness checks: the default model is reachable and the jobs database answers."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from extractor.api.models import Readiness
from extractor.settings import EMBEDDED_MODEL, Settings

if TYPE_CHECKING:
    from extractor.api.deps import AppState

__all__ = ["model_check", "readiness"]

logger = logging.getLogger("claimscope.api")


def model_check(model: str, settings: Settings) -> str:
    """``ok``, or why the model cannot take requests now (blocking: the embedded check calls its server).

    The embedded model is ready when its llama-server answers its health check, or when it is installed and
    its server stopped after an idle time (the next request starts it again). A remote model counts as
    ready once configured: probing a paid provider on every readiness poll would cost money and quota.
    """
    if model != EMBEDDED_MODEL or settings.api_base:
        return "ok"
    from extractor.llm import embedded as embedded

    try:
        if embedded.status(settings).running or embedded.installed(settings):
            return "ok"
    except Exception as error:  # a broken install must read as "not ready", not crash the probe
        logger.warning("embedded model status failed: %s", type(error).__name__)
    return "embedded model server is not running; start it with `claimscope model serve` (serve does this)"


async def readiness(state: AppState) -> Readiness:
    """Run every check."""
    model = state.service.default_model
    checks: dict[str, str] = {}
    checks["model"] = await asyncio.to_thread(model_check, model, state.settings)
    try:
        await asyncio.to_thread(state.jobs.store.ping)
        checks["jobs_db"] = "ok"
    except Exception as error:
        checks["jobs_db"] = f"jobs database unavailable ({type(error).__name__})"
    ready = all(outcome == "ok" for outcome in checks.values())
    return Readiness(ready=ready, model=model, checks=checks)
