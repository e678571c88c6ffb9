"""Fixtures of the evaluation tests: the invented gold file and a flawless extractor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.sdk import Extractor
from schemas import ArticleExtraction
from tests.unit.eval.evalkit import gold_docs, perfect


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(doc) for doc in gold_docs()) + "\n\n", encoding="utf-8")
    return path


@pytest.fixture
def flawless(monkeypatch: pytest.MonkeyPatch) -> None:
    async def aextract(
        self: Extractor, text: str, *, article_id: str | None = None, **_: object
    ) -> ArticleExtraction:
        return perfect(text, article_id or "x")

    monkeypatch.setattr(Extractor, "aextract", aextract)
