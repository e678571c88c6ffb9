from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from extractor.api.jobstore import JobStore, new_lease
from extractor.errors import LLMAuthError
from extractor.sdk import Extractor
from extractor.settings import Settings
from extractor.testing import FakeCall, FakeLLM, minimal_instance
from tests.api.conftest import AppMaker

NDJSON = {"Content-Type": "application/x-ndjson"}


def _wait(
    client: TestClient, job_id: str, *, headers: dict[str, str] | None = None, timeout: float = 15.0
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if status["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line]


def _upload(seed_text: str, count: int) -> bytes:
    return b"".join(json.dumps({"id": f"a{n}", "text": seed_text}).encode() + b"\n" for n in range(count))


def test_jsonl_job_runs_and_streams_results_and_error_records(client: TestClient, seed_text: str) -> None:
    body = (
        json.dumps({"id": "seed", "text": seed_text}) + "\n\n"
        "this is not json\n"
        + json.dumps({"id": "seed", "text": "duplicate id"})
        + "\n"
        + json.dumps({"text": "The mayor said: the bridge is safe."})
    ).encode() + b"\n\xff\xfe\n"

    created = client.post("/v1/jobs", content=body, headers=NDJSON)

    assert created.status_code == 202
    job = created.json()
    assert created.headers["location"] == f"/v1/jobs/{job['id']}"
    assert job["total"] == 5
    final = _wait(client, job["id"])
    assert (final["status"], final["done"], final["succeeded"], final["failed"]) == ("succeeded", 5, 2, 3)
    results = client.get(job["results_url"])
    assert results.headers["content-type"].startswith("application/x-ndjson")
    assert results.headers["x-job-status"] == "succeeded"
    records = _lines(results.text)
    assert len(records) == 5
    by_line = {r.get("line"): r["error"]["type"] for r in records if "error" in r}
    assert by_line == {3: "malformed_json", 4: "duplicate_id", 6: "decode_error"}, (
        "lines of the uploaded file"
    )
    extracted = {r["id"]: r["extraction"] for r in records if "extraction" in r}
    assert set(extracted) == {"seed", "line-5"}
    assert extracted["seed"]["article_id"] == "seed"


def test_json_job_and_offset(client: TestClient) -> None:
    articles = [{"id": f"n{n}", "text": f"Mayor {n} said: the bridge is safe."} for n in range(4)]

    created = client.post("/v1/jobs", json={"articles": articles})

    assert created.status_code == 202
    assert _wait(client, created.json()["id"])["succeeded"] == 4
    everything = _lines(client.get(created.json()["results_url"]).text)
    rest = _lines(client.get(created.json()["results_url"], params={"offset": 3}).text)
    assert rest == everything[3:]
    assert sorted(r["id"] for r in everything) == ["n0", "n1", "n2", "n3"]


def test_follow_streams_until_the_job_ends(make_app: AppMaker, seed_text: str) -> None:
    with TestClient(make_app(fake=FakeLLM(latency_s=0.01))) as client:
        job = client.post("/v1/jobs", content=_upload(seed_text, 3), headers=NDJSON).json()
        followed = client.get(job["results_url"], params={"follow": "true"})
        assert len(_lines(followed.text)) == 3
        assert client.get(f"/v1/jobs/{job['id']}").json()["status"] == "succeeded"


def test_jobs_are_private_to_their_key(make_app: AppMaker) -> None:
    with TestClient(make_app(api_keys="k-one,k-two")) as client:
        job = client.post(
            "/v1/jobs", json={"articles": [{"text": "A said: b."}]}, headers={"X-API-Key": "k-one"}
        )
        mine = client.get(f"/v1/jobs/{job.json()['id']}", headers={"X-API-Key": "k-one"})
        theirs = client.get(f"/v1/jobs/{job.json()['id']}", headers={"X-API-Key": "k-two"})
        results = client.get(f"/v1/jobs/{job.json()['id']}/results", headers={"X-API-Key": "k-two"})
        unknown = client.get("/v1/jobs/job_doesnotexist", headers={"X-API-Key": "k-one"})

    assert mine.status_code == 200
    assert theirs.status_code == results.status_code == unknown.status_code == 404
    assert theirs.json()["type"] == "urn:claimscope:problem:job_not_found"


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b"\n \n", NDJSON, 422, "empty_job"),
        (b"a,b,c\n", {"Content-Type": "text/csv"}, 415, "unsupported_media_type"),
        (b'{"articles": []}', {"Content-Type": "application/json"}, 422, "validation_error"),
        (b'{"articles": [{"txt": "x"}]}', {"Content-Type": "application/json"}, 422, "validation_error"),
        (b"\xff{", {"Content-Type": "application/json"}, 422, "validation_error"),
    ],
)
def test_bad_job_uploads(
    client: TestClient, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    response = client.post("/v1/jobs", content=content, headers=headers)

    assert response.status_code == status
    assert response.json()["type"] == f"urn:claimscope:problem:{code}"


def test_jsonl_uploads_have_their_own_size_limit(make_app: AppMaker, seed_text: str) -> None:
    upload = _upload(seed_text, 3)
    with TestClient(make_app(api_max_body_bytes=1000, api_max_job_bytes=len(upload) + 10)) as client:
        accepted = client.post("/v1/jobs", content=upload, headers=NDJSON)
        too_big = client.post("/v1/jobs", content=upload * 2, headers=NDJSON)
        as_json = client.post("/v1/jobs", json={"articles": [{"text": seed_text}]})

    assert accepted.status_code == 202
    assert too_big.status_code == as_json.status_code == 413


def test_a_restarted_server_resumes_the_job_without_redoing_finished_lines(
    settings: Settings, make_app: AppMaker, seed_text: str
) -> None:
    first_fake = FakeLLM(latency_s=0.02)
    with TestClient(make_app(fake=first_fake, api_llm_concurrency=1)) as client:
        job = client.post("/v1/jobs", content=_upload(seed_text, 12), headers=NDJSON).json()
        deadline = time.monotonic() + 10
        while client.get(f"/v1/jobs/{job['id']}").json()["done"] < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    # The first server stopped mid-job; the job and its finished results are in the database.
    store = JobStore(settings.resolved_jobs_db_path)
    stopped = store.get(job["id"])
    assert stopped is not None and stopped.status == "running" and 2 <= stopped.done < 12
    finished_before = store.done_keys(job["id"])

    second_fake = FakeLLM()
    with TestClient(make_app(fake=second_fake)) as client:
        final = _wait(client, job["id"])
        records = _lines(client.get(job["results_url"]).text)

    assert (final["status"], final["succeeded"]) == ("succeeded", 12)
    assert sorted(r["id"] for r in records) == sorted(f"a{n}" for n in range(12)), "each line once"
    one = FakeLLM()
    Extractor(llm=one, settings=settings).extract(seed_text)
    redone = {f"a{n}" for n in range(12)} - finished_before
    assert len(second_fake.calls) == len(one.calls) * len(redone), "finished lines were not extracted again"


def test_a_job_left_by_a_crashed_process_is_claimed_after_its_lease_lapses(settings: Settings) -> None:
    store = JobStore(settings.resolved_jobs_db_path)
    store.begin("job_x", "owner", None, new_lease())
    store.add_inputs("job_x", [(1, b'{"text": "a"}')])
    store.commit("job_x")
    dead = "otherhost:1:abc"
    assert store.claim(dead, stale_after_s=30) is not None
    live = new_lease()

    assert store.claim(live, stale_after_s=30) is None, "a fresh lease of another host is respected"
    time.sleep(0.05)
    taken = store.claim(live, stale_after_s=0.01)
    assert taken is not None and taken.lease == live


def test_an_abandoned_upload_is_swept(settings: Settings) -> None:
    store = JobStore(settings.resolved_jobs_db_path)
    store.begin("job_half", "owner", None, "otherhost:1:gone")
    store.add_inputs("job_half", [(1, b'{"text": "a"}')])

    time.sleep(0.05)
    assert store.claim(new_lease(), stale_after_s=0.01) is None
    assert store.get("job_half") is None
    assert list(store.inputs("job_half")) == []


def test_a_job_aborted_by_the_model_fails_and_can_be_retried(make_app: AppMaker, seed_text: str) -> None:
    broken = {"on": True}

    def handler(call: FakeCall) -> object:
        return LLMAuthError("bad key") if broken["on"] else minimal_instance(call.response_model)

    with TestClient(make_app(handler)) as client:
        job = client.post("/v1/jobs", content=_upload(seed_text, 2), headers=NDJSON).json()
        failed = _wait(client, job["id"])
        broken["on"] = False
        retried = client.post(f"/v1/jobs/{job['id']}/retry")
        final = _wait(client, job["id"])
        again = client.post(f"/v1/jobs/{job['id']}/retry")

    assert failed["status"] == "failed" and failed["error"].startswith("llm_auth")
    assert retried.status_code == 202
    assert (final["status"], final["succeeded"], final["error"]) == ("succeeded", 2, None)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:claimscope:problem:job_not_failed"


def test_a_runner_that_lost_its_lease_stops_working_on_the_job(
    settings: Settings, make_app: AppMaker, seed_text: str, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(
        make_app(fake=FakeLLM(latency_s=0.02), api_llm_concurrency=1, api_job_lease_s=0.3)
    ) as client:
        job = client.post("/v1/jobs", content=_upload(seed_text, 30), headers=NDJSON).json()
        while client.get(f"/v1/jobs/{job['id']}").json()["done"] < 1:
            time.sleep(0.02)
        store = JobStore(settings.resolved_jobs_db_path)
        store._connect().execute(
            "UPDATE jobs SET lease = 'otherhost:1:thief', heartbeat = ? WHERE id = ?",
            (time.time() + 3600, job["id"]),
        )
        deadline = time.monotonic() + 5
        while "taken over" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        done = client.get(f"/v1/jobs/{job['id']}").json()["done"]
        time.sleep(0.3)
        assert client.get(f"/v1/jobs/{job['id']}").json()["done"] <= done + 1, "at most the write in flight"

    assert "was taken over by another process" in caplog.text
    row = store.get(job["id"])
    assert row is not None and row.status == "running" and row.lease == "otherhost:1:thief"
