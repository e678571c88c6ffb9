"""The README sequence: a folder of .txt files through `batch` and `export` into DuckDB; table input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app
from tests.unit.batch.test_export import readme_sql

runner = CliRunner()
SPEAKERS = ["Jane Doe", "Bob Roe", "Ann Lee"]


pytestmark = pytest.mark.usefixtures("isolated_settings")


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


def article(index: int) -> str:
    speaker = SPEAKERS[index % len(SPEAKERS)]
    return f'Mayor {speaker} said "we will build bridge number {index}" on Monday. Critics disagreed.\n'


def test_a_folder_of_txt_files_goes_through_batch_and_export_into_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    duckdb = pytest.importorskip("duckdb")
    folder = tmp_path / "articles"
    folder.mkdir()
    for index in range(50):
        (folder / f"story-{index:03d}.txt").write_text(article(index), encoding="utf-8")
    (folder / "blank.txt").write_text("\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, err = invoke("batch", "articles/", "results.jsonl", "--model", "fake/latency=0")
    assert code == 1 and "ok 50" in err and "empty_article 1" in err  # the blank file is its error record
    code, err = invoke("export", "results.jsonl", "--format", "parquet", "-o", "tables/")
    assert code == 0 and "exported 50 articles, 1 errors" in err

    rows = duckdb.sql(readme_sql()).fetchall()
    assert {actor: quotes for actor, quotes, _ in rows} == {"Jane Doe": 17, "Bob Roe": 17, "Ann Lee": 16}
    ids = duckdb.sql("SELECT article_id FROM 'tables/articles.parquet' ORDER BY 1").fetchall()
    assert ids[0] == ("story-000",) and len(ids) == 50
    assert duckdb.sql("SELECT article_id, type FROM 'tables/errors.parquet'").fetchall() == [
        ("blank", "empty_article")
    ]


def test_a_csv_with_named_columns_goes_through_batch(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["doc_id", "body", "url"])
        writer.writerows([[f"d{i}", article(i), f"https://site{i % 2}.example/{i}"] for i in range(4)])
        writer.writerow(["d9", "", ""])
    out = tmp_path / "out.jsonl"
    code, err = invoke(
        "batch", str(source), str(out), "--text-column", "body", "--id-column", "doc_id", "--model", "fake/"
    )
    assert code == 1, err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["id"] for line in lines if "extraction" in line) == ["d0", "d1", "d2", "d3"]
    assert [line["error"]["type"] for line in lines if "error" in line] == ["empty_article"]
    assert {line["extraction"]["url"] for line in lines if "extraction" in line} >= {
        "https://site0.example/0"
    }


def test_a_parquet_table_goes_through_batch(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    parquet.write_table(pyarrow.table({"id": ["p0", "p1"], "text": [article(0), article(1)]}), source)
    out = tmp_path / "out.jsonl"
    code, err = invoke("batch", str(source), str(out), "--model", "fake/")
    assert code == 0, err
    assert len(out.read_text().splitlines()) == 2 and "ok 2" in err


def test_a_table_without_its_text_column_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,content\na,hello\n", encoding="utf-8")
    code, err = invoke("batch", str(source), str(tmp_path / "out.jsonl"), "--model", "fake/")
    assert code == 2 and "no column 'text'" in err and "--text-column" in err
    assert not (tmp_path / "out.jsonl").exists()


def test_export_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    code, err = invoke("export", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "tables"))
    assert code == 2 and "no such file" in err
