"""The speaker question reads the passage around the claim, not the article, and offers its actors."""

from __future__ import annotations

from extractor.actors.roster import build_roster
from extractor.claims.attribution import find_claims
from extractor.claims.questions import speaker_questions
from extractor.text.candidates import analyse

FILLER = "The council met again and reviewed the shipping figures for the quarter in great detail.\n"
TEXT = (
    "Mayor Lena Ortiz opened the new terminal on Monday with Governor Sam Reyes.\n"
    + FILLER * 12
    + "Harbour master Tom Vega walked the quay with reporters.\n"
    + '"This terminal will carry our town for a century and more, whatever the critics say."\n'
)


def test_an_unattributed_quote_is_asked_over_its_passage_with_the_actors_it_mentions() -> None:
    infos = analyse(TEXT)
    roster = build_roster(TEXT, infos)
    candidates = find_claims(TEXT, infos, roster)
    [question] = speaker_questions(TEXT, infos, roster, candidates)
    user = question.messages[-1]["content"]
    assert "Harbour master Tom Vega walked the quay" in user
    assert "opened the new terminal" not in user  # the article's start is far outside the passage
    assert "tom-vega" in user and "lena-ortiz" not in user
    schema = question.response_model.model_json_schema()
    assert "tom-vega" in str(schema) and "lena-ortiz" not in str(schema)
