import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app

# A policy to take a stance on, so every extraction asks the model something.
TEXT = 'Mayor Jane Doe said "we will pass the bridge tax" on Monday. Minister Bob Roe opposed the bridge tax.'
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("isolated_settings")


def write_input(path: Path, count: int, *, extra: list[str] | None = None) -> Path:
    lines = [json.dumps({"id": f"a{i}", "text": f"{TEXT} Item {i}."}) for i in range(count)]
    path.write_text("\n".join([*lines, *(extra or [])]) + "\n")
    return path


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def batch(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", *args], input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_all_good_lines_exit_zero_with_a_summary(tmp_path: Path) -> None:
    source, out, summary = write_input(tmp_path / "in.jsonl", 6), tmp_path / "out.jsonl", tmp_path / "s.json"
    code, _, err = batch(str(source), str(out), "--model", "fake/", "--no-cache", "--summary", str(summary))
    assert code == 0, err
    assert sorted(row["id"] for row in rows(out)) == sorted(f"a{i}" for i in range(6))  # type: ignore[type-var]
    assert all("extraction" in row for row in rows(out))
    data = json.loads(summary.read_text())
    assert (data["status"], data["ok"], data["failed"], data["engine"]) == ("completed", 6, 0, "local")
    assert data["prompt_tokens"] > 0 and data["wall_s"] > 0 and data["articles_per_s"] > 0
    assert "batch completed: ok 6" in err


def test_the_processes_engine_writes_every_line_from_worker_processes(tmp_path: Path) -> None:
    source, out, summary = write_input(tmp_path / "in.jsonl", 6), tmp_path / "out.jsonl", tmp_path / "s.json"
    args = ["--model", "fake/", "--no-cache", "--engine", "processes", "--workers", "2"]
    args += ["--summary", str(summary)]
    code, _, err = batch(str(source), str(out), *args)
    assert code == 0, err
    assert sorted(row["id"] for row in rows(out)) == sorted(f"a{i}" for i in range(6))  # type: ignore[type-var]
    data = json.loads(summary.read_text())
    assert (data["status"], data["ok"], data["engine"]) == ("completed", 6, "processes")


def test_workers_with_the_local_engine_exit_two(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 1), tmp_path / "out.jsonl"
    code, _, err = batch(str(source), str(out), "--model", "fake/", "--workers", "2")
    assert code == 2 and "--workers needs" in err


def test_bad_lines_get_typed_error_records_and_exit_one(tmp_path: Path) -> None:
    extra = ["{oops", json.dumps({"id": "a0", "text": "again"}), json.dumps({"id": "x"}), ""]
    source, out = write_input(tmp_path / "in.jsonl", 3, extra=extra), tmp_path / "out.jsonl"
    code, _, err = batch(str(source), str(out), "--model", "fake/", "--no-cache")
    assert code == 1
    errors = {row["line"]: row["error"]["type"] for row in rows(out) if "error" in row}  # type: ignore[index]
    assert errors == {4: "malformed_json", 5: "duplicate_id", 6: "missing_text"}
    assert len(rows(out)) == 6
    assert "duplicate_id 1" in err


def test_errors_file_keeps_out_for_results(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 2, extra=["[1]"])
    out, errors = tmp_path / "out.jsonl", tmp_path / "err.jsonl"
    code, _, _ = batch(str(source), str(out), "--errors", str(errors), "--model", "fake/", "--no-cache")
    assert code == 1
    assert [row["id"] for row in rows(out)] and all("extraction" in row for row in rows(out))
    assert [row["error"]["type"] for row in rows(errors)] == ["malformed_json"]  # type: ignore[index]


def test_existing_output_needs_resume_or_overwrite(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 2), tmp_path / "out.jsonl"
    out.write_text('{"id": "old"}\n')
    code, _, err = batch(str(source), str(out), "--model", "fake/", "--no-cache")
    assert code == 2
    assert "--resume" in err and "--overwrite" in err
    code, _, _ = batch(str(source), str(out), "--model", "fake/", "--no-cache", "--overwrite")
    assert code == 0
    assert len(rows(out)) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--resume", "--overwrite"],
        ["--model", "fake/bogus=1"],
        ["--model", "fake/latency=soon"],
    ],
)
def test_bad_arguments_exit_two(tmp_path: Path, args: list[str]) -> None:
    source = write_input(tmp_path / "in.jsonl", 1)
    code, _, err = batch(str(source), str(tmp_path / "out.jsonl"), "--model", "fake/", *args)
    assert code == 2, err
    assert err.startswith("error: ConfigError")


def test_missing_input_and_output_over_input_exit_two(tmp_path: Path) -> None:
    code, _, err = batch(str(tmp_path / "nope.jsonl"), str(tmp_path / "out.jsonl"))
    assert code == 2 and "no such input file" in err
    source = write_input(tmp_path / "in.jsonl", 1)
    code, _, err = batch(str(source), str(source), "--model", "fake/", "--resume")
    assert code == 2 and "also the input" in err


def test_stdin_to_stdout(tmp_path: Path) -> None:
    text = write_input(tmp_path / "in.jsonl", 3).read_text()
    code, out, _ = batch("-", "-", "--model", "fake/", "--no-cache", input=text)
    assert code == 0
    assert sorted(json.loads(line)["id"] for line in out.splitlines()) == ["a0", "a1", "a2"]


def test_other_field_names(tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"doc": {"key": "k1"}, "body": TEXT}) + "\n")
    code, _, _ = batch(str(source), str(out), "--model", "fake/", "--no-cache", "--id-field", "doc.key",
                       "--text-field", "body")  # fmt: skip
    assert code == 0
    assert rows(out)[0]["id"] == "k1"


