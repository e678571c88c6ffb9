"""Batch input from .txt folders and CSV/Parquet tables: one record per item, bad ones as error records."""

from __future__ import annotations

import builtins
import csv
from pathlib import Path
from typing import Any

import pytest

from extractor.batch.records import ErrorRecord, InputLine
from extractor.batch.sources import TableSource, TextFolder, source_kind
from extractor.errors import ConfigError, InputError

TEXT = 'Mayor Jane Doe said "we will build the bridge" on Monday.'


def _by_id(items: list[InputLine | ErrorRecord]) -> dict[str | None, InputLine | ErrorRecord]:
    return {item.id: item for item in items}


def test_the_kind_follows_the_path(tmp_path: Path) -> None:
    assert source_kind(str(tmp_path)) == "folder"
    assert [source_kind(name) for name in ("a.csv", "a.PARQUET", "a.pq", "a.jsonl", "-")] == [
        "csv",
        "parquet",
        "parquet",
        "jsonl",
        "jsonl",
    ]


def test_a_folder_gives_one_record_per_txt_file_named_by_its_relative_path(tmp_path: Path) -> None:
    (tmp_path / "wire" / "2024").mkdir(parents=True)
    (tmp_path / "a1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "wire" / "2024" / "b.txt").write_text(TEXT + " Two.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owner said hi.".encode("latin-1"))
    (tmp_path / "big.txt").write_text("x" * 500, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    folder = TextFolder(tmp_path, max_chars=100)
    folder.check()
    items = list(folder.records())
    assert folder.total() == 5 and len(items) == 5
    found = _by_id(items)
    assert isinstance(found["a1"], InputLine) and found["a1"].text == TEXT
    assert isinstance(found["wire/2024/b"], InputLine)
    assert {name: item.type for name, item in found.items() if isinstance(item, ErrorRecord)} == {
        "empty": "empty_article",
        "latin": "decode_error",
        "big": "article_too_large",
    }
    assert [item.line for item in items] == [1, 2, 3, 4, 5]


def test_a_folder_without_txt_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no .txt files"):
        TextFolder(tmp_path, max_chars=100).check()


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def test_csv_rows_become_records_and_bad_rows_error_records(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "in.csv",
        [
            ["doc", "body", "title", "published"],
            ["d1", TEXT + "\nWith a second line, quoted.", "Bridge", "2024-05-31"],
            ["d2", "", "", ""],
            ["d1", TEXT, "", ""],
            ["", TEXT + " No id.", "", ""],
            ["d5", TEXT, "", "last tuesday"],
        ],
    )
    source = TableSource(path, "csv", text_column="body", id_column="doc", max_chars=10_000)
    source.check()
    items = list(source.records())
    first = items[0]
    assert isinstance(first, InputLine) and (first.id, first.title, str(first.published)) == (
        "d1",
        "Bridge",
        "2024-05-31",
    )
    assert "second line" in first.text
    assert [item.type for item in items if isinstance(item, ErrorRecord)] == [
        "empty_article",
        "duplicate_id",
        "invalid_record",
    ]
    assert isinstance(items[3], InputLine) and items[3].id == "line-4"


def test_a_table_without_the_text_column_is_refused_naming_its_columns(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "in.csv", [["id", "content"], ["a", TEXT]])
    with pytest.raises(ConfigError, match=r"no column 'text' \(columns: 'id', 'content'\).*--text-column"):
        TableSource(path, "csv").check()


def test_parquet_rows_become_records(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    from datetime import date

    table = pyarrow.table(
        {
            "id": [1, 2, 3],
            "text": [TEXT, None, TEXT + " Three."],
            "published": [date(2024, 5, 31), None, None],
            "other": ["x", "y", "z"],
        }
    )
    path = tmp_path / "in.parquet"
    parquet.write_table(table, path)
    source = TableSource(path, "parquet")
    source.check()
    items = list(source.records())
    assert source.total() == 3
    assert isinstance(items[0], InputLine) and (items[0].id, str(items[0].published)) == ("1", "2024-05-31")
    assert isinstance(items[1], ErrorRecord) and (items[1].id, items[1].type) == ("2", "missing_text")
    assert isinstance(items[2], InputLine) and items[2].id == "3"


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ConfigError, match=r"pip install 'claimscope\[tables\]'"):
        TableSource(tmp_path / "in.parquet", "parquet").check()
