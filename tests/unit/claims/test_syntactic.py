"""Claims from the parse: indirect speech without quotation marks, with the speaker from the subject."""

from __future__ import annotations

from extractor.actors.roster import build_roster
from extractor.claims.attribution import find_claims
from extractor.text.candidates import analyse


def _claims(text: str) -> list[tuple[str | None, str, str]]:
    infos = analyse(text)
    roster = build_roster(text, infos)
    return [
        (
            claim.speaker.canonical if claim.speaker else None,
            claim.cue.text if claim.cue else "",
            text[claim.content[0] : claim.content[1]],
        )
        for claim in find_claims(text, infos, roster)
    ]


def test_a_cue_no_word_list_holds_is_read_by_its_lemma_and_complement() -> None:
    text = "Rep. Adam Schiff called on President Barack Obama to retaliate against Russia for the hacking.\n"
    # The parser reads "on" as a preposition: the cue is "called", its complement what Obama should do.
    assert _claims(text) == [("Adam Schiff", "called", "retaliate against Russia for the hacking")]


def test_a_common_noun_subject_becomes_the_speaker() -> None:
    text = "Several tax experts cautioned that the proposals might well change after the election.\n"
    [(speaker, cue, content)] = _claims(text)
    assert (speaker, cue) == ("tax experts", "cautioned")  # "Several" counts the experts, names nobody
    assert content == "the proposals might well change after the election"


def test_a_relative_clause_speaks_for_the_noun_it_describes() -> None:
    text = (
        "The plan drew praise from Leonard Burman, who emphasized that it would simplify returns for "
        "small businesses.\n"
    )
    assert ("Leonard Burman", "emphasized", "it would simplify returns for small businesses") in _claims(text)


def test_a_pronoun_no_earlier_subject_settles_is_left_open_and_reports_inside_it_are_content() -> None:
    text = "She noted that clients are beginning to demand diverse legal teams in their cases.\n"
    assert _claims(text) == [
        (None, "noted", "clients are beginning to demand diverse legal teams in their cases")
    ]


def test_a_sentence_without_a_reporting_verb_holds_no_claim() -> None:
    assert _claims("The committee met again and reviewed shipping figures for the quarter.\n") == []


def test_reported_speech_beside_a_quotation_is_a_claim_of_its_own() -> None:
    text = 'Moss exhorted Republicans to "vote your conscience" and said she was standing on principle.\n'
    assert _claims(text) == [
        ("Moss", "exhorted", "vote your conscience"),
        ("Moss", "said", "she was standing on principle"),
    ]


def test_a_report_hung_on_another_report_is_cut_out_of_it() -> None:
    text = (
        "Mayor Lena Ortiz said the new pipes would cost less than planned, though she noted that "
        "contractors are raising their prices.\n"
    )
    claims = [(cue, content) for _, cue, content in _claims(text)]
    assert ("said", "the new pipes would cost less than planned") in claims
    assert ("noted", "contractors are raising their prices") in claims


def test_a_quotation_in_title_case_is_a_name_not_words_said() -> None:
    text = 'Senator Ada Moss spoke on "Morning Report" about the harbour tax on Sunday.\n'
    assert all(content != "Morning Report" for _, _, content in _claims(text))


def test_a_stance_toward_a_name_is_whole_in_one_word() -> None:
    text = "After months of silence, Senator Ada Moss has endorsed Ortiz.\n"
    assert ("Ada Moss", "endorsed", "Ortiz") in _claims(text)


def test_names_in_the_subjects_modifiers_do_not_speak_for_its_head() -> None:
    assert _claims("A coalition of states led by Texas argued that the law should fall.\n") == [
        ("coalition", "argued", "the law should fall")
    ]
    assert _claims("Mr. McCabe’s lawyers have vigorously denied that he intentionally lied.\n") == [
        ("lawyers", "denied", "he intentionally lied")
    ]
    text = "The Supreme Court’s conservative majority found that Congress could not order people to buy it.\n"
    assert _claims(text)[0][0] == "conservative majority"


def test_a_member_described_by_party_is_the_antecedent_of_she() -> None:
    text = (
        "Another Republican, Rep. Debbie Lesko of Arizona, was more direct. “This is an outrage,” she said.\n"
    )
    [(speaker, cue, _content)] = _claims(text)
    assert (speaker, cue) == ("Debbie Lesko", "said")
