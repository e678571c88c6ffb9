"""The evaluation harness end to end on an invented gold file: FakeLLM, cache, failures, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cache import ResultCache
from extractor.cli.app import app
from extractor.errors import InputError, LLMConnectionError, LLMTimeoutError
from extractor.eval.run import evaluate, format_table, load_gold
from extractor.sdk import Extractor
from extractor.testing import FakeLLM
from schemas import ArticleExtraction
from tests.unit.eval.evalkit import (
    ARTICLE_2,
    perfect,
)


def test_fake_llm_run_has_the_issue_shape_and_reports_progress(gold_file: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    extractor = Extractor(llm=FakeLLM(), cache=ResultCache(tmp_path / "cache.sqlite3"))
    run = evaluate(
        extractor, load_gold(gold_file), progress=lambda d, t, r: seen.append((d, t, r.score.doc_id))
    )
    report = run.report()
    assert sorted(seen) == [(1, 3, seen[0][2]), (2, 3, seen[1][2]), (3, 3, seen[2][2])]
    assert {doc_id for *_, doc_id in seen} == {"polnear:one", "polnear:two", "gum:three"}
    assert set(report["by_source"]) == {"polnear", "gum"}
    for group in (report["overall"], *report["by_source"].values()):
        assert {"claims", "claims_with_speaker", "actors", "stances", "quote_faithfulness"} <= set(group)
    assert set(report["overall"]["claims"]) >= {"precision", "recall", "f1", "n_gold", "n_pred"}
    assert report["overall"]["claims"]["n_gold"] == 4  # the derived GUM claim is recall-only, kept out
    assert report["by_source"]["gum"]["claims"]["precision"] is None
    assert report["overall"]["actors"]["n_gold"] == 3
    assert report["overall"]["stances"] is None
    assert isinstance(report["seconds_per_doc"], float) and report["failures"] == []
    # Quotes are located by code, so whatever the model says, emitted quotes are verbatim.
    assert report["overall"]["quote_faithfulness"] in (None, 1.0)
    json.dumps(report)  # the report is plain JSON


def test_rerun_is_served_by_the_cache(gold_file: Path, tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache.sqlite3")
    first = evaluate(Extractor(llm=FakeLLM(), cache=cache), load_gold(gold_file)).report()
    second_llm = FakeLLM()
    second = evaluate(Extractor(llm=second_llm, cache=cache), load_gold(gold_file)).report()
    assert second_llm.calls == []
    assert second["n_cached"] == 3 and first["n_cached"] == 0
    assert second["overall"] == first["overall"]
    assert second["seconds_per_doc"] == pytest.approx(first["seconds_per_doc"])


@pytest.mark.usefixtures("flawless")
def test_flawless_extractions_score_one(gold_file: Path) -> None:
    report = evaluate(Extractor(use_cache=False), load_gold(gold_file)).report()
    overall = report["overall"]
    assert overall["claims"]["f1"] == 1.0 and overall["claims_with_speaker"]["f1"] == 1.0
    assert overall["actors"]["f1"] == 1.0
    assert overall["quote_faithfulness"] == 1.0 and overall["n_quotes"] == 3
    assert report["by_source"]["gum"]["claims"]["recall"] == 1.0
    assert report["seconds_per_doc"] == pytest.approx((4.0 + 2.0 + 4.0) / 3)
    assert [row["id"] for row in report["per_doc"]] == ["polnear:one", "polnear:two", "gum:three"]


def test_a_failed_document_scores_empty_and_the_run_goes_on(
    gold_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def aextract(
        self: Extractor, text: str, *, article_id: str | None = None, **_: object
    ) -> ArticleExtraction:
        if text == ARTICLE_2:
            raise LLMTimeoutError("model took too long", model="m")
        return perfect(text, article_id or "x")

    monkeypatch.setattr(Extractor, "aextract", aextract)
    report = evaluate(Extractor(use_cache=False), load_gold(gold_file)).report()
    assert report["failures"] == [{"id": "polnear:two", "error": "LLMTimeoutError: model took too long"}]
    claims = report["by_source"]["polnear"]["claims"]
    assert (claims["n_matched"], claims["n_gold"], claims["n_pred"]) == (2, 4, 2)
    assert report["seconds_per_doc"] == pytest.approx(4.0)  # failed documents are not timed


def test_an_unreachable_model_stops_the_run(gold_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def aextract(self: Extractor, text: str, **_: object) -> ArticleExtraction:
        raise LLMConnectionError("no server at http://127.0.0.1:9", model="m")

    monkeypatch.setattr(Extractor, "aextract", aextract)
    with pytest.raises(LLMConnectionError):
        evaluate(Extractor(use_cache=False), load_gold(gold_file))


def test_load_gold_checks_its_input(tmp_path: Path, gold_file: Path) -> None:
    assert [doc["id"] for doc in load_gold(gold_file, limit=2)] == ["polnear:one", "polnear:two"]
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "missing.jsonl")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "source": "s", "text": "t", "gold_layers": {}}\n{not json\n')
    with pytest.raises(InputError, match=r"broken.jsonl:2: not JSON"):
        load_gold(broken)
    broken.write_text('{"id": "a", "text": "t"}\n')
    with pytest.raises(InputError, match="lacks source, gold_layers"):
        load_gold(broken)
    broken.write_text("\n")
    with pytest.raises(InputError, match="no gold documents"):
        load_gold(broken)


@pytest.mark.usefixtures("flawless")
def test_table(gold_file: Path) -> None:
    run = evaluate(Extractor(use_cache=False), load_gold(gold_file))
    table = format_table(run.report())
    lines = table.splitlines()
    assert lines[0].startswith("source") and any(line.startswith("overall") for line in lines)
    assert any(line.startswith("gum") for line in lines) and "seconds per doc: 3.33" in table


@pytest.mark.usefixtures("flawless")
def test_cli_eval_json_progress_and_report(gold_file: Path, tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(
        app, ["eval", str(gold_file), "--json", "--no-cache", "--report", str(report)]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["overall"]["claims"]["f1"] == 1.0 and data["n_docs"] == 3
    assert "[1/3]" in result.stderr and "[3/3]" in result.stderr
    page = report.read_text(encoding="utf-8")
    assert "claimscope eval report" in page and "seconds per doc" in page
    assert page.count('<section class="doc"') == 3 and 'id="picker"' in page
    assert "claims F1 1.00" in page
    table = CliRunner().invoke(app, ["eval", str(gold_file), "--limit", "1", "--no-cache"])
    assert table.exit_code == 0 and table.stdout.startswith("source")
    assert "[1/1] polnear:one" in table.stderr


def test_cli_eval_missing_gold_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "no such gold file" in result.stderr


def test_accuracy_benchmark_checks_the_targets_of_the_layers_the_gold_scores() -> None:
    from benchmarks.accuracy import check_targets

    overall = {
        "claims": {"f1": 0.76},
        "claims_with_speaker": {"f1": 0.64},
        "actors": {"f1": 0.86},
        "positions": None,
        "quote_faithfulness": 1.0,
    }
    rows = {row["target"]: row["met"] for row in check_targets(overall)}
    assert rows == {
        "claims.f1": True,
        "claims_with_speaker.f1": False,
        "actors.f1": True,
        "quote_faithfulness": True,
    }
    seesaw = {"positions": {"f1": 0.51, "found_any_stance": 0.6}, "quote_faithfulness": 1.0}
    rows = {row["target"]: row["met"] for row in check_targets(seesaw)}
    assert rows == {"positions.f1": True, "positions.found_any_stance": False, "quote_faithfulness": True}
