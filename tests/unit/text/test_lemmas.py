"""The lemmatizer once per word form on token arrays: the same lemmas as spaCy's lemmatizer."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.text.lemmas import array_lemmatizer
from extractor.text.nlp import PIPELINE_PACKAGE

TEXTS = [
    "The ministers said they were leaving; the minister says she left. Better plans are the best plans.",
    "I ain't gonna go, y'all. There is a cat and there are dogs; it's theirs. Whose books were these?",
    "The council voted to repeal the bans on cars.  \n\n  Voters had been voting, and votes were counted.",
]


@pytest.fixture(scope="module")
def reference() -> Any:
    import spacy

    return spacy.load(PIPELINE_PACKAGE)


def _before_lemmas(reference: Any, text: str) -> Any:
    before = reference.pipe_names[: reference.pipe_names.index("lemmatizer")]
    with reference.select_pipes(enable=before):
        return reference(text)


def test_the_lemmas_are_the_lemmatizers_whether_the_form_was_met_before_or_not(reference: Any) -> None:
    lemmatizer = reference.get_pipe("lemmatizer")
    by_arrays = array_lemmatizer(reference)
    assert by_arrays is not None
    for text in TEXTS * 2:  # the second round finds every word form already decided
        doc = _before_lemmas(reference, text)
        expected = [token.lemma_ for token in lemmatizer(doc.copy())]
        assert [token.lemma_ for token in by_arrays(doc.copy())] == expected


def test_a_lemma_already_set_is_kept(reference: Any) -> None:
    by_arrays = array_lemmatizer(reference)
    assert by_arrays is not None
    doc = _before_lemmas(reference, "They were voting.")
    doc[2].lemma_ = "ballot"
    assert [token.lemma_ for token in by_arrays(doc)] == ["they", "be", "ballot", "."]


def test_only_a_rule_lemmatizer_that_keeps_set_lemmas_is_reproduced(reference: Any) -> None:
    import spacy

    lookup = spacy.load(PIPELINE_PACKAGE)
    lookup.get_pipe("lemmatizer")._mode = "lookup"
    assert array_lemmatizer(lookup) is None
    overwriting = spacy.load(PIPELINE_PACKAGE)
    overwriting.get_pipe("lemmatizer").overwrite = True
    assert array_lemmatizer(overwriting) is None
    with reference.select_pipes(disable=["lemmatizer"]):
        assert array_lemmatizer(reference) is None


def test_a_full_memory_of_word_forms_starts_over_and_lemmas_stay_right(
    reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.text import lemmas

    monkeypatch.setattr(lemmas, "_MAX_FORMS", 3)
    by_arrays = array_lemmatizer(reference)
    assert by_arrays is not None
    doc = _before_lemmas(reference, TEXTS[0])
    expected = [token.lemma_ for token in reference.get_pipe("lemmatizer")(doc.copy())]
    assert [token.lemma_ for token in by_arrays(doc.copy())] == expected
    assert len(by_arrays._lemmas) <= 3
