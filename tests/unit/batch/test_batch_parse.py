import json
from datetime import date

import pytest

from extractor.batch.lines import RecordParser, parse_lines
from extractor.batch.records import ErrorRecord, InputLine, OversizedLine, line_key


def lines(*objects: object) -> list[bytes]:
    return [(o if isinstance(o, str) else json.dumps(o)).encode() + b"\n" for o in objects]


def test_good_line_becomes_input_line() -> None:
    [record] = parse_lines(
        lines({"id": "a", "text": "Hello.", "title": "T", "url": "https://x", "published": "2024-05-31"})
    )
    assert record == InputLine(
        id="a", text="Hello.", line=1, title="T", url="https://x", published=date(2024, 5, 31)
    )
    assert record.key == "a"


def test_integer_id_and_datetime_published_are_accepted() -> None:
    [record] = parse_lines(lines({"id": 7, "text": "x", "published": "2024-05-31T10:00:00+02:00"}))
    assert isinstance(record, InputLine)
    assert (record.id, record.published) == ("7", date(2024, 5, 31))


def test_missing_id_falls_back_to_line_number() -> None:
    records = list(parse_lines(lines({"id": "a", "text": "x"}, {"text": "y"})))
    assert [r.id for r in records] == ["a", "line-2"]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("{not json", "malformed_json"),
        ("[1, 2]", "malformed_json"),
        ('"just a string"', "malformed_json"),
        ({"id": "a"}, "missing_text"),
        ({"id": "a", "text": 5}, "missing_text"),
        ({"id": "a", "text": "  \n "}, "empty_article"),
        ({"id": "a", "text": "x" * 11}, "article_too_large"),
        ({"id": ["a"], "text": "x"}, "invalid_record"),
        ({"id": True, "text": "x"}, "invalid_record"),
        ({"id": "a\nb", "text": "x"}, "invalid_record"),
        ({"id": "a" * 201, "text": "x"}, "invalid_record"),
        ({"id": "a", "text": "x", "published": "last week"}, "invalid_record"),
        ({"id": "a", "text": "x", "title": 3}, "invalid_record"),
    ],
)
def test_bad_lines_become_typed_error_records(raw: object, kind: str) -> None:
    [record] = parse_lines(lines(raw), max_chars=10)
    assert isinstance(record, ErrorRecord)
    assert record.type == kind
    assert record.line == 1
    assert record.attempts == 0
    assert record.message


def test_invalid_utf8_is_a_decode_error() -> None:
    [record] = parse_lines([b'{"id": "a", "text": "\xff"}\n'])
    assert isinstance(record, ErrorRecord)
    assert record.type == "decode_error"


def test_oversized_line_marker_is_article_too_large() -> None:
    [record] = parse_lines([OversizedLine(size=5000, limit=100)])
    assert isinstance(record, ErrorRecord)
    assert (record.type, record.id, record.key) == ("article_too_large", None, line_key(1))
    assert "5,000 bytes" in record.message


def test_duplicate_id_is_flagged_on_the_later_line_and_keyed_by_line() -> None:
    records = list(
        parse_lines(lines({"id": "a", "text": "x"}, {"id": "b", "text": "y"}, {"id": "a", "text": "z"}))
    )
    assert [type(r).__name__ for r in records] == ["InputLine", "InputLine", "ErrorRecord"]
    duplicate = records[2]
    assert isinstance(duplicate, ErrorRecord)
    assert (duplicate.type, duplicate.id, duplicate.line) == ("duplicate_id", "a", 3)
    assert duplicate.key == line_key(3)


def test_an_id_whose_line_failed_still_counts_for_duplicates() -> None:
    records = list(parse_lines(lines({"id": "a"}, {"id": "a", "text": "x"})))
    assert [getattr(r, "type", "ok") for r in records] == ["missing_text", "duplicate_id"]


def test_blank_lines_are_not_records_but_count_for_line_numbers() -> None:
    records = list(parse_lines([b"\n", b"  \n", *lines({"id": "a", "text": "x"})]))
    assert [r.line for r in records] == [3]


def test_nested_and_renamed_fields() -> None:
    parser = RecordParser(id_field="meta.key", text_field="body")
    record = parser.parse_obj({"meta": {"key": "k1"}, "body": "text"}, 4)
    assert isinstance(record, InputLine)
    assert (record.id, record.text, record.line) == ("k1", "text", 4)


def test_literal_dotted_field_name_wins_over_nesting() -> None:
    parser = RecordParser(text_field="a.b")
    record = parser.parse_obj({"a.b": "flat", "a": {"b": "nested"}}, 1)
    assert isinstance(record, InputLine)
    assert record.text == "flat"


def test_error_record_round_trips_through_its_json_shape() -> None:
    record = ErrorRecord("a", 3, "llm_timeout", "slow", 2)
    data = record.to_dict()
    assert data == {"id": "a", "line": 3, "error": {"type": "llm_timeout", "message": "slow", "attempts": 2}}
    assert ErrorRecord.from_dict(json.loads(json.dumps(data))) == record


def test_error_record_from_a_foreign_exception_is_internal_error() -> None:
    record = ErrorRecord.from_error(KeyError("boom"), id="a", line=1, attempts=1)
    assert record.type == "internal_error"
