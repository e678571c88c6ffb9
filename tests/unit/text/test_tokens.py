"""Token attributes of a parse as plain lists."""

from __future__ import annotations

from extractor.text.nlp import parse
from extractor.text.tokens import char_tokens, sentence_offsets, sentence_tokens, token_table


def test_the_table_holds_each_tokens_offset_form_lemma_and_part_of_speech() -> None:
    doc = parse("The Senators said that Congress Voted against the tariffs.\nShe agreed.")
    table = token_table(doc)
    assert table.idx == [token.idx for token in doc]
    assert table.lower == [token.lower_ for token in doc]
    assert table.lemma == [token.lemma_.lower() for token in doc]
    assert table.pos == [token.pos_ for token in doc]
    assert table.dep == [token.dep_ for token in doc]
    assert table.head == [token.head.i for token in doc]


def test_a_parse_is_read_once() -> None:
    doc = parse("Officials said the plan would fail.")
    assert token_table(doc) is token_table(doc)


def test_the_table_holds_each_tokens_end_tag_entity_punctuation_and_children() -> None:
    doc = parse('Officials in New York said: "The plan (as written) will fail."\nShe agreed.')
    table = token_table(doc)
    assert table.end == [token.idx + len(token.text) for token in doc]
    assert table.tag == [token.tag_ for token in doc]
    assert table.ent_type == [token.ent_type_ for token in doc]
    assert table.ent_inside == [token.ent_iob_ == "I" for token in doc]
    assert table.punct == [token.is_punct for token in doc]
    assert [table.children(token.i) for token in doc] == [
        [child.i for child in token.children] for token in doc
    ]


def test_char_tokens_covers_what_an_expanded_char_span_covers() -> None:
    text = 'He said  "no."\n\nThe plan, officials said, will fail.  '
    doc = parse(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 2):
            span = doc.char_span(start, end, alignment_mode="expand")
            assert char_tokens(doc, start, end) == (None if span is None else (span.start, span.end))


def test_the_table_holds_the_entities_and_sentences_the_parse_lists() -> None:
    text = 'Officials in New York said: "The plan will fail."\n\nPresident Joe Biden disagreed on Monday.  '
    doc = parse(text)
    assert token_table(doc).entities == [(e.start, e.end, e.label_) for e in doc.ents]
    assert token_table(doc).entity_roots == [e.root.i for e in doc.ents]
    assert len(token_table(doc).entities) >= 2
    assert sentence_tokens(doc) == [(s.start, s.end) for s in doc.sents]
    assert sentence_offsets(doc) == [(s.start_char, s.end_char) for s in doc.sents]
    assert len(sentence_tokens(doc)) >= 2
