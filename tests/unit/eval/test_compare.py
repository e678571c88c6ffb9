"""An eval report set beside an earlier one: figures per source and overall, drops, differing samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app
from extractor.errors import ConfigError
from extractor.eval.compare import compare_reports, format_change, report_of


def _report(claims_f1: float | None, positions: dict[str, Any] | None, ids: list[str]) -> dict[str, Any]:
    group = {
        "claims": {"f1": claims_f1, "precision": 0.8} if claims_f1 is not None else None,
        "claims_with_speaker": None,
        "actors": {"f1": None, "recall": 0.7},
        "stances": None,
        "positions": positions,
        "quote_faithfulness": 1.0,
    }
    return {"overall": group, "by_source": {"polnear": group}, "per_doc": [{"id": i} for i in ids]}


def test_each_figure_both_reports_score_is_compared_per_source_then_overall() -> None:
    before = _report(0.70, None, ["a", "b"])
    after = _report(0.75, {"f1": 0.4, "found_any_stance": 0.7}, ["a", "b"])
    change = compare_reports(before, after)
    figures = [(c.group, c.figure) for c in change.changes]
    # positions are new in the run, actor F1 is scored by neither: neither is compared.
    assert figures == [
        ("polnear", "claims F1"),
        ("polnear", "actors R"),
        ("polnear", "quotes verbatim"),
        ("overall", "claims F1"),
        ("overall", "actors R"),
        ("overall", "quotes verbatim"),
    ]
    assert change.changes[0].delta == pytest.approx(0.05) and change.drops() == []
    assert change.as_dict()["figures"]["overall"]["claims F1"] == {
        "before": 0.7,
        "after": 0.75,
        "delta": 0.05,
    }


def test_a_figure_that_fell_is_a_drop_and_marked_in_the_table() -> None:
    change = compare_reports(_report(0.75, None, ["a"]), _report(0.70, None, ["a"]))
    assert [(c.group, c.figure) for c in change.drops()] == [
        ("polnear", "claims F1"),
        ("overall", "claims F1"),
    ]
    table = format_change(change, "before.json")
    assert table.startswith("change against before.json")
    row = next(line for line in table.splitlines() if line.startswith("overall  claims F1"))
    assert row.split() == ["overall", "claims", "F1", "0.750", "0.700", "-0.050", "fell"]
    assert change.as_dict()["drops"][0] == "polnear: claims F1"
    tolerant = compare_reports(_report(0.75, None, ["a"]), _report(0.70, None, ["a"]), tolerance=0.05)
    assert tolerant.drops() == [] and "fell" not in format_change(tolerant, "before.json")
    assert compare_reports(_report(0.75, None, ["a"]), _report(0.69, None, ["a"]), 0.05).drops()


def test_documents_only_one_report_scored_are_listed() -> None:
    change = compare_reports(_report(0.7, None, ["a", "b"]), _report(0.7, None, ["b", "c"]))
    assert change.only_before == ("a",) and change.only_after == ("c",)
    assert "only in the baseline (1 documents" in format_change(change, "x")
    without_rows = {key: value for key, value in _report(0.7, None, ["a"]).items() if key != "per_doc"}
    assert compare_reports(without_rows, _report(0.7, None, ["c"])).only_after == ()


@pytest.mark.parametrize("data", [[], {"overall": {}}, {"overall": 1, "by_source": {}}])
def test_a_file_without_a_report_shape_is_a_config_error(data: Any) -> None:
    with pytest.raises(ConfigError, match="not an eval report"):
        report_of(data, "baseline x.json")


@pytest.mark.usefixtures("flawless")
def test_cli_eval_prints_the_change_and_fails_on_a_drop(gold_file: Path, tmp_path: Path) -> None:
    first = CliRunner().invoke(app, ["eval", str(gold_file), "--json", "--no-cache"])
    assert first.exit_code == 0, first.stderr
    same = tmp_path / "same.json"
    same.write_text(first.stdout, encoding="utf-8")
    rerun = CliRunner().invoke(
        app, ["eval", str(gold_file), "--no-cache", "--baseline", str(same), "--fail-on-drop"]
    )
    assert rerun.exit_code == 0, rerun.stderr
    assert (
        f"change against {same}" in rerun.stdout and "+0.000" in rerun.stdout and "fell" not in rerun.stdout
    )
    better = json.loads(first.stdout)
    better["overall"]["claims"]["f1"] = 1.5  # a baseline the run cannot reach
    higher = tmp_path / "higher.json"
    higher.write_text(json.dumps(better), encoding="utf-8")
    args = ["eval", str(gold_file), "--json", "--no-cache", "--baseline", str(higher), "--fail-on-drop"]
    dropped = CliRunner().invoke(app, args)
    assert dropped.exit_code == 1 and "1 figures fell against" in dropped.stderr
    assert json.loads(dropped.stdout)["change"]["drops"] == ["overall: claims F1"]


def test_cli_eval_checks_the_baseline_before_extracting(gold_file: Path, tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["eval", str(gold_file), "--baseline", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "no such baseline report" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    bad = CliRunner().invoke(app, ["eval", str(gold_file), "--baseline", str(broken)])
    assert bad.exit_code == 2 and "is not a JSON report" in bad.stderr
    alone = CliRunner().invoke(app, ["eval", str(gold_file), "--fail-on-drop"])
    assert alone.exit_code == 2 and "--fail-on-drop needs --baseline" in alone.stderr
