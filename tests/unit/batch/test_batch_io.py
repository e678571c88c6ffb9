import io
import json
from pathlib import Path

import pytest

from extractor.batch.jsonl import JsonlSink, count_lines, read_lines, repair_tail, result_line
from extractor.batch.records import ErrorRecord, OversizedLine, line_key
from schemas import ArticleExtraction
from schemas.article import Provenance


def extraction(article_id: str) -> ArticleExtraction:
    return ArticleExtraction(
        article_id=article_id,
        text_sha256="0" * 64,
        provenance=Provenance(model="fake/llm", strategy="pipeline"),
    )


def test_read_lines_skips_an_oversized_line_without_holding_it() -> None:
    stream = io.BytesIO(b"short\n" + b"x" * 5000 + b"\nnext\nlast-without-newline")
    items = list(read_lines(stream, max_line_bytes=100))
    assert items == [b"short\n", OversizedLine(size=5001, limit=100), b"next\n", b"last-without-newline"]


def test_read_lines_accepts_a_line_exactly_at_the_limit() -> None:
    assert list(read_lines(io.BytesIO(b"abcd\n"), max_line_bytes=4)) == [b"abcd\n"]


def test_count_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"a\nb\nc")
    assert count_lines(path) == 3
    path.write_bytes(b"a\nb\n")
    assert count_lines(path) == 2
    path.write_bytes(b"")
    assert count_lines(path) == 0


def test_repair_tail_cuts_only_a_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert repair_tail(path) == len(b'{"c": ')
    assert path.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert repair_tail(path) == 0
    path.write_bytes(b'{"only": "partial')
    assert repair_tail(path) == len(b'{"only": "partial')
    assert path.read_bytes() == b""
    assert repair_tail(tmp_path / "missing.jsonl") == 0


def test_result_lines_carry_the_id_first_and_parse_back() -> None:
    line = result_line('a"1', extraction("x"))
    assert line.startswith(b'{"id": "a\\"1", "extraction": {')
    data = json.loads(line)
    assert data["id"] == 'a"1'
    ArticleExtraction.model_validate(data["extraction"])


def test_sink_writes_results_and_errors_and_reads_them_back(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink(out, fsync_interval_s=0) as sink:
        sink.write_result("a", extraction("a"))
        sink.write_error(ErrorRecord("b", 2, "llm_timeout", "slow", 2))
        sink.write_error(ErrorRecord(None, 3, "malformed_json", "bad"))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["a", "b", None]
    with JsonlSink(out) as sink:
        assert sink.done_ids() == {"a", "b", line_key(3)}


def test_sink_repairs_a_truncated_tail_on_open(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    whole = result_line("a", extraction("a"))
    out.write_bytes(whole + result_line("b", extraction("b"))[:40])
    with JsonlSink(out) as sink:
        assert sink.repaired_bytes == 40
        assert sink.done_ids() == {"a"}
        sink.write_result("b", extraction("b"))
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_retry_failed_drops_error_lines_so_each_id_keeps_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink(out) as sink:
        sink.write_result("a", extraction("a"))
        sink.write_error(ErrorRecord("b", 2, "llm_timeout", "slow", 2))
    with JsonlSink(out) as sink:
        assert sink.done_ids(retry_failed=True) == {"a"}
        assert sink.dropped_lines == 1
        sink.write_result("b", extraction("b"))
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]
    assert not list(tmp_path.glob("*.compact"))


def test_damaged_middle_lines_are_not_done_and_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(
        result_line("a", extraction("a")) + b"\x00\x00garbage\n" + result_line("c", extraction("c"))
    )
    with JsonlSink(out) as sink:
        assert sink.done_ids() == {"a", "c"}
    assert out.read_bytes().count(b"\n") == 2


def test_foreign_but_valid_result_lines_are_recognised(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    body = json.loads(result_line("a", extraction("a")))
    out.write_text(json.dumps({"extraction": body["extraction"], "id": "a"}) + "\n")
    with JsonlSink(out) as sink:
        assert sink.done_ids() == {"a"}


def test_errors_file_gets_error_records_and_is_scanned_on_resume(tmp_path: Path) -> None:
    out, errors = tmp_path / "out.jsonl", tmp_path / "err.jsonl"
    with JsonlSink(out, errors) as sink:
        sink.write_result("a", extraction("a"))
        sink.write_error(ErrorRecord("b", 2, "llm_bad_output", "junk", 1))
    assert out.read_text().count("\n") == 1
    assert json.loads(errors.read_text())["error"]["type"] == "llm_bad_output"
    with JsonlSink(out, errors) as sink:
        assert sink.done_ids() == {"a", "b"}


def test_overwrite_empties_existing_files(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(result_line("a", extraction("a")))
    with JsonlSink(out, overwrite=True) as sink:
        assert sink.done_ids() == set()
    assert out.read_bytes() == b""


def test_stdout_sink(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    sink = JsonlSink("-")
    sink.write_error(ErrorRecord("a", 1, "missing_text", "no text"))
    sink.close()
    assert json.loads(capfdbinary.readouterr().out)["error"]["type"] == "missing_text"
