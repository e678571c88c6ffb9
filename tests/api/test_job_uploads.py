"""JSONL uploads: streamed line by line with a per-line limit, one record per line, poison lines harmless."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.api.joblines import split_lines
from tests.api.conftest import AppMaker
from tests.api.test_jobs import NDJSON, _lines, _wait

DEEP = b'{"id":"n","text":"x","x":' + b"[" * 3000 + b"]" * 3000 + b"}"


async def _collect(chunks: list[bytes], limit: int) -> list[tuple[int, bytes]]:
    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    return [item async for item in split_lines(stream(), limit)]


def test_split_lines_drops_an_oversized_line_as_it_streams() -> None:
    chunks = [b"ab\r\n" + b"x" * 30, b"x" * 30, b"x\nlast"]
    lines = asyncio.run(_collect(chunks, 10))
    assert lines[0] == (1, b"ab")
    assert lines[1][0] == 2 and lines[1][1].startswith(b"\x00oversized:61:10")
    assert lines[2] == (3, b"last")


def test_an_oversized_line_is_its_own_error_record(make_app: AppMaker) -> None:
    upload = b'{"id": "big", "text": "' + b"y" * 200_000 + b'"}\n{"id": "ok", "text": "The mayor spoke."}\n'
    with TestClient(make_app(max_article_chars=1000)) as client:
        job = client.post("/v1/jobs", content=upload, headers=NDJSON).json()
        final = _wait(client, job["id"])
        records = _lines(client.get(job["results_url"]).text)

    assert (final["status"], final["total"], final["failed"]) == ("succeeded", 2, 1)
    errors = [r for r in records if "error" in r]
    assert [(e["line"], e["error"]["type"]) for e in errors] == [(1, "article_too_large")]


def test_poison_lines_leave_the_job_succeeded_and_retry_has_nothing_to_do(make_app: AppMaker) -> None:
    upload = (
        b"\n".join([DEEP, b'{"id": "x\\udfff", "text": "t"}', b'{"id": "b", "text": "a \\udfff"}']) + b"\n"
    )
    with TestClient(make_app()) as client:
        job = client.post("/v1/jobs", content=upload, headers=NDJSON).json()
        final = _wait(client, job["id"])
        records = _lines(client.get(job["results_url"]).text)

    assert (final["status"], final["failed"], final["error"]) == ("succeeded", 3, None)
    assert sorted(r["error"]["type"] for r in records) == ["decode_error", "invalid_record", "malformed_json"]


def test_uploads_count_against_the_per_key_concurrency_cap(make_app: AppMaker) -> None:
    app = make_app(api_max_concurrent_per_key=1)
    with TestClient(app) as client:
        limiter = app.state.claimscope.concurrency
        with limiter.slot("addr:testclient"):
            refused = client.post("/v1/jobs", content=b'{"text": "x"}\n', headers=NDJSON)

    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_concurrent_requests"


_line = st.binary(max_size=30).map(lambda raw: raw.replace(b"\n", b" ")) | st.recursive(
    st.none() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "text", "x"]), inner),
    max_leaves=8,
).map(lambda value: json.dumps(value).encode())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, min_size=1, max_size=5))
def test_any_upload_yields_one_record_per_line_and_the_job_finishes(
    make_app: AppMaker, lines: list[bytes]
) -> None:
    upload = b"\n".join(lines) + b"\n"
    expected = sum(1 for line in upload.split(b"\n") if line.strip())
    with TestClient(make_app()) as client:
        created = client.post("/v1/jobs", content=upload, headers=NDJSON)
        if expected == 0:
            assert created.status_code == 422
            return
        job = created.json()
        final = _wait(client, job["id"])
        records = _lines(client.get(job["results_url"]).text)
    with TestClient(make_app()) as restarted:  # the next server over the same database resumes nothing
        again = _wait(restarted, job["id"])
        after = _lines(restarted.get(job["results_url"]).text)

    assert (final["status"], final["done"], len(records)) == ("succeeded", expected, expected)
    assert (again["status"], again["done"], after) == ("succeeded", expected, records)
