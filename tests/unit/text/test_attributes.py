"""The pipeline's attribute rules on token arrays: the same attributes as spaCy's attribute ruler."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.text.attributes import attribute_rules
from extractor.text.nlp import PIPELINE_PACKAGE, load_pipeline

# Words the ruler's exceptions are about (contractions, relative "that", existential "there is",
# auxiliaries, spaces), in an ordinary news paragraph.
TEXTS = [
    "I ain't gonna go, y'all. Let's c'm on, we gotta leave. Nothin' doing. There is a cat and there "
    "are dogs; it's theirs.",
    "That is what he said that they would do. Both of those were there, but he left. Whose book is "
    "this? Everybody knows somebody who can't and won't.",
    "The minister, who has been criticised, said on Tuesday that the bill would pass.  \n\n  It did.",
]
ATTRIBUTES = ["POS", "MORPH", "LEMMA", "TAG", "DEP", "HEAD"]


@pytest.fixture(scope="module")
def reference() -> Any:
    import spacy

    return spacy.load(PIPELINE_PACKAGE)


def test_the_rules_set_what_the_attribute_ruler_sets(reference: Any) -> None:
    ruler = reference.get_pipe("attribute_ruler")
    rules = attribute_rules(reference.vocab, ruler.patterns)
    assert rules is not None
    before = reference.pipe_names[: reference.pipe_names.index("attribute_ruler")]
    for text in TEXTS:
        with reference.select_pipes(enable=before):
            doc = reference(text)
        by_ruler, by_rules = ruler(doc.copy()), rules(doc.copy())
        assert (by_ruler.to_array(ATTRIBUTES) == by_rules.to_array(ATTRIBUTES)).all()
        assert [str(t.morph) for t in by_ruler] == [str(t.morph) for t in by_rules]


def test_the_loaded_pipeline_applies_the_rules_in_place_of_the_ruler() -> None:
    names = load_pipeline().pipe_names
    assert "attribute_ruler" not in names
    order = [names.index(name) for name in ("parser", "claimscope_attribute_rules", "claimscope_lemmas")]
    assert order == sorted(order)
    doc = load_pipeline()("They're gonna say that there is a plan.")
    assert [(t.text, t.lemma_) for t in doc][2:4] == [("gon", "go"), ("na", "to")]


@pytest.mark.parametrize(
    "pattern",
    [[{"LOWER": "a", "OP": "+"}], [{"TEXT": "A"}], [{"LOWER": {"FUZZY": "a"}}], []],
)
def test_a_pattern_the_rules_do_not_support_keeps_the_ruler(reference: Any, pattern: Any) -> None:
    assert attribute_rules(reference.vocab, [{"patterns": [pattern], "attrs": {"POS": "X"}}]) is None
