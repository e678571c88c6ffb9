"""Groups that a pronoun and its relative clause name, as subjects that speak."""

from __future__ import annotations

from extractor.actors.restricted import restricted_groups
from extractor.actors.roster import build_roster
from extractor.text import nlp
from extractor.text.candidates import analyse
from extractor.text.tokens import token_table


def _groups(text: str) -> list[str]:
    doc = nlp.parse(text)
    return [text[start:end] for start, end in restricted_groups(doc, token_table(doc))]


def test_a_subject_pronoun_with_its_relative_clause_is_a_group() -> None:
    text = "Everyone I interviewed criticized the proposal as complicated."
    assert _groups(text) == ["Everyone I interviewed"]
    assert _groups("Those who oppose the plan say it will fail.") == ["Those who oppose the plan"]


def test_a_pronoun_alone_or_not_a_subject_names_no_group() -> None:
    assert _groups("Everyone criticized the proposal.") == []
    assert _groups("There are those who think we should pull out of Afghanistan.") == []
    # The subject of a verb that reports nothing describes people, it names no party to the story.
    assert _groups("Those who do not fight racism are contributing to the problem.") == []


def test_the_group_joins_the_roster_with_its_mention() -> None:
    text = "Everyone I interviewed criticized the proposal as complicated.\n"
    [group] = [actor for actor in build_roster(text, analyse(text)).actors if actor.kind == "group"]
    assert group.canonical == "Everyone I interviewed"
    assert [text[start:end] for start, end in group.mentions] == ["Everyone I interviewed"]
