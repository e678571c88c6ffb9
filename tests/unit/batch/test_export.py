"""Batch results as tidy tables: one row per object, linking ids, every table written, DuckDB-ready."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, JsonlSink, run_batch
from extractor.batch.export import export_tables
from extractor.batch.tables import outlet, table_layout
from extractor.errors import ConfigError
from extractor.sdk import Extractor
from extractor.settings import Settings
from extractor.testing import FakeLLM
from schemas import ArticleExtraction
from tests.unit.batch.batchkit import records

README = Path(__file__).resolve().parents[3] / "README.md"
TEXT = 'Mayor Jane Doe said "we will build the bridge" on Monday. Minister Bob Roe disagreed. Item {}.'
URLS = ["https://www.daily.example/a", "https://news.other.example/b", "http://daily.example/c", None]


def readme_sql() -> str:
    """The README's DuckDB example, exactly as printed."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"quoted most, and by how many outlets.*?```sql\n(.*?)```", text, re.DOTALL)
    assert match, "the README shows the quoted-most query"
    return match.group(1)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """Batch output of four articles (three outlets' URLs, one without) and one bad input line."""
    lines = [json.dumps({"id": f"a{i}", "text": TEXT.format(i), "url": url}) for i, url in enumerate(URLS)]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([*lines, "{broken"]) + "\n")
    out = tmp_path / "results.jsonl"
    extractor = Extractor(llm=FakeLLM(), settings=Settings(data_dir=tmp_path, cache_enabled=False))

    async def run() -> None:
        with JsonlSink(out) as sink:
            await run_batch(records(source), sink, extractor, BatchOptions(concurrency=2))

    import asyncio

    asyncio.run(run())
    with out.open("a") as file:
        file.write("not json at all\n")
    return out


def _extractions(path: Path) -> list[ArticleExtraction]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.startswith('{"id"')]
    return [ArticleExtraction.model_validate(row["extraction"]) for row in rows if "extraction" in row]


def test_outlet_is_the_host_without_www() -> None:
    assert [outlet(url) for url in URLS] == ["daily.example", "news.other.example", "daily.example", None]


def test_csv_tables_hold_one_row_per_object_linked_by_ids(results: Path, tmp_path: Path) -> None:
    summary = export_tables([results], tmp_path / "tables", "csv")
    extractions = _extractions(results)
    assert (summary.articles, summary.errors) == (4, 1)
    assert summary.bad_lines == [("results.jsonl", 6)]
    assert set(summary.files) == set(table_layout()) and all(path.exists() for path in summary.files.values())

    def table(name: str) -> list[dict[str, str]]:
        with (tmp_path / "tables" / f"{name}.csv").open(encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))

    assert len(table("articles")) == 4
    assert len(table("actors")) == sum(len(e.actors) for e in extractions)
    assert len(table("mentions")) == sum(len(a.mentions) for e in extractions for a in e.actors)
    assert len(table("claims")) == sum(len(e.claims) for e in extractions)
    assert len(table("positions")) == sum(len(e.positions) for e in extractions)
    assert len(table("position_claims")) == sum(len(p.claim_ids) for e in extractions for p in e.positions)
    assert [row["type"] for row in table("errors")] == ["malformed_json"]
    for name in table_layout():
        assert all(row["article_id"] for row in table(name)) or name == "errors"  # a bad line has no id
    actors = {(row["article_id"], row["actor_id"]) for row in table("actors")}
    assert all(
        (row["article_id"], row["speaker_id"]) in actors for row in table("claims") if row["speaker_id"]
    )
    quoted = next(row for row in table("claims") if row["quote_text"])
    assert quoted["quote_text"] == "we will build the bridge" and int(quoted["quote_end"]) > int(
        quoted["quote_start"]
    )


def test_the_readme_query_runs_on_the_parquet_tables(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    duckdb = pytest.importorskip("duckdb")
    export_tables([results], tmp_path / "tables", "parquet")
    monkeypatch.chdir(tmp_path)
    rows = duckdb.sql(readme_sql()).fetchall()
    assert rows[0] == ("Jane Doe", 4, 2)  # quoted in all four articles, by two outlets (one had no URL)


def test_the_same_query_runs_on_csv_with_pandas_too(results: Path, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    export_tables([results], tmp_path / "tables", "csv")
    claims = pandas.read_csv(tmp_path / "tables" / "claims.csv")
    actors = pandas.read_csv(tmp_path / "tables" / "actors.csv")
    joined = claims.merge(actors, left_on=["article_id", "speaker_id"], right_on=["article_id", "actor_id"])
    assert joined["canonical_name"].value_counts().index[0] == "Jane Doe"


def test_empty_tables_are_written_with_their_columns(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    export_tables([empty], tmp_path / "tables", "parquet")
    columns = [row[0] for row in duckdb.sql(f"DESCRIBE '{tmp_path}/tables/claims.parquet'").fetchall()]
    assert columns[:3] == ["article_id", "claim_id", "speaker_id"] and "quote_text" in columns


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    source = tmp_path / "r.jsonl"
    source.write_text("")
    with pytest.raises(ConfigError, match=r"pip install 'claimscope\[tables\]'"):
        export_tables([source], tmp_path / "tables", "parquet")


def test_the_json_file_of_extract_exports_too(results: Path, tmp_path: Path) -> None:
    single = tmp_path / "one.claimscope.json"
    single.write_text(_extractions(results)[0].model_dump_json(indent=2))
    summary = export_tables([single], tmp_path / "tables", "csv")
    assert (summary.articles, summary.bad_lines) == (1, [])


def test_topics_are_a_table_of_their_own_linked_from_positions_and_evidence() -> None:
    layout = table_layout(ArticleExtraction)
    assert list(layout["topics"].columns) == ["article_id", "topic_id", "label"]
    assert "topic_id" in layout["positions"].columns
    assert list(layout["evidence"].columns)[:4] == ["article_id", "claim_id", "topic_id", "position_id"]
