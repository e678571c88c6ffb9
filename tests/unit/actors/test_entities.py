"""Actors from the entity recogniser: kinds by vote, missed names added, no model question."""

from __future__ import annotations

from extractor.actors.roster import build_roster
from extractor.text.candidates import analyse

TEXT = (
    "President Claudia Sheinbaum spoke to reporters in the capital on Tuesday.\n"
    "Sheinbaum said the Ministry of Finance would publish the figures, and Reuters reported the plan.\n"
    "The World Health Organization welcomed it, and Lydia Buchtmann of the agency agreed.\n"
)


def _mentions(text: str, canonical: str) -> list[str]:
    """The texts of the mentions of the one actor with this canonical name."""
    [actor] = [a for a in build_roster(text, analyse(text)).actors if a.canonical == canonical]
    return [text[start:end] for start, end in actor.mentions]


def _kinds(text: str = TEXT) -> dict[str, str | None]:
    """Each actor's canonical name -> its kind, in the roster of ``text``."""
    return {actor.canonical: actor.kind for actor in build_roster(text, analyse(text)).actors}


def test_names_get_their_kind_from_the_tagger() -> None:
    kinds = _kinds()
    assert kinds["Claudia Sheinbaum"] == "person"
    assert kinds["World Health Organization"] == "organization"
    assert kinds["Lydia Buchtmann"] == "person"


def test_organisations_named_as_ministries_or_media_get_those_kinds() -> None:
    kinds = _kinds()
    assert kinds["Ministry of Finance"] == "government"
    assert kinds["Reuters"] in ("media", "organization")


def test_a_surname_and_the_full_name_are_one_actor_with_every_mention() -> None:
    assert _mentions(TEXT, "Claudia Sheinbaum") == ["Claudia Sheinbaum", "Sheinbaum"]


def test_a_title_touches_its_name_and_starts_at_no_conjunction() -> None:
    text = (
        "The court ruled on the case on Monday. But Chief Justice John Roberts joined the majority.\n"
        "“The treaty still stands,” Justice Sonia Sotomayor wrote for the court.\n"
    )
    written = {actor.canonical: actor.written for actor in build_roster(text, analyse(text)).actors}
    assert written["John Roberts"] == "Chief Justice John Roberts"
    assert written["Sonia Sotomayor"] == "Justice Sonia Sotomayor"


def test_a_title_in_apposition_before_the_name_is_its_title() -> None:
    text = "Trump also warned Colombia and its leftist President, Gustavo Petro, on Sunday.\n"
    [petro] = [
        actor for actor in build_roster(text, analyse(text)).actors if actor.canonical == "Gustavo Petro"
    ]
    assert (petro.title, petro.kind) == ("President", "person")


def test_a_sentence_initial_modifier_is_no_part_of_the_name_after_it() -> None:
    text = (
        "Top Trump aides advocated for a plan to sell reactors.\n"
        "Donald Trump said on Friday that the plan would create jobs.\n"
    )
    assert "Top Trump" not in _kinds(text)
    assert _mentions(text, "Donald Trump") == ["Trump", "Donald Trump"]


def test_a_body_named_after_a_person_is_an_actor_of_its_own() -> None:
    text = (
        "The Trump administration defended the tariffs on Monday.\n"
        "Donald Trump said the tariffs would stay, and the Clinton campaign called them a tax.\n"
    )
    kinds = _kinds(text)
    assert kinds["Trump administration"] == "government"
    assert kinds["Clinton campaign"] == "organization"
    assert _mentions(text, "Donald Trump") == ["Donald Trump"]


def test_a_party_named_by_a_plural_noun_is_a_group_and_its_adjective_names_none() -> None:
    text = (
        "Republicans have repeatedly tried to repeal the law since it was passed in 2010.\n"
        "The judge rejected Democratic calls to overturn the ruling.\n"
    )
    kinds = _kinds(text)
    assert kinds["Republicans"] == "group"
    assert not any("Democratic" in name for name in kinds)


def test_an_organisation_is_not_called_by_its_last_word_but_by_its_name_without_its_country() -> None:
    text = (
        "The White House declined to comment on Monday.\n"
        "Last week the House passed the bill, said Senator John Smith.\n"
        "The United Kingdom Home Office said it would study the bill, and the Home Office later agreed.\n"
        "Smith said it was a start.\n"
    )
    assert _mentions(text, "White House") == ["White House"]
    assert _mentions(text, "John Smith") == ["John Smith", "Smith"]
    assert _mentions(text, "United Kingdom Home Office") == ["United Kingdom Home Office", "Home Office"]


def test_party_members_act_for_the_party_the_article_names_and_name_none_without_it() -> None:
    text = (
        "Republicans have opposed the tariffs for weeks.\n"
        "Republican senators said on Tuesday they would vote to block them.\n"
        "Afghan refugees arrived in Kabul.\n"
    )
    assert _mentions(text, "Republicans") == ["Republicans", "Republican senators"]
    assert not any("Afghan" in name for name in _kinds(text))


def test_officials_named_by_a_nationality_do_not_act_for_its_people() -> None:
    text = "Americans voted on Tuesday.\nAmerican officials said the count would take a week.\n"
    assert _mentions(text, "Americans") == ["Americans"]


def test_a_body_whose_name_opens_with_a_title_word_keeps_it_and_two_such_bodies_stay_apart() -> None:
    text = (
        "The Justice Department said on Monday that it would appeal, and the State Department agreed.\n"
        "The Interior Ministry said the Foreign Ministry had objected.\n"
        "Chief Justice John Roberts and Defense Secretary Mark Esper met the Defense Intelligence Agency.\n"
    )
    kinds = _kinds(text)
    for body in ("Justice Department", "State Department", "Interior Ministry", "Foreign Ministry"):
        assert kinds[body] == "government"
    assert "Defense Intelligence Agency" in kinds
    assert {"Department", "Ministry", "Intelligence Agency"}.isdisjoint(kinds)
    assert {"John Roberts", "Mark Esper"} <= set(kinds)  # a person's title is still left out of the name
