"""The instruction-count section: its replay of recorded answers, and its skip without valgrind."""

from __future__ import annotations

import pytest

from benchmarks import instructions


def test_replayed_answers_give_the_extractions_the_recording_run_gave() -> None:
    answers, recorded = instructions.record_answers(1_500)
    replayed = instructions.replay(3, 1_500, answers)
    assert any(result.claims for result in replayed) and any(result.actors for result in replayed)

    def comparable(results: list[instructions.ArticleExtraction]) -> list[dict[str, object]]:
        return [result.model_dump(exclude={"provenance"}) for result in results]  # latency differs

    # The replay extracts the warm-up article (recorded last) first, then the first three.
    assert comparable(replayed) == comparable([recorded[-1], *recorded[:3]])


def test_without_valgrind_the_section_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    result = instructions.run_instructions()
    assert result["status"] == "unavailable" and "valgrind" in result["note"]
