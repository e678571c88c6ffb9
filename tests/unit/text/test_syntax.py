"""Reporting constructions read off the dependency parse."""

from __future__ import annotations

from extractor.text.nlp import parse
from extractor.text.syntax import Attribution, AttributionReader, attributions


def _read(text: str) -> list[tuple[str, str | None, str]]:
    found: list[Attribution] = attributions(parse(text), 0, len(text))
    return [
        (
            item.lemma,
            text[item.subject[0] : item.subject[1]] if item.subject else None,
            text[item.content[0] : item.content[1]],
        )
        for item in found
    ]


def test_a_reporting_verb_with_its_subject_and_clausal_complement() -> None:
    text = "Senator Ada Moss said that the harbour tax must be repealed before winter."
    assert _read(text) == [("say", "Senator Ada Moss", "the harbour tax must be repealed before winter")]


def test_the_reported_clause_may_come_first() -> None:
    text = '"We will never accept foreign troops on our soil," the president said.'
    [(lemma, subject, content)] = _read(text)
    assert (lemma, subject) == ("say", "the president")
    assert content == "We will never accept foreign troops on our soil"


def test_an_object_control_verb_reports_its_clause() -> None:
    text = "Rep. Adam Schiff called on President Obama to retaliate against Russia for the hacking."
    [(lemma, subject, content)] = _read(text)
    assert (lemma, subject) == ("call", "Rep. Adam Schiff")
    assert "retaliate against Russia" in content


def test_a_coordinated_verb_shares_the_subject() -> None:
    text = "The mayor visited the plant and said the town would gain four hundred jobs."
    assert ("say", "The mayor", "the town would gain four hundred jobs") in _read(text)


def test_according_to_reports_the_clause_it_modifies() -> None:
    text = "According to the ministry, the new road will open in March next year."
    [(lemma, subject, content)] = _read(text)
    assert (lemma, subject) == ("according to", "the ministry")
    assert content == "the new road will open in March next year"


def test_a_passive_subject_is_not_a_speaker_but_the_agent_is() -> None:
    # The construction is read, but with no one to attribute it to: the claims stage drops it.
    expected = [("expect", None, "sign the bill on Friday afternoon")]
    assert _read("The governor is expected to sign the bill on Friday afternoon.") == expected
    text = "It was announced by the ministry that the border would reopen on Monday."
    [(lemma, subject, content)] = _read(text)
    assert (lemma, subject) == ("announce", "the ministry")
    assert content == "the border would reopen on Monday"


def test_a_stance_verb_reports_its_object() -> None:
    [(lemma, subject, content)] = _read("Senator Ted Cruz endorsed Donald Trump's presidential campaign.")
    assert (lemma, subject) == ("endorse", "Senator Ted Cruz")
    assert content == "Donald Trump's presidential campaign"


def test_a_verb_that_reports_nothing_is_not_a_cue() -> None:
    assert _read("The committee met again and reviewed shipping figures for the quarter.") == []


def test_a_relative_pronoun_marks_where_the_clause_names_its_speaker() -> None:
    text = "The plan drew praise from economists, who said that it would simplify returns."
    [found] = attributions(parse(text), 0, len(text))
    assert found.relative is not None and text[found.relative[0] : found.relative[1]] == "who"


def test_a_charge_verb_reads_its_charge_and_other_verbs_do_not() -> None:
    text = "Trump criticized Obama for not doing enough about the border."
    [(lemma, subject, content)] = _read(text)
    assert (lemma, subject) == ("criticize", "Trump")
    assert content == "not doing enough about the border"


def test_a_reader_answers_each_window_as_attributions_does() -> None:
    text = (
        'Ada Moss said that the tax must go. "We will win," the president said. '
        "According to officials, the talks failed last week."
    )
    doc = parse(text)
    reader = AttributionReader(doc)
    for start, end in [(0, 35), (36, 71), (72, len(text)), (0, len(text))]:
        assert reader.within(start, end) == attributions(doc, start, end)
    assert reader.within(0, len(text)) == reader.within(0, len(text))
