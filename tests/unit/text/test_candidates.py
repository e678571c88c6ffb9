from __future__ import annotations

from extractor.text.candidates import analyse, find_quotes
from extractor.text.segments import paragraphs, sentences


def test_quotes_in_every_common_style_without_apostrophes() -> None:
    text = (
        "He said “one two” and \"three four\", 'five six', ‘seven eight’, «nine ten». It’s the cartels' turn."
    )
    found = [quote.text for quote in find_quotes(text)]
    assert found == ["one two", "three four", "five six", "seven eight", "nine ten"]
    for quote in find_quotes(text):
        assert text[quote.start : quote.end] == quote.text


def test_headlines_are_flagged_and_sentences_do_not_split_inside_quotes() -> None:
    text = 'Big News Today\n\nShe replied: "No. Never. Not once." Then she left.\n'
    paras = paragraphs(text)
    assert [p.headline for p in paras] == [True, False]
    parts = [s.text for s in sentences(text, paras[1])]
    assert parts == ['She replied: "No. Never. Not once."', "Then she left."]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Sen. Maria Lopez met Dr. Chen in the U.S. capital. They spoke."
    para = paragraphs(text)[0]
    assert len(sentences(text, para)) == 2


def test_cues_skip_capitalised_words_and_nouns(seed_text: str) -> None:
    infos = analyse(seed_text)
    cues = [cue.text for info in infos for cue in info.cues]
    assert "States" not in cues and "State" not in cues
    assert "stated" in cues and "warned" in cues
