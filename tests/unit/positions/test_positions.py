"""How positions are asked depends on the model, and the choice shows in provenance and the cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import Extractor
from extractor.pipeline.run import prompts_in_use
from extractor.positions.questions import position_grouping
from extractor.settings import EMBEDDED_MODEL, Settings
from schemas import Article


@pytest.mark.parametrize(
    ("setting", "model", "grouping"),
    [
        ("auto", EMBEDDED_MODEL, "speaker"),
        ("auto", "openai/gpt-4o-mini", "window"),
        ("auto", "fake/sensible", "window"),
        ("window", EMBEDDED_MODEL, "window"),
        ("speaker", "openai/gpt-4o-mini", "speaker"),
    ],
)
def test_auto_asks_per_speaker_only_of_the_embedded_model(setting: str, model: str, grouping: str) -> None:
    assert position_grouping(Settings(positions_grouping=setting), model) == grouping  # type: ignore[arg-type]


def test_the_prompts_in_use_name_one_positions_prompt() -> None:
    embedded = prompts_in_use("pipeline", EMBEDDED_MODEL, Settings())
    hosted = prompts_in_use("pipeline", "openai/gpt-4o-mini", Settings())
    assert set(embedded) == {"actor_kinds", "attribute_speaker", "positions"}
    assert set(hosted) == {"actor_kinds", "attribute_speaker", "window_positions"}
    assert prompts_in_use("single", EMBEDDED_MODEL, Settings()) == {"extract_all": "v1"}


def test_results_of_either_grouping_never_share_a_cache_entry(tmp_path: Path) -> None:
    article = Article(text="Mayor Lena Ortiz said the plant would bring jobs.")

    def key(grouping: str) -> str:
        settings = Settings(data_dir=tmp_path, positions_grouping=grouping)  # type: ignore[arg-type]
        return Extractor("openai/gpt-4o-mini", settings=settings).cache_key(article)

    assert key("auto") == key("window")
    assert key("speaker") != key("window")
