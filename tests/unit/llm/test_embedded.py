"""Embedded model lifecycle without the real model: status, failure to start, stop."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from extractor import EmbeddedModelError
from extractor.llm import embedded
from extractor.settings import Settings


def test_status_of_a_fresh_data_dir(tmp_path: Path) -> None:
    state = embedded.status(Settings(data_dir=tmp_path))
    assert state.running is False and state.binary is None and state.weights is None


def test_stop_when_nothing_runs(tmp_path: Path) -> None:
    assert embedded.stop_server(Settings(data_dir=tmp_path)) is False


def test_a_server_that_dies_at_start_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path)
    paths = embedded._paths(settings)
    paths.binary.parent.mkdir(parents=True)
    paths.binary.write_text("#!/bin/sh\necho broken >&2\nexit 7\n")
    paths.binary.chmod(paths.binary.stat().st_mode | stat.S_IEXEC)
    paths.weights.parent.mkdir(parents=True)
    paths.weights.write_bytes(b"\0" * 16)
    # Pretend the weights were verified so no download is attempted.
    paths.weights.with_suffix(".verified").write_text(embedded.WEIGHTS_SHA256)
    monkeypatch.setattr(embedded, "WEIGHTS_SIZE", 16)
    with pytest.raises(EmbeddedModelError, match="exited with code 7"):
        embedded.ensure_server(settings)
