"""``claimscope extract`` as a user runs it: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

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
