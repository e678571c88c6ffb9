"""A small real batch (two articles) through the real LLM door, replayed from a recording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.batch.jsonl import JsonlSink
from extractor.batch.lines import parse_lines
from extractor.batch.records import BatchOptions, run_batch

# Written for this test (not from any corpus), so the cassette holds nothing that cannot be shared.
ARTICLES = [
    {
        "id": "council",
        "text": (
            'The city council voted on Tuesday to expand the bus network. "This will cut commutes for '
            'thousands of families," Mayor Ana Ruiz said after the vote. Councillor Tom Becker opposed the '
            "plan, arguing that it was too expensive."
        ),
    },
    {
        "id": "fuel",
        "text": (
            "Finance Minister Lena Park said the government would not raise fuel taxes this year. "
            '"Households are already stretched," Park told reporters in the capital. The opposition '
            "leader, David Osei, called the decision a missed opportunity."
        ),
    },
]


@pytest.mark.vcr
async def test_two_article_batch_through_the_real_door(recorded_extractor: Extractor, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [json.dumps(article) for article in ARTICLES]
    # Concurrency 1 keeps the request order, and so the recording, stable.
    try:
        with JsonlSink(out) as sink:
            summary = await run_batch(
                parse_lines(lines), sink, recorded_extractor, BatchOptions(concurrency=1)
            )
    finally:
        # When recording, real connections are open: close them in this test's loop.
        await recorded_extractor.aclose()

    assert summary.status == "completed", summary.error
    assert (summary.ok, summary.failed, summary.cached) == (2, 0, 0), summary.errors_by_type
    assert summary.prompt_tokens > 0 and summary.completion_tokens > 0
    assert summary.requests >= 2
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["council", "fuel"]
    for row, article in zip(rows, ARTICLES, strict=True):
        extraction = row["extraction"]
        assert extraction["article_id"] == article["id"]
        assert extraction["provenance"]["usage"]["prompt_tokens"] > 0
        for claim in extraction["claims"]:
            for span in (claim["content"], claim["quote"]):
                if span is not None and span["alignment"] == "exact":
                    assert article["text"][span["start"] : span["end"]] == span["text"]
    assert any(row["extraction"]["claims"] for row in rows)
