import functools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.batch.jsonl import JsonlSink
from extractor.batch.records import BatchOptions, InputLine
from extractor.cli.batch import build_extractor
from tests.unit.batch.batchkit import records, write_input

ray: Any = pytest.importorskip("ray", reason="Ray is not installed (pip install 'claimscope[ray]')")

from extractor.batch.ray_engine import run_batch_ray  # noqa: E402


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


async def test_ray_engine_writes_the_same_format_once_per_id(local_ray: None, tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 12), tmp_path / "out.jsonl"
    factory = functools.partial(build_extractor, "fake/latency=0.01,timeout=0.2,seed=1", None, None, False)
    options = BatchOptions(concurrency=4, backoff_base_s=0.01)
    with JsonlSink(out) as sink:
        summary = await run_batch_ray(records(source), sink, factory, options)
    assert (summary.status, summary.engine) == ("completed", "ray")
    assert summary.ok + summary.failed == 13
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert Counter(row["id"] for row in lines) == Counter([*(f"a{i}" for i in range(12)), None])
    assert {row["error"]["type"] for row in lines if "error" in row} >= {"malformed_json"}
    assert summary.prompt_tokens > 0


async def test_ray_engine_resumes_from_the_sink(local_ray: None, tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 6), tmp_path / "out.jsonl"
    first = [line for line in records(source) if isinstance(line, InputLine)][:2]
    factory = functools.partial(build_extractor, "fake/", None, None, False)
    with JsonlSink(out) as sink:
        await run_batch_ray(iter(first), sink, factory, BatchOptions(concurrency=2))
    with JsonlSink(out) as sink:
        options = BatchOptions(concurrency=2, resume=True)
        summary = await run_batch_ray(records(source), sink, factory, options)
    assert (summary.skipped, summary.ok, summary.failed) == (2, 4, 1)
    assert len(out.read_text().splitlines()) == 7


def test_cli_engine_ray_uses_the_running_ray(
    local_ray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from extractor.cli.app import app
    from extractor.settings import get_settings

    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    source, out, summary = write_input(tmp_path / "in.jsonl", 3), tmp_path / "out.jsonl", tmp_path / "s.json"
    args = ["batch", str(source), str(out), "--engine", "ray", "--model", "fake/", "--summary", str(summary)]
    result = CliRunner().invoke(app, args)
    get_settings.cache_clear()
    assert result.exit_code == 1, result.stderr  # the broken line
    assert json.loads(summary.read_text())["engine"] == "ray"
    assert len(out.read_text().splitlines()) == 4
    assert ray.is_initialized()
