"""Lookups over an article's sentences."""

from __future__ import annotations

from extractor.positions.candidates import SentenceMap


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
