"""Configuration mistakes on the command line: one line, exit 2, no traceback, no provider banner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import extractor.eval  # noqa: F401  - loaded before extractor.review.page, which otherwise hits the eval/review import cycle
from extractor.cli.app import app

runner = CliRunner()


def test_a_model_string_no_provider_serves_is_a_configuration_error(tmp_path: Path, seed_text: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(seed_text)

    result = runner.invoke(app, ["extract", str(article), "--model", "nonsense/x"])

    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: ConfigError: no litellm provider serves 'nonsense/x'"
    )


def test_render_to_a_missing_directory_is_one_line_not_a_traceback(tmp_path: Path, seed_text: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(seed_text)
    extracted = runner.invoke(app, ["extract", str(article), "--model", "fake/seed=1", "--no-cache"])
    assert extracted.exit_code == 0, extracted.output
    extraction = tmp_path / "e.json"
    extraction.write_text(extracted.stdout)

    target = tmp_path / "missing" / "dir" / "p.html"
    result = runner.invoke(app, ["render", str(extraction), "-o", str(target)])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        f"error: ConfigError: cannot write {target}: No such file or directory"
    ]
