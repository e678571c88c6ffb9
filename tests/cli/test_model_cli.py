"""``claimscope model``: status as text or JSON, install progress on a non-terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app
from extractor.llm import embedded
from extractor.llm.embedded_install import EmbeddedProgress
from extractor.settings import Settings

runner = CliRunner()


def test_status_as_json_names_the_idle_timeout() -> None:
    result = runner.invoke(app, ["model", "status", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["running"] is False and data["idle_timeout_s"] == 300.0
    assert {"pid", "port", "last_use", "url"} <= set(data)


def test_status_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMSCOPE_EMBEDDED_IDLE_S", "0")
    result = runner.invoke(app, ["model", "status", "--format", "text"])
    assert result.exit_code == 0
    assert "running:      no" in result.stdout
    assert "idle timeout: none" in result.stdout
    assert "claimscope model install" in result.stdout


def test_install_prints_progress_lines_when_not_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def scripted_install(settings: Settings, progress: object) -> embedded.EmbeddedPaths:
        for done in range(23):
            progress(EmbeddedProgress("weights", "downloading", done, 22))  # type: ignore[operator]
        progress(EmbeddedProgress("build", "configuring"))  # type: ignore[operator]
        return embedded.EmbeddedPaths(tmp_path / "bin", tmp_path / "w")

    monkeypatch.setattr(embedded, "install", scripted_install)
    result = runner.invoke(app, ["model", "install"])
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("weights:")]
    assert 5 <= len(progress) <= 11  # one line per tenth, not one per part
    assert "build: configuring" in result.stderr
    assert "binary:" in result.stdout


@pytest.mark.parametrize("bar", [False, True])
def test_the_sdks_progress_records_show_inside_a_command(
    bar: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from extractor.cli.progress import embedded_progress
    from extractor.llm.embedded_install import LogProgress

    logger = logging.getLogger("claimscope.embedded")
    with embedded_progress(bar=bar):
        log = LogProgress()  # what ensure_server reports to when the SDK starts the model
        log(EmbeddedProgress("install", "fetching the model weights"))
        for done in range(23):
            log(EmbeddedProgress("weights", "downloading", done, 22))
        log(EmbeddedProgress("ready", "ready at http://127.0.0.1:1/v1"))
    err = capsys.readouterr().err
    assert "install: fetching the model weights" in err and "ready at" in err
    if not bar:
        assert 5 <= sum(line.startswith("weights:") for line in err.splitlines()) <= 11
    assert logger.propagate and not logger.handlers
