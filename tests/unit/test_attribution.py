"""Code-only attribution on the seed article and on invented sentences (no model involved)."""

from __future__ import annotations

from extractor.attribution import find_claims
from extractor.candidates import analyse
from extractor.resolve import build_roster


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
