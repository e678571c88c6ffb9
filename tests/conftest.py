"""Test-wide isolation: no user settings, no user cache, no real model unless a cassette replays it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.settings import get_settings

SEED_PATH = Path(__file__).resolve().parents[1] / "seeds" / "us_mexico_cartel_strikes.txt"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("CLAIMSCOPE_MODEL", "CLAIMSCOPE_API_BASE", "CLAIMSCOPE_API_KEYS", "CLAIMSCOPE_STRATEGY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")
