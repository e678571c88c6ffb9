"""No input line can stop a batch: every line yields exactly one record, and a resume has nothing to redo."""

import asyncio
import io
import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.batch.jsonl import JsonlSink, error_line, read_lines
from extractor.batch.lines import RecordParser, parse_lines
from extractor.batch.records import BatchOptions, ErrorRecord, run_batch
from schemas import ArticleExtraction
from schemas.article import Provenance

DEEP = b'{"id":"n","text":"x","x":' + b"[" * 3000 + b"]" * 3000 + b"}"


class Stub:
    """An extractor answering at once, so a property test can run many batches."""

    model = "stub"

    async def aextract(
        self,
        text: str,
        *,
        article_id: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> ArticleExtraction:
        provenance = Provenance(model="stub", strategy="pipeline")
        return ArticleExtraction(article_id=article_id or "", text_sha256="0" * 64, provenance=provenance)


def _run(path: Path, out: Path, *, resume: bool) -> tuple[str, int, int]:
    async def go() -> tuple[str, int, int]:
        with path.open("rb") as stream, JsonlSink(out, fsync_interval_s=60) as sink:
            records = parse_lines(read_lines(stream, 1 << 20))
            summary = await run_batch(records, sink, Stub(), BatchOptions(concurrency=2, resume=resume))
        return summary.status, summary.done, summary.skipped

    return asyncio.run(go())


def test_a_line_nested_past_the_recursion_limit_is_one_malformed_line() -> None:
    record = RecordParser().parse_raw(DEEP, 1)
    assert isinstance(record, ErrorRecord)
    assert (record.type, record.id, record.line) == ("malformed_json", None, 1)


def test_lone_surrogates_are_typed_input_errors() -> None:
    parser = RecordParser()
    bad_id = parser.parse_raw(b'{"id": "x\\udfff", "text": "t"}', 1)
    bad_text = parser.parse_raw(b'{"id": "y", "text": "a \\udfff b"}', 2)
    assert isinstance(bad_id, ErrorRecord) and bad_id.type == "invalid_record"
    assert isinstance(bad_text, ErrorRecord) and bad_text.type == "decode_error"
    assert "pydantic" not in bad_text.message


def test_error_lines_escape_what_utf8_cannot_encode() -> None:
    line = error_line(ErrorRecord("x\udfff", 3, "llm_output_error", "bad \ud800 output"))
    data = json.loads(line)
    assert data["id"] == "x\udfff" and data["error"]["message"] == "bad \ud800 output"


def test_poison_lines_do_not_stop_the_job_and_resume_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "fine"}\n' + DEEP + b'\n{"id": "x\\udfff", "text": "t"}\n'
        b'{"id": "b", "text": "a \\udfff"}\n{"id": "c", "text": "fine", "n": 1' + b"9" * 5000 + b"}\n"
    )
    out = tmp_path / "out.jsonl"
    assert _run(path, out, resume=False) == ("completed", 5, 0)
    assert _run(path, out, resume=True) == ("completed", 0, 5)
    types = [json.loads(line).get("error", {}).get("type") for line in out.read_bytes().splitlines()]
    assert sorted(map(str, types)) == [
        "None",
        "decode_error",
        "invalid_record",
        "malformed_json",
        "malformed_json",
    ]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)
_record = st.fixed_dictionaries(
    {}, optional={"id": st.text(max_size=8) | st.integers(), "text": st.text()}
).flatmap(
    lambda base: st.dictionaries(st.sampled_from(["title", "url", "published", "x"]), _json, max_size=3).map(
        lambda extra: {**extra, **base}
    )
)
_line = (
    st.binary(max_size=40).map(lambda raw: raw.replace(b"\n", b" "))
    | _json.map(lambda value: json.dumps(value).encode())
    | _record.map(lambda value: json.dumps(value).encode())
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, min_size=1, max_size=8))
def test_any_input_yields_one_record_per_line_and_resumes_to_nothing(
    tmp_path: Path, lines: list[bytes]
) -> None:
    path = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    out.unlink(missing_ok=True)
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected = sum(1 for line in read_lines(io.BytesIO(path.read_bytes()), 1 << 20) if line.strip())

    status, done, _ = _run(path, out, resume=False)
    written = out.read_bytes().splitlines()

    assert (status, done, len(written)) == ("completed", expected, expected)
    assert all(isinstance(json.loads(line), dict) for line in written)
    assert _run(path, out, resume=True) == ("completed", 0, expected)