def test_resume_repairs_a_truncated_tail_and_completes_exactly_once(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 8), tmp_path / "out.jsonl"
    assert batch(str(source), str(out), "--model", "fake/", "--no-cache")[0] == 0
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:3]) + lines[3][:25])  # three whole lines and a torn fourth
    code, _, err = batch(str(source), str(out), "--model", "fake/", "--no-cache", "--resume",
                         "--summary", str(tmp_path / "s.json"))  # fmt: skip
    assert code == 0, err
    assert "repaired" in err
    assert Counter(row["id"] for row in rows(out)) == Counter(f"a{i}" for i in range(8))
    assert json.loads((tmp_path / "s.json").read_text())["skipped"] == 3


def test_retry_failed_replaces_error_lines(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 5, extra=["{oops"]), tmp_path / "out.jsonl"
    flaky = ["--model", "fake/fail=0.5,seed=3", "--no-cache", "--attempts", "1"]
    code, _, _ = batch(str(source), str(out), *flaky)
    assert code == 1
    first = rows(out)
    assert any(row.get("error", {}).get("type") == "llm_error" for row in first)  # type: ignore[attr-defined]
    # A plain resume keeps the failures; --retry-failed redoes them, keeping one line per record.
    assert batch(str(source), str(out), "--model", "fake/", "--no-cache", "--resume")[0] == 0
    assert rows(out) == first
    code, _, _ = batch(str(source), str(out), "--model", "fake/", "--no-cache", "--resume", "--retry-failed")
    assert code == 1  # the malformed line is still malformed
    final = rows(out)
    assert len(final) == 6
    assert sum("extraction" in row for row in final) == 5


def test_budget_stops_and_resume_finishes(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 10), tmp_path / "out.jsonl"
    code, _, err = batch(str(source), str(out), "--model", "fake/", "--no-cache", "--concurrency", "1",
                         "--budget-tokens", "1")  # fmt: skip
    assert code == 1
    assert "token budget of 1 is spent" in err
    assert len(rows(out)) == 1
    assert batch(str(source), str(out), "--model", "fake/", "--no-cache", "--resume")[0] == 0
    assert sorted(row["id"] for row in rows(out)) == sorted(f"a{i}" for i in range(10))  # type: ignore[type-var]


def test_unreachable_model_aborts_with_exit_three_and_writes_nothing(tmp_path: Path) -> None:
    source, out = write_input(tmp_path / "in.jsonl", 4), tmp_path / "out.jsonl"
    down = ["--model", "fake/unreachable=1", "--no-cache", "--attempts", "1"]
    code, _, err = batch(str(source), str(out), *down)
    assert code == 3
    assert "aborted: llm_unreachable" in err
    assert out.read_text() == ""


def test_repeated_run_hits_the_cache(tmp_path: Path) -> None:
    source, summary = write_input(tmp_path / "in.jsonl", 4), str(tmp_path / "s.json")
    assert batch(str(source), str(tmp_path / "one.jsonl"), "--model", "fake/")[0] == 0
    assert batch(str(source), str(tmp_path / "two.jsonl"), "--model", "fake/", "--summary", summary)[0] == 0
    data = json.loads(Path(summary).read_text())
    assert (data["ok"], data["cached"], data["requests"], data["prompt_tokens"]) == (4, 4, 0, 0)
    two = rows(tmp_path / "two.jsonl")
    assert all(row["extraction"]["provenance"]["cached"] for row in two)  # type: ignore[index]
    assert sorted(row["extraction"]["article_id"] for row in two) == ["a0", "a1", "a2", "a3"]  # type: ignore[index]


def test_plain_progress_lines_when_not_a_tty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.batch.records import BatchSummary
    from extractor.cli import batch as batch_cli

    lines: list[str] = []
    progress = batch_cli._Progress(10, rich=False, interval_s=0)
    monkeypatch.setattr(batch_cli, "print", lambda *a, **k: lines.append(a[0]), raising=False)
    progress(BatchSummary(ok=4, failed=1, articles_per_s=2.5))
    assert lines == [
        "batch: 5/10 lines (ok 4, failed 1, cached 0, skipped 0), 0 tokens, 2.5 articles/s, ETA 2s"
    ]


def run_batch_process(source: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "extractor", "batch", str(source), str(out), "--no-cache", *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_kill_9_mid_run_then_resume_gives_exactly_one_line_per_id(tmp_path: Path) -> None:
    count = 400
    source, out = write_input(tmp_path / "in.jsonl", count), tmp_path / "out.jsonl"
    env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(tmp_path / "data")}
    model = ["--model", "fake/latency=0.02", "--concurrency", "16"]
    kills = 0
    for attempt in range(2):
        process = run_batch_process(source, out, env, *model, *(["--resume"] if attempt else []))
        deadline = time.monotonic() + 60
        target = 60 * (attempt + 1)
        while time.monotonic() < deadline and process.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= target:
                break
            time.sleep(0.01)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()
        written = out.read_bytes()
        assert written.count(b"\n") < count, "the run finished before it could be killed"
    assert kills == 2
    # Simulate the worst moment of a kill, a torn last line, on top of the real kills.
    out.write_bytes(out.read_bytes() + b'{"id": "a9999", "extrac')
    process = run_batch_process(source, out, env, *model, "--resume")
    assert process.wait(timeout=120) == 0
    assert process.stderr is not None
    assert b"repaired" in process.stderr.read()
    process.stderr.close()
    lines = out.read_bytes().splitlines(keepends=True)
    assert all(line.endswith(b"}\n") for line in lines)
    ids = Counter(json.loads(line)["id"] for line in lines)
    assert ids == Counter(f"a{i}" for i in range(count))
