"""Request and response bodies of the HTTP service, built on the public schemas."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from extractor.api.problems import Problem
from schemas import Article, ArticleExtraction

__all__ = [
    "ArticleInput",
    "BatchItem",
    "BatchRequest",
    "BatchResponse",
    "ExtractRequest",
    "Health",
    "JobRequest",
    "JobStatus",
    "Readiness",
]

HARD_MAX_BATCH_ITEMS = 1000
"""Schema bound of a batch; the configured ``api_max_batch_items`` is checked on top of it."""

HARD_MAX_MODEL_CHARS = 200


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: object) -> object:
    """Refuse what pydantic would coerce into a date but the schema does not allow (``0``, ``"0"``)."""
    if value is None or isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be an ISO date such as 2024-05-31")


class ArticleInput(Article):
    """A news article to extract from, as sent over HTTP (dates only as ``YYYY-MM-DD``)."""

    published: Annotated[date | None, BeforeValidator(_iso_date_only)] = None
    """Publication date (``YYYY-MM-DD``)."""


class ExtractRequest(ArticleInput):
    """One article to extract from, with an optional model override."""

    model: str | None = Field(default=None, min_length=1, max_length=HARD_MAX_MODEL_CHARS)
    """litellm model string to use instead of the service's default (only when the service allows it)."""


class BatchRequest(BaseModel):
    """A small list of articles, extracted concurrently in one request."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    articles: list[ArticleInput] = Field(min_length=1, max_length=HARD_MAX_BATCH_ITEMS)
    """The articles; at most the service's ``api_max_batch_items``."""

    model: str | None = Field(default=None, min_length=1, max_length=HARD_MAX_MODEL_CHARS)
    """litellm model string for every article (only when the service allows overrides)."""


class BatchItem(BaseModel):
    """The outcome for one article of a batch: a result or a problem, never both."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    index: int = Field(ge=0)
    """Position of the article in the request."""

    id: str | None = None
    """The article's id, when it had one."""

    ok: bool
    """Whether the extraction succeeded."""

    result: ArticleExtraction | None = None
    """The extraction, when ``ok``."""

    error: Problem | None = None
    """Why the extraction failed, when not ``ok``."""


class BatchResponse(BaseModel):
    """Results of a batch, in request order."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    items: list[BatchItem]
    """One entry per article, in request order."""

    succeeded: int = Field(ge=0)
    """Articles extracted."""

    failed: int = Field(ge=0)
    """Articles that failed (see each item's ``error``)."""


class JobRequest(BaseModel):
    """A large list of articles to extract in the background (JSON alternative to a JSONL upload)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    articles: list[ArticleInput] = Field(min_length=1)
    """The articles."""

    model: str | None = Field(default=None, min_length=1, max_length=HARD_MAX_MODEL_CHARS)
    """litellm model string for every article (only when the service allows overrides)."""


JobState = Literal["queued", "running", "succeeded", "failed"]


class JobStatus(BaseModel):
    """A background job and its progress."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    id: str
    """Job id."""

    status: JobState
    """``queued``, ``running``, ``succeeded`` (every item has a result or an error record) or ``failed``
    (the job itself broke; see ``error``)."""

    model: str
    """Model the job runs with."""

    total: int = Field(ge=0)
    """Input records."""

    done: int = Field(ge=0)
    """Records finished, successfully or not."""

    succeeded: int = Field(ge=0)
    """Records extracted."""

    failed: int = Field(ge=0)
    """Records with an error record."""

    created: datetime
    """When the job was submitted (UTC)."""

    updated: datetime
    """Last progress (UTC)."""

    error: str | None = None
    """Why the job failed, when ``status`` is ``failed``."""

    results_url: str
    """Where to stream the results as JSONL."""


class Health(BaseModel):
    """Liveness: the process answers."""

    status: Literal["ok"] = "ok"
    """Always ``ok`` when the process answers."""


class Readiness(BaseModel):
    """Readiness: whether the service can extract now."""

    ready: bool
    """Whether requests can be served now."""

    model: str
    """The default model."""

    checks: dict[str, str]
    """Each check and its outcome (``ok`` or why not)."""
