"""The kinds question: only the names the tagger disputes (or leaves open while speaking)."""

from __future__ import annotations

from extractor.actors.build import build_actors
from extractor.actors.questions import disputed_kinds, kind_questions
from extractor.actors.roster import build_roster
from extractor.decisions import Decisions
from extractor.text.candidates import analyse

FILLER = "The council met again and reviewed the shipping figures for the quarter in great detail.\n"
TEXT = (
    "Mayor Lena Ortiz opened the terminal on Monday with officials from Scientology.\n"
    + FILLER * 10
    + "Governor Sam Reyes said the state would pay for the new roads.\n"
)


def test_only_disputed_names_are_asked_over_the_sentence_that_first_names_them() -> None:
    infos = analyse(TEXT)
    roster = build_roster(TEXT, infos)
    assert kind_questions(TEXT, infos, roster, []) == []
    [scientology] = [a for a in roster.actors if a.canonical == "Scientology"]
    scientology.kind_disputed = True
    assert disputed_kinds(roster, []) == [scientology]
    [question] = kind_questions(TEXT, infos, roster, [])
    user = question.messages[-1]["content"]
    assert "officials from Scientology" in user
    assert "Sam Reyes" not in user  # the article's other sentences are not sent
    assert "- Scientology" in user


def test_the_models_answer_settles_a_disputed_kind_but_not_a_settled_one() -> None:
    infos = analyse(TEXT)
    roster = build_roster(TEXT, infos)
    kinds = {a.canonical: a.kind for a in roster.actors}
    [scientology] = [a for a in roster.actors if a.canonical == "Scientology"]
    [ortiz] = [a for a in roster.actors if a.canonical == "Lena Ortiz"]
    scientology.kind_disputed = True
    decided = Decisions(kinds={scientology.id: "organization", ortiz.id: "organization"})
    table = build_actors(TEXT, roster, decided, [])
    built = {actor.canonical_name: actor.kind for actor in table.actors}
    assert built["Scientology"] == "organization"
    assert built["Lena Ortiz"] == kinds["Lena Ortiz"] == "person"
