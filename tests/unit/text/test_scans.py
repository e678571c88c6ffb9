"""The fast scans find exactly what the plain regular expressions they replaced find.

Each scan in the candidate finder and resolver skips work a regex would do (positions that cannot
match, patterns compiled per article); these properties pin that the skipping never changes a result.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.actors.drafts import ActorDraft
from extractor.actors.mentions import _alias_spans, _alias_spans_by_pattern
from extractor.actors.resolver import TITLE_NP as _TITLE_NP
from extractor.claims.attribution import _RELATIVE_LEAD
from extractor.text.candidates import (
    _CUE_FIRST_WORDS,
    _GROUP,
    _NAME,
    _TOKEN,
    Quote,
    _cue_spans,
    _group_spans,
    _names,
    find_quotes,
)
from extractor.text.lexicon import (
    GROUP_NOUNS,
    NAME_PARTICLES,
    REPORTING_VERBS,
    SENTENCE_STARTERS,
    TITLE_WORDS,
)
from extractor.text.patterns import whole_words
from extractor.text.segments import Segment

# Words that exercise every branch: aliases and their prefixes, group nouns and modifiers, cue words in
# several cases, hyphens, possessives, quotation marks, and a character that lower-cases to two.
_WORDS = [
    "Trump",
    "Donald",
    "Donald Trump",
    "Trumps",
    "trump",
    "Sheinbaum",
    "Claudia",
    "de",
    "la",
    "Cruz",
    "US",
    "U.S.",
    "the",
    "a",
    "senior",
    "Mexican",
    "officials",
    "analysts",
    "Analysts",
    "experts",
    "said",
    "Said",
    "SAID",
    "according",
    "to",
    "pointed",
    "out",
    "warned",
    "a warning",
    "İstanbul",
    "-",
    "'s",
    ",",
    ".",
    '"',
    "“",
    "”",
    "'",
    "‘",
    "’",
    "«",
    "»",
    "''",
    "\n",
    "  ",
]
_texts = st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join)


def _draft(name: str) -> ActorDraft:
    return ActorDraft(canonical=name, written=name, kind=None)


@settings(max_examples=300, deadline=None)
@given(
    text=_texts,
    aliases=st.lists(
        st.sampled_from(["Trump", "Donald Trump", "Sheinbaum", "la Cruz", "de la Cruz", "US", "U.S.", "'s"]),
        min_size=1,
        max_size=6,
        unique=True,
    ),
)
def test_name_aliases_match_the_alternation(text: str, aliases: list[str]) -> None:
    owners = {alias: _draft(alias) for alias in aliases}
    assert _alias_spans(text, owners, fold_case=False) == _alias_spans_by_pattern(
        text, owners, fold_case=False
    )


@settings(max_examples=300, deadline=None)
@given(
    text=_texts,
    aliases=st.lists(
        st.sampled_from(["analysts", "officials", "senior officials", "the experts", "us officials"]),
        min_size=1,
        max_size=4,
        unique=True,
    ),
)
def test_group_aliases_match_the_case_blind_alternation(text: str, aliases: list[str]) -> None:
    owners = {alias: _draft(alias) for alias in aliases}
    expected = _alias_spans_by_pattern(text, owners, fold_case=True)
    assert _alias_spans(text, owners, fold_case=True) == expected


@settings(max_examples=300, deadline=None)
@given(text=_texts)
def test_group_spans_match_finditer(text: str) -> None:
    segment = Segment(10, 10 + len(text), text)
    expected = [(10 + m.start(), 10 + m.end(), m.group(0)) for m in _GROUP.finditer(text)]
    assert [(g.start, g.end, g.text) for g in _group_spans(segment)] == expected
    assert GROUP_NOUNS  # the fast path keys on these; an empty list would make the test vacuous


@settings(max_examples=300, deadline=None)
@given(text=_texts)
def test_cue_spans_match_a_word_scan(text: str) -> None:
    segment = Segment(0, len(text), text)
    words = set(map(str.lower, _TOKEN.findall(text)))
    expected = []
    for match in _TOKEN.finditer(text):
        word = match.group(0).lower()
        if word not in _CUE_FIRST_WORDS:
            continue
        end = match.end()
        if word in {"according", "pointed"}:
            follower = re.match(r"\s+(to|out)\b", text[end:], re.IGNORECASE)
            wanted = "to" if word == "according" else "out"
            if follower is None or follower.group(1).lower() != wanted:
                if word not in REPORTING_VERBS:
                    continue
            else:
                end += follower.end()
        expected.append((match.start(), end, text[match.start() : end]))
    assert [(c.start, c.end, c.text) for c in _cue_spans(segment, words)] == expected


def test_quotes_are_found_whichever_marks_a_paragraph_holds() -> None:
    text = "He said “one” and 'two' and \"three\" and «four» and ‘five’ and ''six''."
    assert [quote.text for quote in find_quotes(text)] == ["one", "two", "three", "four", "five", "six"]


# Letters that re's case-insensitive matching equates with ASCII ones ("İ"/"ı" with i, the Kelvin sign
# with k, the long s with s), beside the plain forms, so the leading letter class is tested on them too.
_FOLDING_WORDS = ["if", "IF", "İf", "ıf", "kill", "\u212aill", "said", "\u017fays", "Sheriff", "nothing"]
_folding_texts = st.lists(st.sampled_from(_WORDS + _FOLDING_WORDS), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    text=_folding_texts,
    words=st.lists(
        st.sampled_from(
            ["if", "is", "it", "kill", "said", "says", "say", "no", "not", "n't", "nothing", "he"]
        ),
        min_size=1,
        max_size=6,
        unique=True,
    ),
)
def test_whole_words_match_the_case_blind_word_boundary_alternation(text: str, words: list[str]) -> None:
    plain = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    fast = re.compile(whole_words(words))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(text=_folding_texts, words=st.lists(st.sampled_from(["Said", "said", "US", "the"]), min_size=1))
def test_case_sensitive_whole_words_match_the_word_boundary_alternation(text: str, words: list[str]) -> None:
    plain = re.compile(r"\b(?:" + "|".join(map(re.escape, set(words))) + r")\b")
    fast = re.compile(whole_words(words, ignore_case=False))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


_STEM_WORDS = [
    "oppose",
    "Opposed",
    "\u017ftop",
    "stops",
    "end",
    "ending",
    "calls for",
    "call",
    "plans",
    "planned",
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(_WORDS + _FOLDING_WORDS + _STEM_WORDS), max_size=30).map(" ".join),
    stems=st.lists(
        st.sampled_from([r"oppos\w*", r"stop\w*", "end", r"call\w* for", "plans?", "planned", r"sa\w+"]),
        min_size=1,
        max_size=5,
        unique=True,
    ),
)
def test_word_patterns_match_the_case_blind_word_boundary_alternation(text: str, stems: list[str]) -> None:
    plain = re.compile(r"\b(?:" + "|".join(stems) + r")\b", re.IGNORECASE)
    fast = re.compile(whole_words(stems, literal=False))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_whole_words_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="at least one"):
        whole_words([])
    with pytest.raises(ValueError, match="word character"):
        whole_words(["-x"])


# The patterns as they were before they were rewritten to open with a character class.
_PLAIN_NAME_WORD = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-Þ][\w’'\-]*(?:\.(?=[A-Za-z]))?[\w’'\-]*)"
_PLAIN_NAME = re.compile(
    rf"{_PLAIN_NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?(?:(?:{'|'.join(sorted(NAME_PARTICLES))})\s+)?"
    rf"{_PLAIN_NAME_WORD})*"
)
_PLAIN_TITLE_NP = re.compile(r"\b[Tt]he\s+((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+|[a-z]+)\b")
_PLAIN_RELATIVE_LEAD = re.compile(r"\b(?:who|which)\s+(?:\w+\s+){0,2}$")
_NAME_WORDS = [
    "G.K.",
    "U.S.",
    "E.",
    "Leonard E. Burman",
    "St.Louis",
    "Ávila",
    "de",
    "The",
    "the",
    "who",
    "which",
]
_name_texts = st.lists(st.sampled_from(_WORDS + _FOLDING_WORDS + _NAME_WORDS), max_size=30).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=_name_texts)
def test_rewritten_patterns_find_what_the_plain_ones_found(text: str) -> None:
    for fast, plain in ((_NAME, _PLAIN_NAME), (_TITLE_NP, _PLAIN_TITLE_NP)):
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
            (m.span(), m.groups()) for m in plain.finditer(text)
        ]
    found, expected = _RELATIVE_LEAD.search(text), _PLAIN_RELATIVE_LEAD.search(text)
    assert (found and found.span()) == (expected and expected.span())


def _names_word_by_word(segment: Segment, quotes: list[Quote]) -> list[tuple[int, int, str, bool]]:
    """``_names`` as it was before its per-match work was cached by the matched text."""
    found = []
    text = segment.text
    for match in _NAME.finditer(text):
        start = segment.start + match.start()
        raw = match.group(0).rstrip(".'’-")
        if raw.endswith(("'s", "’s")):
            raw = raw[:-2]
        words = raw.split()
        initial = match.start() == 0 or (
            text[0] in "\"“‘'(" and (match.start() == 1 or text[1 : match.start()].isspace())
        )
        while words and words[0].lower() in SENTENCE_STARTERS:
            start += len(words[0]) + 1
            while start < segment.end and text[start - segment.start] == " ":
                start += 1
            words = words[1:]
            initial = False
        if not words:
            continue
        name = " ".join(words)
        end = start + len(name)
        if len(words) == 1 and any(q.start <= start and end <= q.end for q in quotes):
            continue
        if all(word.lower() in TITLE_WORDS for word in words):
            continue
        if re.match(r"^[DRI]-[A-Z]", name) or (len(words) == 1 and ("’" in name or "'" in name)):
            continue
        found.append((start, end, name, initial))
    return found


_STARTER_WORDS = ["The", "But", "In", "He", "D-Texas", "R-Ohio", "President", "Senator", "Trump's", "O'Brien"]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(_WORDS + _NAME_WORDS + _STARTER_WORDS), max_size=30).map(" ".join))
def test_names_are_what_the_word_by_word_reading_found(text: str) -> None:
    stripped = text.strip()
    segment = Segment(7, 7 + len(stripped), stripped)
    quotes = find_quotes(stripped)
    shifted = [Quote(q.start + 7, q.end + 7, q.text) for q in quotes]
    found = [(n.start, n.end, n.text, n.sentence_initial) for n in _names(segment, shifted)]
    assert found == _names_word_by_word(segment, shifted)
