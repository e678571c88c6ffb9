"""Positions against SEESAW-style gold: holder by name, topic by words or evidence, same stance."""

from __future__ import annotations

import pytest

from extractor.eval import score_document, summarize
from extractor.eval.positions import content_words, share_content_word
from extractor.eval.run import format_table
from schemas import PolicyPosition
from tests.unit.eval.evalkit import ARTICLE_2, actor, extraction, gold_doc, gspan, span

LAYERS = {"claims": "absent", "actors": "absent", "stances": "sentence-level: test"}


def _gold_position(holder: str, target: str, stance: str, evidence: str) -> dict[str, object]:
    return {
        "holder": holder,
        "holder_kind": "People",
        "target": target,
        "target_kind": "Topic",
        "stance": stance,
        "evidence": [gspan(evidence, text=ARTICLE_2)],
        "scope": "span",
    }


GOLD = gold_doc(
    source="seesaw",
    text=ARTICLE_2,
    layers=LAYERS,
    stances=[
        _gold_position("Amara Quist", "road toll", "support", "the new toll would fund the rail line"),
        _gold_position(
            "Ferry Workers Union", "road toll", "oppose", "The Ferry Workers Union called the plan"
        ),
        _gold_position("Amara Quist", "rail line", "support", "the trains must run"),
    ],
)


def _position(ident: str, actor_id: str, topic: str, stance: str, evidence: str) -> PolicyPosition:
    return PolicyPosition(
        id=ident,
        actor_id=actor_id,
        topic_id="t1" if "toll" in topic else "t2",
        topic=topic,
        stance=stance,  # type: ignore[arg-type]
        evidence=[span(evidence, text=ARTICLE_2)],
    )


def _extraction(positions: list[PolicyPosition]):  # type: ignore[no-untyped-def]
    actors = [
        actor("amara-quist", "Governor Amara Quist", "person", span("Governor Amara Quist", text=ARTICLE_2)),
        actor(
            "ferry-union",
            "The Ferry Workers Union",
            "organization",
            span("Ferry Workers Union", text=ARTICLE_2),
        ),
    ]
    return extraction(actors, [], positions, text=ARTICLE_2)


def test_positions_are_scored_by_holder_topic_and_stance() -> None:
    positions = [
        # Topic by shared word ("toll"), same stance: recalls the first gold position.
        _position("p1", "amara-quist", "higher tolls", "support", "the new toll would fund the rail line"),
        # Topic named otherwise ("the plan") but its evidence overlaps the gold sentence; wrong stance.
        _position(
            "p2", "ferry-union", "the plan", "support", "The Ferry Workers Union called the plan unfair."
        ),
        # Nothing in the gold.
        _position("p3", "ferry-union", "higher tolls", "mixed", "Nobody wants higher tolls"),
    ]
    score = score_document(_extraction(positions), GOLD)
    assert score.positions is not None
    numbers = score.positions.as_dict()
    assert numbers["n_gold"] == 3 and numbers["n_pred"] == 3
    assert numbers["recall"] == pytest.approx(1 / 3)
    assert numbers["found_any_stance"] == pytest.approx(2 / 3)
    assert numbers["precision"] == pytest.approx(1 / 3)
    assert numbers["f1"] == pytest.approx(1 / 3)


def test_no_positions_scores_zero_and_other_sources_are_not_scored() -> None:
    empty = score_document(_extraction([]), GOLD).positions
    assert empty is not None and empty.as_dict()["f1"] == 0.0 and empty.as_dict()["precision"] is None
    assert score_document(_extraction([]), {**GOLD, "source": "basil"}).positions is None


def test_the_report_sums_positions_per_source_and_shows_them() -> None:
    positions = [_position("p1", "amara-quist", "road tolls", "support", "the trains must run")]
    report = summarize([score_document(_extraction(positions), GOLD)])
    layer = report["by_source"]["seesaw"]["positions"]
    # The topic shares "toll" with one gold target and its evidence overlaps the other's: both recalled.
    assert (layer["n_matched"], layer["n_gold"], layer["n_pred"]) == (2, 3, 1)
    table = format_table(
        {
            **report,
            "seconds_per_doc": 1.0,
            "wall_seconds": 1.0,
            "model": "m",
            "n_docs": 1,
            "n_cached": 0,
            "failures": [],
        }
    )
    assert "positions P R F1 any" in table and "(2/3/1)" in table


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ("Democrats", "Democratic Party", True),
        ("Republican senators", "Republican Party", True),
        ("the Justice Department", "United States Department of Justice", True),
        ("President Trump", "Affordable Care Act", False),
    ],
)
def test_names_share_content_words_on_their_stems(a: str, b: str, shared: bool) -> None:
    assert share_content_word(a, b) is shared


def test_content_words_drop_titles_and_function_words() -> None:
    assert content_words("the President of the United States") == set()
