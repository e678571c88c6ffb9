"""Lookups over an article's sentences, its noun chunks, and the sentences naming a topic."""

from __future__ import annotations

from extractor.positions.candidates import (
    PolicyNouns,
    SentenceMap,
    _noun_chunks,
    sentence_bounds,
    topic_candidates,
)
from extractor.text.nlp import parse
from extractor.text.tokens import _root_by_heads, token_table


def test_a_sentence_map_finds_the_sentence_holding_an_offset() -> None:
    sentences = SentenceMap(((0, 10), (12, 20), (21, 30)))
    found = {offset: sentences.index_of(offset) for offset in (-1, 0, 9, 10, 11, 12, 20, 29, 30)}
    assert found == {-1: None, 0: 0, 9: 0, 10: None, 11: None, 12: 1, 20: None, 29: 2, 30: None}


def test_a_sentence_map_lists_the_sentences_a_range_touches() -> None:
    sentences = SentenceMap(((0, 10), (12, 20), (21, 30)))
    assert sentences.covering(5, 15) == [0, 1]
    assert sentences.covering(10, 12) == []
    assert sentences.covering(9, 22) == [0, 1, 2]
    assert sentences.covering(30, 40) == []
    assert SentenceMap(()).covering(0, 5) == []
    assert SentenceMap(()).index_of(0) is None


def test_noun_chunks_are_spacys_english_noun_chunks() -> None:
    text = (
        "The senators and their aides rejected the tariff plan, and she backed a ban on drilling.\n"
        "Protesters, students and unions marched against the war in Gaza; it gave them hope.\n"
        "The Assembly Rejects Ban"
    )
    doc = parse(text)
    chunks = list(_noun_chunks(doc, token_table(doc)))
    assert chunks == [(chunk.start, chunk.end) for chunk in doc.noun_chunks]
    assert len(chunks) > 8
    for start, end in chunks:
        root = _root_by_heads(token_table(doc).head, start, end)
        assert root is None or root == doc[start:end].root.i


def test_a_topic_is_named_by_the_policy_nouns_of_its_label() -> None:
    text = (
        "The House opened an impeachment inquiry into Governor Ray Lund on Monday.\n"
        "Senator Ann Bell mocked their impeachment crusade in a speech.\n"
        "Lund thanked the people of the state for an inquiry.\n"
        "Governor Lund met the people who voted for him."
    )
    doc = parse(text)
    nouns = PolicyNouns.of(doc, sentence_bounds(doc, text))
    # "impeachment" and "inquiry" name the policy; "Governor", "Lund" and "people" name who it is about.
    assert nouns.naming("the impeachment inquiry into Governor Lund") == {0, 1, 2}
    assert nouns.naming("the people of Governor Lund") == set()


def _candidates(text: str) -> dict[str, tuple[int, ...]]:
    """Each topic candidate's phrase -> the sentences that discuss it."""
    doc = parse(text)
    return {c.phrase: c.sentences for c in topic_candidates(text, doc, sentence_bounds(doc, text), [])}


def test_the_law_of_an_article_that_names_one_law_is_that_law() -> None:
    text = (
        "A federal court heard arguments over the Affordable Care Act on Tuesday.\n"
        "Republicans want the law struck down, and the judge called the law unconstitutional.\n"
        "Democrats said the bill had helped millions.\n"
    )
    candidates = _candidates(text)
    assert candidates["Affordable Care Act"] == (0, 1, 2)
    assert not {"law", "bill"} & set(candidates)


def test_the_law_stays_apart_when_the_article_names_two_laws() -> None:
    text = (
        "A federal court heard arguments over the Affordable Care Act and the Clean Air Act on Tuesday.\n"
        "Republicans want the law struck down, and the judge called the law unconstitutional.\n"
    )
    assert "law" in _candidates(text)
