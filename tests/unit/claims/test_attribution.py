"""Code-only attribution on the seed article and on invented sentences (no model involved)."""

from __future__ import annotations

from extractor.actors.roster import build_roster
from extractor.claims.attribution import find_claims
from extractor.text.candidates import analyse


def _claims(text: str) -> list[tuple[str | None, str]]:
    infos = analyse(text)
    roster = build_roster(text, infos)
    return [
        (claim.speaker.canonical if claim.speaker else None, text[claim.content[0] : claim.content[1]])
        for claim in find_claims(text, infos, roster)
    ]


def test_seed_speakers_come_from_syntax(seed_text: str) -> None:
    found = _claims(seed_text)
    by_content = {content: speaker for speaker, content in found}
    assert by_content["we are going to start now hitting land"] == "Donald Trump"
    assert (
        by_content["organised crime is not taken care with (foreign military) intervention"]
        == "Claudia Sheinbaum"
    )
    good_cop = next(speaker for speaker, content in found if "good cop" in content)
    assert good_cop == "David Saucedo"  # not Rubio, who is only mentioned in Saucedo's sentence


def test_pronoun_subject_resolves_to_previous_sentence_subject() -> None:
    text = (
        "Governor Ana Ruiz visited the port on Monday with Mayor Tom Vega.\n"
        'She said "the new terminal will open in spring".\n'
    )
    assert _claims(text) == [("Ana Ruiz", "the new terminal will open in spring")]


def test_inverted_and_according_to_patterns() -> None:
    text = (
        "The bridge will close for repairs next year, said engineer Paul Okafor.\n"
        "According to Okafor, the work will take at least six months.\n"
    )
    speakers = [speaker for speaker, _ in _claims(text)]
    assert speakers == ["Paul Okafor", "Paul Okafor"]


def test_group_speakers_are_actors() -> None:
    text = "Analysts say the central bank will cut rates again before the summer.\n"
    assert _claims(text) == [("analysts", "the central bank will cut rates again before the summer")]


def test_appositive_speaker_is_the_name_described_not_a_name_inside_the_description() -> None:
    text = (
        "''The levy is fair to small towns,'' Nora J. Lind, director of the Harbor Policy Center and a "
        "lecturer at the Keller School of Tarn University, said on Monday.\n"
        "Mayor Piet Olsen, the longest-serving official in Vantor County, said the levy would pass.\n"
    )
    assert _claims(text) == [
        ("Nora J. Lind", "The levy is fair to small towns,"),
        ("Piet Olsen", "the levy would pass"),
    ]


def test_inverted_cue_before_a_titled_surname() -> None:
    text = (
        "Economist Ruth Amsel studied the plan for a year.\n"
        "''There is far too much new paperwork in it,'' said Ms. Amsel.\n"
    )
    assert _claims(text) == [("Ruth Amsel", "There is far too much new paperwork in it,")]


def test_headline_and_transcript_labels_name_their_speakers() -> None:
    text = (
        "Ortiz: The Bridge Will Open Before the Winter Storms.\n\n"
        "Mayor Lena Ortiz spoke to a local radio host on Sunday.\n\n"
        '"HOST: Will the bridge really open this year, Mayor?\n\n'
        '"ORTIZ: It will open in November, and the tolls will stay low."\n'
    )
    found = _claims(text)
    assert found[0] == ("Lena Ortiz", "The Bridge Will Open Before the Winter Storms")
    assert ("HOST", "Will the bridge really open this year, Mayor?") in found
    assert found[-1][0] == "Lena Ortiz"


def test_a_speaker_opening_the_article_with_a_short_clause_gives_a_valid_span() -> None:
    # Once crashed: the content before a speaker at offset 0 ended at -1, which Python slices from the back.
    text = "Lawmaker urges retaliation on Russia;\n\nThe committee meets again next week to vote.\n"
    infos = analyse(text)
    for claim in find_claims(text, infos, build_roster(text, infos)):
        assert 0 <= claim.content[0] <= claim.content[1] <= len(text)


def test_a_place_before_a_title_describes_the_name_after_it() -> None:
    text = (
        "“You think this is fair?” tweeted the Illinois representative Bobby Rush.\n"
        "“It is a stain on our history,” wrote presidential candidate and California senator Kamala Harris.\n"
        "“We will not pay,” said Sen. Ted Cruz of Texas."
    )
    speakers = [speaker for speaker, _ in _claims(text)]
    assert speakers == ["Bobby Rush", "Kamala Harris", "Ted Cruz"]
