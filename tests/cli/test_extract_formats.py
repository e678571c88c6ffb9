"""``claimscope extract`` output: a summary and a JSON file on a terminal, the unchanged JSON when piped."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractor.cli
from extractor.cli.app import app
from schemas import ArticleExtraction

runner = CliRunner()
FAKE = ["--model", "fake/seed=1", "--no-cache"]


@pytest.fixture
def article(tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "strikes.txt"
    path.write_text(seed_text)
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("extractor.cli.extract.stdout_is_terminal", lambda: True)


def without_latency(text: str) -> dict[str, object]:
    data = json.loads(text)
    data["provenance"].pop("latency_s")
    assert isinstance(data, dict)
    return data


def test_summary_prints_a_digest_and_writes_the_full_json_next_to_the_cwd(article: Path) -> None:
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--format", "summary"])
    assert result.exit_code == 0, result.output
    written = Path("strikes.claimscope.json")
    extraction = ArticleExtraction.model_validate_json(written.read_text())
    assert f"full JSON: {written}" in result.stdout
    assert extraction.article_id in result.stdout
    assert f"{len(extraction.claims)} claims" in result.stdout
    for heading in ("Actors", "Claims", "Positions"):
        assert heading in result.stdout
    assert "“we are going to start now hitting land”" in result.stdout
    assert "Claudia Sheinbaum" in result.stdout
    assert len(result.stdout.splitlines()) < 120
    assert not result.stdout.lstrip().startswith("{")


def test_on_a_terminal_the_summary_is_the_default(article: Path, terminal: None) -> None:
    result = runner.invoke(app, ["extract", str(article), *FAKE])
    assert result.exit_code == 0, result.output
    assert "full JSON: strikes.claimscope.json" in result.stdout
    ArticleExtraction.model_validate_json(Path("strikes.claimscope.json").read_text())


def test_the_summary_file_holds_what_json_prints(article: Path) -> None:
    summary = runner.invoke(app, ["extract", str(article), *FAKE, "--format", "summary", "-o", "out.json"])
    printed = runner.invoke(app, ["extract", str(article), *FAKE, "--format", "json"])
    assert summary.exit_code == printed.exit_code == 0
    assert "full JSON: out.json" in summary.stdout
    assert without_latency(Path("out.json").read_text()) == without_latency(printed.stdout)


def test_piped_output_is_the_compact_json_and_nothing_else(article: Path) -> None:
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--id", "seed"])
    assert result.exit_code == 0, result.output
    extraction = ArticleExtraction.model_validate_json(result.stdout)
    assert result.stdout == extraction.model_dump_json() + "\n"
    assert extraction.article_id == "seed"
    assert list(Path.cwd().glob("*.json")) == []


def test_a_real_pipe_gets_json_and_no_file_is_written(article: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(article), *FAKE],
        capture_output=True,
        text=True,
        check=False,
        cwd=article.parent,
    )
    assert done.returncode == 0, done.stderr
    extraction = ArticleExtraction.model_validate_json(done.stdout)
    assert done.stdout == extraction.model_dump_json() + "\n"
    assert list(article.parent.glob("*.json")) == []


def test_format_json_prints_json_even_on_a_terminal(article: Path, terminal: None) -> None:
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--format", "json", "--pretty"])
    assert result.exit_code == 0, result.output
    ArticleExtraction.model_validate_json(result.stdout)
    assert result.stdout.startswith('{\n  "article_id"')
    assert list(Path.cwd().glob("*.json")) == []


def test_format_jsonl_prints_one_batch_line(article: Path, terminal: None) -> None:
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--format", "jsonl", "--id", "seed"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    line = json.loads(result.stdout)
    assert list(line) == ["id", "extraction"] and line["id"] == "seed"
    ArticleExtraction.model_validate(line["extraction"])


def test_dash_o_is_always_a_path(article: Path) -> None:
    for value in ("json", "jsonl"):
        result = runner.invoke(app, ["extract", str(article), *FAKE, "-o", value])
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        ArticleExtraction.model_validate_json(Path(value).read_text())


def test_json_to_a_file_prints_nothing_on_stdout(article: Path) -> None:
    Path("x").mkdir()
    result = runner.invoke(app, ["extract", str(article), *FAKE, "--format", "json", "-o", "x/out.json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote x/out.json" in result.stderr
    ArticleExtraction.model_validate_json(Path("x/out.json").read_text())
    assert [p.name for p in Path("x").iterdir()] == ["out.json"]


def test_a_missing_output_directory_exits_2_before_the_model_is_called(article: Path) -> None:
    # The model would fail (exit 3) if it were reached.
    args = ["extract", str(article), "--model", "fake/unreachable=1", "--no-cache"]
    result = runner.invoke(app, [*args, "--format", "summary", "-o", "no/such/dir/out.json"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    result = runner.invoke(app, [*args, "-o", str(article.parent)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_a_failing_model_exits_3_and_writes_no_file(article: Path, terminal: None) -> None:
    result = runner.invoke(app, ["extract", str(article), "--model", "fake/unreachable=1", "--no-cache"])
    assert result.exit_code == 3
    assert list(Path.cwd().glob("*.json")) == []


def test_stdin_summary_is_named_after_the_article_id(article: Path, seed_text: str) -> None:
    result = runner.invoke(
        app, ["extract", "-", *FAKE, "--format", "summary", "--id", "wire/2024:17"], input=seed_text
    )
    assert result.exit_code == 0, result.output
    written = Path("wire-2024-17.claimscope.json")
    assert ArticleExtraction.model_validate_json(written.read_text()).article_id == "wire/2024:17"
    assert "review page" not in result.stdout


def test_help_documents_the_formats_and_the_default_file() -> None:
    result = runner.invoke(app, ["extract", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for text in ("--format", "summary", "jsonl", "claimscope.json", "-o", "piped"):
        assert text in result.stdout


def test_the_package_exports_app_and_main_and_the_console_script_resolves() -> None:
    assert extractor.cli.__all__ == sorted(extractor.cli.__all__)
    assert {"app", "main"} <= set(extractor.cli.__all__)
    assert extractor.cli.__doc__
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    module, _, name = pyproject["project"]["scripts"]["claimscope"].partition(":")
    assert getattr(import_module(module), name) is extractor.cli.main


def test_every_command_is_still_there() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    for command in ("extract", "batch", "serve", "eval", "render", "model"):
        assert command in result.stdout
    result = runner.invoke(app, ["model", "--help"], env={"COLUMNS": "200"})
    for command in ("install", "status", "serve", "stop"):
        assert command in result.stdout


def test_no_cli_module_is_over_400_lines() -> None:
    for module in Path(extractor.cli.__file__).parent.glob("*.py"):
        assert len(module.read_text().splitlines()) <= 400, module.name
