"""Stances the parse states outright: subject of a stance verb whose object is the topic."""

from __future__ import annotations

import pytest

from extractor.positions.explicit import explicit_stance
from extractor.text.nlp import parse
from tests.unit.positions.reading import read


def _stance(text: str, holder: str, heads: set[str]) -> str | None:
    return read(explicit_stance, text, holder, sorted(heads))


@pytest.mark.parametrize(
    ("text", "holder", "heads", "stance"),
    [
        ("The senator condemned the tariffs on steel.", "senator", {"tariff"}, "oppose"),
        ("The governor strongly supports the new tax on sugar.", "governor", {"tax"}, "support"),
        ("Democrats voted to overturn the emergency declaration.", "Democrats", {"declaration"}, "oppose"),
        ("The mayor did not support the ban on cars.", "mayor", {"ban"}, "oppose"),
        ("Republicans voted against the bill on Tuesday.", "Republicans", {"bill"}, "oppose"),
    ],
)
def test_a_stance_verb_with_the_topic_as_object_decides(
    text: str, holder: str, heads: set[str], stance: str
) -> None:
    assert _stance(text, holder, heads) == stance


def test_an_actor_that_is_not_the_subject_states_nothing() -> None:
    text = "Critics said the president condemned the tariffs on steel."
    assert _stance(text, "Critics", {"tariff"}) is None


def test_a_stance_verb_about_another_thing_states_nothing() -> None:
    assert _stance("The senator condemned the attack on the embassy.", "senator", {"tariff"}) is None


@pytest.mark.parametrize(
    ("text", "heads"),
    [
        ("The House passed a resolution disapproving of the emergency declaration.", {"declaration"}),
        ("The senator backed the repeal of the health law.", {"law"}),
    ],
)
def test_what_the_objects_own_clauses_and_phrases_hold_is_left_to_the_parse_path(
    text: str, heads: set[str]
) -> None:
    holder = "House" if "House" in text else "senator"
    assert _stance(text, holder, heads) is None


def test_both_polarities_are_mixed() -> None:
    text = "The union backed the pension reform. Later the union rejected the pension reform."
    union = [(m, m + len("union")) for m in (text.index("union"), text.rindex("union"))]
    assert explicit_stance(parse(text), [(0, len(text))], union, frozenset({"reform"})) == "mixed"


@pytest.mark.parametrize(
    "text",
    [
        "Nobody knows if the senator will support the resolution.",
        "Reporters asked whether the senator backed the resolution.",
    ],
)
def test_a_stance_verb_in_a_question_or_condition_states_nothing(text: str) -> None:
    assert _stance(text, "senator", {"resolution"}) is None


def test_one_member_does_not_speak_for_the_group_its_name_shares() -> None:
    assert _stance("Just one Republican has backed the measure.", "Republican", {"measure"}) is None
    assert _stance("Republicans have backed the measure.", "Republicans", {"measure"}) == "support"
