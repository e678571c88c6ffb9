"""Settings from the environment (prefix ``CLAIMSCOPE_``), read lazily through :func:`get_settings`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDED_MODEL = "embedded/qwen2.5-coder-1.5b-instruct"
"""Model string of the local default model served by llama-server."""


def default_data_dir() -> Path:
    """Where the embedded model, its server binary and the result cache live by default."""
    return Path(platformdirs.user_data_dir("claimscope", appauthor=False))


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``CLAIMSCOPE_<FIELD>``."""

    model_config = SettingsConfigDict(
        env_prefix="CLAIMSCOPE_", env_file=None, extra="ignore", use_attribute_docstrings=True
    )

    model: str = EMBEDDED_MODEL
    """litellm model string; the default is the embedded local model."""

    api_base: str | None = None
    """Base URL of an OpenAI-compatible server (overrides the provider's default)."""

    api_key: SecretStr | None = None
    """API key for the provider; litellm also reads the provider's usual variables."""

    strategy: Literal["pipeline", "single"] = "pipeline"
    """``pipeline``: small constrained decisions (best on small models); ``single``: one request."""

    """``speaker``: one positions request per speaker (cheap behind llama-server's prefix cache);
    ``window``: one per article window for all its speakers (fewer requests and prompt tokens for hosted
    models); ``auto``: ``speaker`` for the embedded model, ``window`` for any other."""

    temperature: float = 0.0
    """Sampling temperature."""

    max_retries: int = Field(default=2, ge=0, le=10)
    """Validation re-asks after the first attempt."""

    transient_retries: int = Field(default=3, ge=0, le=20)
    """Retries after a timeout, rate limit or connection error, with backoff."""

    request_timeout_s: float = Field(default=180.0, gt=0)
    """Timeout of one model request; the HTTP service also gives each whole extraction this long."""

    http_transport: Literal["aiohttp", "httpx"] = "aiohttp"
    """What the openai client sends requests over: aiohttp spends less client CPU per request than httpx."""

    max_article_chars: int = Field(default=200_000, gt=0)
    """Longer articles are refused with ``ArticleTooLargeError``."""

    window_chars: int = Field(default=6000, ge=500)
    """Articles longer than this are split into overlapping windows."""

    window_overlap_chars: int = Field(default=600, ge=0)
    """Overlap between consecutive windows."""

    data_dir: Path = Field(default_factory=default_data_dir)
    """Embedded model, server binary and cache location."""

    cache_enabled: bool = True
    """Reuse results keyed by (model, prompt versions, schema version, text hash)."""

    cache_path: Path | None = None
    """SQLite file of the result cache; defaults to ``<data_dir>/cache.sqlite3``."""

    embedded_port: int | None = None
    """Port of the embedded llama-server; a free one is picked when unset."""

    embedded_threads: int = Field(default=2, ge=1)
    """CPU threads for the embedded model."""

    embedded_ctx: int = Field(default=8192, ge=1024)
    """Context size of the embedded model."""

    embedded_repack: bool = False
    """Let llama.cpp repack the weights for its CPU kernels: faster decoding, slower prompt evaluation."""

    embedded_idle_s: float = Field(default=300.0, ge=0)
    """The embedded server stops itself after this many seconds without a request; 0 keeps it running."""

    embedded_auto_install: bool = True
    """Install the embedded model on first use; when off, a missing model is an ``EmbeddedModelError``."""

    # HTTP service
    api_keys: str = ""
    """Comma-separated API keys for the HTTP service; empty disables authentication."""

    api_max_body_bytes: int = Field(default=5_000_000, gt=0)
    """Largest HTTP request body accepted."""

    api_max_batch_items: int = Field(default=20, gt=0)
    """Most articles in one ``/v1/extract/batch`` request."""

    api_llm_concurrency: int = Field(default=4, gt=0)
    """LLM extractions running at once in the HTTP service."""

    api_rate_limit_per_minute: int = Field(default=120, gt=0)
    """Requests per minute allowed per API key (or client address when auth is off)."""

    api_allow_model_override: bool = False
    """Whether requests may choose another model (only one matching ``api_allowed_models``)."""

    api_allowed_models: str = ""
    """Comma-separated glob patterns (``openai/gpt-4o*``) of the models a request may choose; empty: none.
    The embedded model is never started for a request, whatever the patterns."""

    api_auth_failures_per_minute: int = Field(default=10, gt=0)
    """Failed authentications allowed per client address per minute before it gets 429 for a while."""

    api_job_ttl_s: float = Field(default=7 * 24 * 3600.0, ge=0)
    """Finished jobs (with their inputs and results) are deleted this long after they end; 0 keeps them."""

    api_cors_origins: str = ""
    """Comma-separated CORS origins; empty means CORS is off."""

    jobs_db_path: Path | None = None
    """SQLite file for HTTP jobs; defaults to ``<data_dir>/jobs.sqlite3``."""

    api_max_job_bytes: int = Field(default=200_000_000, gt=0)
    """Largest JSONL upload to ``POST /v1/jobs`` (streamed into the jobs database, not held in memory)."""

    api_max_concurrent_per_key: int = Field(default=8, gt=0)
    """Requests one API key (or client address) may have running at once in the HTTP service."""

    api_job_lease_s: float = Field(default=30.0, gt=0)
    """A job whose runner has not reported for this long is taken over by another server process."""

    @property
    def resolved_cache_path(self) -> Path:
        """The cache file actually used."""
        return self.cache_path or self.data_dir / "cache.sqlite3"

    @property
    def resolved_jobs_db_path(self) -> Path:
        """The jobs database actually used."""
        return self.jobs_db_path or self.data_dir / "jobs.sqlite3"

    @property
    def api_allowed_model_patterns(self) -> list[str]:
        """The configured glob patterns of models a request may choose."""
        return [pattern.strip() for pattern in self.api_allowed_models.split(",") if pattern.strip()]

    @property
    def api_key_list(self) -> list[str]:
        """The configured HTTP API keys."""
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings once, on first use (never at import time)."""
    return Settings()
