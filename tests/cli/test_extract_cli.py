"""``claimscope extract`` as a user runs it: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app

runner = CliRunner()


def test_missing_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_empty_article_exits_2(tmp_path: Path) -> None:
    article = tmp_path / "empty.txt"
    article.write_text("  \n")
    result = runner.invoke(app, ["extract", str(article)])
    assert result.exit_code == 2
    assert "EmptyArticleError" in result.output


def test_non_utf8_file_exits_2(tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Le ministre a dit « non ».".encode("latin-1"))
    result = runner.invoke(app, ["extract", str(article)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output


def test_unreachable_model_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_text: str) -> None:
    monkeypatch.setenv("CLAIMSCOPE_TRANSIENT_RETRIES", "0")
    article = tmp_path / "a.txt"
    article.write_text(seed_text)
    result = runner.invoke(
        app,
        [
            "extract",
            str(article),
            "--model",
            "openai/local",
            "--api-base",
            "http://127.0.0.1:9/v1",
            "--no-cache",
        ],
    )
    assert result.exit_code == 3
    assert "cannot reach" in result.output


def test_extract_prints_a_valid_extraction(tmp_path: Path, seed_text: str) -> None:
    from schemas import ArticleExtraction

    article = tmp_path / "a.txt"
    article.write_text(seed_text)
    result = runner.invoke(
        app, ["extract", str(article), "--model", "fake/seed=1", "--pretty", "--id", "seed"]
    )
    assert result.exit_code == 0, result.output
    extraction = ArticleExtraction.model_validate_json(result.stdout)
    assert extraction.article_id == "seed"
    assert any(
        claim.quote and claim.quote.text == "we are going to start now hitting land"
        for claim in extraction.claims
    )


def test_extract_reads_stdin_and_prints_one_jsonl_line(seed_text: str) -> None:
    result = runner.invoke(
        app, ["extract", "-", "--model", "fake/seed=1", "--format", "jsonl"], input=seed_text
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "no such file" in done.stderr
