"""Roster clean-up: common words capitalised by position dropped, short forms joined to full names."""

from __future__ import annotations

import re

import pytest

from extractor.actors.drafts import ActorDraft
from extractor.actors.merging import _whole_words, join_short_forms
from extractor.actors.roster import build_roster
from extractor.text.candidates import analyse


def _names(text: str) -> set[str]:
    return {actor.canonical for actor in build_roster(text, analyse(text)).actors}


def _draft(name: str, kind: str | None) -> ActorDraft:
    draft = ActorDraft(canonical=name, written=name, kind=kind)  # type: ignore[arg-type]
    draft.aliases.add(name)
    return draft


def test_a_word_capitalised_only_where_sentences_open_is_not_an_actor() -> None:
    text = (
        "Fluoride protects teeth, the dentists' association said on Monday.\n"
        "Officials in Ohio said fluoride levels in the water had fallen.\n"
        "Fluoride is added to most public water supplies, Mayor Anna Berg said.\n"
    )
    names = _names(text)
    assert "Fluoride" not in names
    assert "Anna Berg" in names and "Ohio" in names


def test_an_abbreviation_joins_the_name_its_initials_spell() -> None:
    actors = {
        "korean central news agency": _draft("Korean Central News Agency", "media"),
        "kcna": _draft("KCNA", "organization"),
    }
    join_short_forms(actors)
    assert list(actors) == ["korean central news agency"]
    assert "KCNA" in actors["korean central news agency"].aliases


def test_a_lone_first_word_joins_the_only_organisation_it_opens() -> None:
    actors = {
        "church of scientology": _draft("Church of Scientology", "organization"),
        "church": _draft("Church", None),
        "sydney morning herald": _draft("Sydney Morning Herald", "media"),
        "sydney": _draft("Sydney", "other"),
    }
    join_short_forms(actors)
    assert set(actors) == {"church of scientology", "sydney morning herald", "sydney"}
    assert "Church" in actors["church of scientology"].aliases
    assert "Sydney" not in actors["sydney morning herald"].aliases


def test_a_body_named_alone_stays_apart_from_a_committee_drawn_from_it() -> None:
    actors = {
        "house intelligence committee": _draft("House Intelligence Committee", "organization"),
        "house": _draft("House", "organization"),
        "treasury department": _draft("Treasury Department", "government"),
        "treasury": _draft("Treasury", "organization"),
    }
    join_short_forms(actors)
    assert set(actors) == {"house intelligence committee", "house", "treasury department"}
    assert "House" not in actors["house intelligence committee"].aliases


def test_an_organisation_named_without_its_qualifier_joins_the_only_one_that_has_it() -> None:
    actors = {
        "house intelligence committee": _draft("House Intelligence Committee", "organization"),
        "intelligence committee": _draft("Intelligence Committee", "organization"),
        "u.s. supreme court": _draft("U.S. Supreme Court", "government"),
        "supreme court": _draft("Supreme Court", "government"),
        "new york": _draft("New York", "other"),
        "york": _draft("York", "other"),
    }
    join_short_forms(actors)
    assert set(actors) == {"house intelligence committee", "u.s. supreme court", "new york", "york"}
    assert "Intelligence Committee" in actors["house intelligence committee"].aliases
    assert "Supreme Court" in actors["u.s. supreme court"].aliases


def test_an_unqualified_name_two_organisations_end_with_stays_apart() -> None:
    actors = {
        "house judiciary committee": _draft("House Judiciary Committee", "organization"),
        "senate judiciary committee": _draft("Senate Judiciary Committee", "organization"),
        "judiciary committee": _draft("Judiciary Committee", "organization"),
        "press office": _draft("Press Office", "organization"),
        "federal press office": _draft("Federal Press Office", "person"),
    }
    join_short_forms(actors)
    assert len(actors) == 5


def test_a_run_of_capitalised_words_holding_an_organisation_and_a_person_is_cut_in_two() -> None:
    text = "The chief executive of the Refugee Council Enver Solomon told reporters the plan would fail.\n"
    names = _names(text)
    assert "Refugee Council" in names
    assert "Enver Solomon" in names


def test_places_joined_by_and_a_direction_and_a_currency_are_not_actors() -> None:
    text = (
        "North and South Korea exchanged fire on Thursday, officials said.\n"
        "The South retaliated, and the fine was US$ 20,000, the court said.\n"
    )
    names = _names(text)
    assert "North and South Korea" not in names
    assert "South" not in names
    assert "US" not in names and "United States" not in names


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Iodine, iodine-rich, xIodine, Iodine_ and (Iodine).", "Iodine"),
        ("Anana Ana ana-Ana Ana", "Ana"),
        ("U.S.U.S. and U.S.", "U.S."),
        ("no such word here", "Church"),
    ],
)
def test_whole_words_are_found_where_the_boundary_pattern_finds_them(text: str, word: str) -> None:
    pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
    expected = [match.span() for match in re.finditer(pattern, text)]
    assert list(_whole_words(text, word)) == expected
