"""An app over the fake LLM, per test, with its own data directory (jobs database, cache)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from extractor.api import create_app
from extractor.sdk import Extractor
from extractor.settings import Settings
from extractor.testing import FakeLLM, Handler

AppMaker = Callable[..., FastAPI]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", model="fake/llm", cache_enabled=False, api_job_lease_s=3.0)


@pytest.fixture
def make_app(settings: Settings) -> AppMaker:
    """Build an app; ``handler`` drives the FakeLLM, other keywords override settings."""

    def make(handler: Handler | None = None, *, fake: FakeLLM | None = None, **overrides: Any) -> FastAPI:
        configured = settings.model_copy(update=overrides)
        llm = fake or FakeLLM(handler)

        def factory(model: str | None) -> Extractor:
            return Extractor(model or configured.model, llm=llm, settings=configured)

        return create_app(configured, extractor_factory=factory)

    return make


@pytest.fixture
def client(make_app: AppMaker) -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client
