from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractor.text.grounding import Grounder, normalise

ARTICLE = 'The minister said: “We will not  retreat — ever.” Later he added "we will not retreat".'


def test_exact_match_prefers_the_occurrence_nearest_the_hint() -> None:
    grounder = Grounder(ARTICLE)
    far = grounder.locate("we will not retreat", near=len(ARTICLE))
    assert far.alignment == "exact"
    assert ARTICLE[far.start : far.end] == "we will not retreat"
    assert far.start == ARTICLE.rindex("we will not retreat")


def test_normalised_match_folds_quotes_dashes_spacing_and_case() -> None:
    span = Grounder(ARTICLE).locate('"We will not retreat - ever."')
    assert span.alignment == "normalised"
    assert ARTICLE[span.start : span.end] == span.text
    assert span.text == "We will not  retreat — ever."


def test_fuzzy_match_tolerates_a_small_misquote() -> None:
    text = "Officials insisted that the border crossing would remain open through the winter months."
    span = Grounder(text).locate("the border crossing would stay open through the winter months")
    assert span.alignment == "fuzzy"
    assert text[span.start : span.end] == span.text


def test_invented_text_is_ungrounded_without_offsets() -> None:
    span = Grounder(ARTICLE).locate("the cartels run the entire hemisphere from space")
    assert span.alignment == "ungrounded"
    assert span.start is None and span.end is None


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_substring_grounds_to_itself(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    needle = text[start:end]
    span = Grounder(text).locate(needle, near=start)
    if span.alignment != "ungrounded":
        assert text[span.start : span.end] == span.text


def test_normalise_keeps_an_offset_for_every_folded_character() -> None:
    folded, origin = normalise("A  “b”\n\nc")
    assert folded == 'a "b" c'
    assert len(origin) == len(folded)
    assert origin == sorted(origin)
