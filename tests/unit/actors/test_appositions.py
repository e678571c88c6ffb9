"""Kinds the article states beside a name, and descriptions that are no actor of their own."""

from __future__ import annotations

from extractor.actors.appositions import describes_a_name, stated_kinds
from extractor.actors.roster import build_roster
from extractor.text import nlp
from extractor.text.candidates import analyse
from extractor.text.tokens import token_table


def _stated(text: str) -> dict[str, str]:
    return dict(stated_kinds(text, token_table(nlp.parse(text))))


def test_a_common_noun_in_apposition_states_the_kind() -> None:
    assert _stated("Marisol Quenta, a Bolivian woman, has claimed that the firm cheated her.") == {
        "marisol quenta": "person"
    }
    assert _stated("He was arrested after leaving its inner circle group the Blue Order.") == {
        "blue order": "organization"
    }


def test_the_town_of_a_name_is_a_place_and_the_mayor_of_one_says_nothing() -> None:
    assert _stated("The army evacuated 80 people in the town of Hwacheon after a shell landed.") == {
        "hwacheon": "other"
    }
    assert _stated("The mayor of Hwacheon said the shelling had stopped.") == {}


def test_a_rank_after_a_persons_name_describes_it() -> None:
    text = "Speaking for the parents, Tom Molomby, SC, said the family had trusted the treatment."
    doc = nlp.parse(text)
    table = token_table(doc)
    ranks = [entity for entity in doc.ents if entity.text == "SC"]
    assert ranks, "the tagger labels the rank an entity: the rule is what keeps it out"
    assert all(describes_a_name(text, table, e.start, e.end) for e in ranks)


def test_stated_kinds_and_descriptions_reach_the_roster() -> None:
    text = (
        "Marisol Quenta, a Bolivian woman and former Scientologist, has claimed that the church held her.\n"
        "Speaking for the parents, Tom Molomby, SC, said the family had trusted the treatment.\n"
        "The army evacuated 80 people in the town of Hwacheon after a shell landed.\n"
    )
    kinds = {actor.canonical: actor.kind for actor in build_roster(text, analyse(text)).actors}
    assert kinds["Marisol Quenta"] == "person"
    assert kinds["Hwacheon"] == "other"  # the tagger's label is an organisation
    assert "SC" not in kinds
    assert "Scientologist" not in kinds


def test_a_party_descriptor_beside_a_member_is_a_mention_of_the_member() -> None:
    text = (
        "“The rules were broken,” said Rep. Mark Walker, North Carolina Republican.\n"
        "“They have access,” said Rep. Val Demmings Florida Democrat.\n"
        "The Republican lawmakers left the room.\n"
    )
    actors = {actor.canonical: actor for actor in build_roster(text, analyse(text)).actors}
    assert "North Carolina Republican" not in actors
    assert "Florida Democrat" not in actors
    assert "Republican" not in actors  # an adjective elsewhere is no actor either
    walker = actors["Mark Walker"]
    assert walker.affiliation == "Republican Party"
    assert [text[start:end] for start, end in walker.mentions] == ["Mark Walker", "North Carolina Republican"]
    assert actors["Val Demmings"].affiliation == "Democratic Party"


def test_a_possessor_before_a_persons_name_is_no_part_of_it() -> None:
    text = "California’s Xavier Becerra led the states that defended the law.\n"
    actors = {actor.canonical: actor for actor in build_roster(text, analyse(text)).actors}
    becerra = actors["Xavier Becerra"]
    assert (becerra.written, becerra.title, becerra.kind) == ("Xavier Becerra", None, "person")


def test_the_pronoun_i_after_a_name_is_no_part_of_it() -> None:
    text = "Trump wrote that unlike Lyin’ Ted Cruz I do not surround myself with hacks. I mean it.\n"
    names = {actor.canonical: actor for actor in build_roster(text, analyse(text)).actors}
    assert "Lyin’ Ted Cruz I" not in names
    assert all("I" not in actor.aliases for actor in names.values())  # "I" is no one's short name


def test_the_place_of_a_dateline_is_no_mention() -> None:
    text = (
        "Court weighs the health law\n\n"
        "NEW ORLEANS (Reuters) - A federal appeals court panel heard the case on Tuesday in New Orleans.\n"
    )
    mentions = [text[m.start : m.end] for m in build_roster(text, analyse(text)).mentions]
    assert "NEW ORLEANS" not in mentions
    assert "New Orleans" in mentions
