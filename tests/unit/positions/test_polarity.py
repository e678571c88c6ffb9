"""The direction of a holder's stance read off the parse path from the topic up to the holder's verb."""

from __future__ import annotations

import pytest

from extractor.positions.polarity import path_stance
from extractor.text.nlp import parse
from tests.unit.positions.reading import read


def _direction(text: str, holder: str, heads: set[str]) -> str | None:
    return read(path_stance, text, holder, sorted(heads))


@pytest.mark.parametrize(
    ("text", "holder", "heads", "direction"),
    [
        # for (backed) times against (overturn) is against the declaration, for the measure itself
        (
            "Rep. Jane Doe has backed a measure to overturn the emergency declaration.",
            "Jane Doe",
            {"declaration"},
            "oppose",
        ),
        (
            "Rep. Jane Doe has backed a measure to overturn the emergency declaration.",
            "Jane Doe",
            {"measure"},
            "support",
        ),
        (
            '"It matters," Smith said, confirming that he would vote against the resolution.',
            "Smith",
            {"resolution"},
            "oppose",
        ),
        (
            '"There is not much support in my caucus for tariffs," said Senator Kim Lee.',
            "Kim Lee",
            {"tariff"},
            "oppose",
        ),
        ("Senators said they were considering moves to block the tariffs.", "Senators", {"tariff"}, "oppose"),
        ("The mayor does not want a confrontation with the union.", "mayor", {"confrontation"}, "oppose"),
        ("Ruiz said she will never accept a tax on bread.", "Ruiz", {"tax"}, "oppose"),
        ("Jones has repeatedly threatened tariffs on steel.", "Jones", {"tariff"}, "support"),
        ("The council voted for the ban on cars.", "council", {"ban"}, "support"),
        ("The senator called for an investigation into the deal.", "senator", {"investigation"}, "support"),
        ("The governor moved to limit the vote on the measure.", "governor", {"vote"}, "oppose"),
        ("Lee said she would protect the pension program.", "Lee", {"program"}, "support"),
        # what someone else must, should or may not do is the view of whoever rules or says so
        ("The court ruled that the state cannot abrogate the treaty.", "court", {"treaty"}, "support"),
        ("Jones said the president should repeal the tariffs.", "Jones", {"tariff"}, "oppose"),
        ("The judge said the entire law must be struck down.", "judge", {"law"}, "oppose"),
        # a speaker's disparaging words for the topic are the speaker's view, whoever the clause is about
        (
            '"Democrats are bypassing the rules with their impeachment obsession," said Walker.',
            "Walker",
            {"impeachment"},
            "oppose",
        ),
        ("Walker said Democrats pushed a sham impeachment.", "Walker", {"impeachment"}, "oppose"),
        ("Walker said Democrats pushed a sham impeachment.", "Democrats", {"impeachment"}, "support"),
        # resisting pressure against the deal is for it
        ("The president resisted pressure to halt the arms deal.", "president", {"deal"}, "support"),
        # members speak for their body
        (
            "Two members of the panel of the appeals court questioned the health law.",
            "court",
            {"law"},
            "oppose",
        ),
        # a verdict on the topic as the subject of "be"
        ("The department argued that the mandate was unconstitutional.", "department", {"mandate"}, "oppose"),
        ("The governor said the treaty is essential.", "governor", {"treaty"}, "support"),
        # an accusation's charge is what the accuser holds against the accused
        ("Biden accused Trump of fanning white supremacy.", "Biden", {"supremacy"}, "oppose"),
        # a policy the holder owns: its possessor is its author
        ("Senators opposed President Jones's threatened tariffs on steel.", "Jones", {"tariff"}, "support"),
    ],
)
def test_the_stance_words_on_the_path_give_the_direction(
    text: str, holder: str, heads: set[str], direction: str
) -> None:
    assert _direction(text, holder, heads) == direction


def test_the_possessor_of_an_act_done_to_it_owns_no_policy() -> None:
    assert _direction("Senators debated Jones's impeachment.", "Jones", {"impeachment"}) is None


@pytest.mark.parametrize(
    "text",
    [
        "Jones said the president wants tariffs on steel.",
        "Jones said the president will repeal the tariffs on steel.",
        "Jones said the president could repeal the tariffs on steel.",
    ],
)
def test_a_verb_with_another_subject_is_someone_elses_view(text: str) -> None:
    assert _direction(text, "Jones", {"tariff"}) is None


@pytest.mark.parametrize(
    "text",
    [
        "The president faced intense pressure to halt the arms deal.",
        "The president drew demands to halt the arms deal.",
    ],
)
def test_pressure_a_holder_faces_is_someone_elses_view(text: str) -> None:
    assert _direction(text, "president", {"deal"}) is None


def test_a_relative_clause_is_someone_elses_view() -> None:
    text = "Lee argued that those who are not trying to fight racism are contributing to the problem."
    assert _direction(text, "Lee", {"racism"}) is None


def test_a_path_without_a_stance_word_gives_no_direction() -> None:
    text = "The senator said the tariffs would take effect in June."
    assert _direction(text, "senator", {"tariff"}) is None


def test_both_directions_are_mixed() -> None:
    text = "The union backed the pension reform. Later the union rejected the pension reform."
    union = [(m, m + len("union")) for m in (text.index("union"), text.rindex("union"))]
    assert path_stance(parse(text), [(0, len(text))], union, frozenset({"reform"})) == "mixed"


def test_a_topic_that_is_its_verbs_subject_leaves_the_view_to_the_speaker() -> None:
    assert _direction("Ruiz said the ban must end.", "Ruiz", {"ban"}) == "oppose"
