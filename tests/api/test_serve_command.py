"""``claimscope serve`` wiring, with uvicorn.run replaced (the smoke test runs the real thing)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from typer.testing import CliRunner

from extractor.cli.app import app
from extractor.llm import embedded as embedded

runner = CliRunner()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    # serve writes the model into the environment for its workers: keep that inside the test.
    monkeypatch.setattr(os, "environ", dict(os.environ))
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append((target, kwargs)))
    return calls


def test_one_worker_runs_the_app_object(runs: list[tuple[Any, dict[str, Any]]]) -> None:
    result = runner.invoke(app, ["serve", "--port", "9123", "--model", "fake/seed=1"])

    assert result.exit_code == 0, result.output
    target, options = runs[0]
    assert isinstance(target, FastAPI)
    assert (options["host"], options["port"]) == ("127.0.0.1", 9123)


def test_several_workers_run_the_factory_with_settings_in_the_environment(
    runs: list[tuple[Any, dict[str, Any]]],
) -> None:
    result = runner.invoke(app, ["serve", "--workers", "3", "--model", "fake/seed=2", "--host", "0.0.0.0"])

    assert result.exit_code == 0, result.output
    target, options = runs[0]
    assert target == "extractor.api.app:create_app"
    assert (options["factory"], options["workers"]) == (True, 3)
    assert os.environ["CLAIMSCOPE_MODEL"] == "fake/seed=2"
    assert "without API keys" in result.output


def test_the_embedded_model_is_started_first(
    runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr(
        embedded, "ensure_server", lambda settings, log: started.append("yes") or "http://x/v1"
    )

    result = runner.invoke(app, ["serve"])

    assert result.exit_code == 0, result.output
    assert started == ["yes"]
    assert "embedded model server: http://x/v1" in result.output


def test_bad_settings_exit_2_without_a_traceback(
    runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMSCOPE_API_MAX_BODY_BYTES", "lots")

    result = runner.invoke(app, ["serve", "--no-start-model"])

    assert result.exit_code == 2
    assert "ConfigError" in result.output and "Traceback" not in result.output
    assert runs == []


def test_proxy_headers_are_trusted_only_from_the_named_proxies(
    runs: list[tuple[Any, dict[str, Any]]],
) -> None:
    default = runner.invoke(app, ["serve", "--model", "fake/seed=1"])
    named = runner.invoke(app, ["serve", "--model", "fake/seed=1", "--forwarded-allow-ips", "10.0.0.5"])

    assert default.exit_code == named.exit_code == 0, default.output + named.output
    assert runs[0][1]["proxy_headers"] is False
    assert (runs[1][1]["proxy_headers"], runs[1][1]["forwarded_allow_ips"]) == (True, "10.0.0.5")
