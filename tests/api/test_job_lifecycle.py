"""Job retention, deletion, and retrying the failed lines of a finished job."""

from __future__ import annotations

import json
import time
from pathlib import Path

from fastapi.testclient import TestClient

from extractor.api.jobstore import JobStore, new_lease
from extractor.errors import LLMOutputError
from extractor.testing import FakeCall, minimal_instance
from tests.api.conftest import AppMaker
from tests.api.test_jobs import NDJSON, _lines, _upload, _wait


def test_a_finished_job_can_be_deleted_and_is_gone(client: TestClient, seed_text: str) -> None:
    job = client.post("/v1/jobs", content=_upload(seed_text, 2), headers=NDJSON).json()
    _wait(client, job["id"])

    deleted = client.delete(f"/v1/jobs/{job['id']}")
    again = client.delete(f"/v1/jobs/{job['id']}")

    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(f"/v1/jobs/{job['id']}").status_code == 404
    assert again.status_code == 404


def test_a_running_job_cannot_be_deleted(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite3")
    store.begin("job_r", "me", None, new_lease())
    store.add_inputs("job_r", [(1, b'{"text": "x"}')])
    store.commit("job_r")
    assert store.claim(new_lease(), stale_after_s=30) is not None

    assert store.delete_unless_running("job_r") is False
    assert store.get("job_r") is not None


def test_finished_jobs_expire_after_the_ttl(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite3")
    lease = new_lease()
    for job_id in ("job_old", "job_queued"):
        store.begin(job_id, "me", None, lease)
        store.add_inputs(job_id, [(1, b'{"text": "x"}')])
        store.commit(job_id)
    claimed = store.claim(lease, stale_after_s=30)
    assert claimed is not None and claimed.id == "job_old"
    store.finish("job_old", lease)

    assert store.purge(finished_before=time.time() - 3600) == 0
    assert store.purge(finished_before=time.time() + 1) == 1
    assert store.get("job_old") is None and list(store.inputs("job_old")) == []
    assert store.get("job_queued") is not None, "only finished jobs expire"


def test_retry_redoes_the_failed_lines_of_a_finished_job(make_app: AppMaker, seed_text: str) -> None:
    flaky = {"on": True}

    def handler(call: FakeCall) -> object:
        if flaky["on"] and "zq1" in call.user_text:
            return LLMOutputError("still invalid")
        return minimal_instance(call.response_model)

    upload = b"".join(
        json.dumps({"id": f"a{n}", "text": f"zq{n} {seed_text}"}).encode() + b"\n" for n in range(3)
    )
    with TestClient(make_app(handler, max_retries=0)) as client:
        job = client.post("/v1/jobs", content=upload, headers=NDJSON).json()
        first = _wait(client, job["id"])
        flaky["on"] = False
        retried = client.post(f"/v1/jobs/{job['id']}/retry")
        final = _wait(client, job["id"])
        records = _lines(client.get(job["results_url"]).text)
        nothing_left = client.post(f"/v1/jobs/{job['id']}/retry")

    assert (first["status"], first["succeeded"], first["failed"]) == ("succeeded", 2, 1)
    assert retried.status_code == 202
    assert (final["status"], final["succeeded"], final["failed"]) == ("succeeded", 3, 0)
    assert sorted(r["id"] for r in records) == ["a0", "a1", "a2"] and all("extraction" in r for r in records)
    assert nothing_left.status_code == 409
