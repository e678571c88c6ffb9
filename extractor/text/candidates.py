"""Code finds what code finds well: quotations, attribution cues and name-like spans, all with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.text.lexicon import (
    GROUP_NOUNS,
    NAME_PARTICLES,
    PRONOUNS,
    REPORTING_VERBS,
    SENTENCE_STARTERS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
)
from extractor.text.nlp import parse
from extractor.text.patterns import whole_words
from extractor.text.segments import Segment, paragraphs, parsed_sentences
from extractor.text.tokens import sentence_offsets

__all__ = ["Cue", "NameCandidate", "Quote", "SentenceInfo", "analyse"]

_QUOTE_PATTERNS = (
    re.compile(r"“([^“”\n]{2,800}?)”"),
    re.compile(r"''(?=\S)([^\n]{2,800}?)(?<=\S)''"),
    re.compile(r"\"([^\"\n]{2,800}?)\""),
    re.compile(r"«\s?([^«»\n]{2,800}?)\s?»"),
    re.compile(r"‘([^‘’\n]{2,300}?)’(?![A-Za-z])"),
    re.compile(r"(?<![\w'’])'(?=\S)([^'\n]{2,300}?)(?<=\S)'(?![\w])"),
)
# A character each pattern above cannot match without.
_QUOTE_MARKS = ("“", "''", '"', "«", "‘", "'")
# Initials keep their dots ("G.K."); other words stop before a full stop, so names never span sentences.
# The capital is matched first and shared by both forms (initials, then a word), so re can skip to each
# capital letter instead of trying the pattern at every position (see extractor.text.patterns).
_WORD = r"(?:[A-ZÀ-ÖØ-Þ](?:(?<=[A-Z])\.(?:[A-Z]\.)+|[\w’'\-]*(?:\.(?=[A-Za-z]))?[\w’'\-]*))"
# A middle initial ("Leonard E. Burman") joins the words around it; an initial ending a sentence does not,
# because a lone letter with a dot is only accepted between two capitalised words.
_NAME = re.compile(
    rf"{_WORD}(?:\s+(?:[A-Z]\.\s+)?(?:(?:{'|'.join(sorted(NAME_PARTICLES))})\s+)?{_WORD})*", re.UNICODE
)
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z]")
_PRONOUN = re.compile(whole_words(PRONOUNS))
_GROUP_MODIFIERS = (
    "the a new some many other several two three local senior political security foreign US U.S. Mexican"
).split()
_GROUP = re.compile(
    r"\b(?:(?:" + "|".join(map(re.escape, _GROUP_MODIFIERS)) + r")\s+)*"
    r"(?:" + "|".join(sorted(GROUP_NOUNS)) + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` cover the words inside the marks."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Cue:
    """A reporting expression (said, warned, according to...)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class NameCandidate:
    """A capitalised, name-like run of words."""

    start: int
    end: int
    text: str
    sentence_initial: bool


@dataclass(frozen=True)
class SentenceInfo:
    """A sentence with the candidates inside it."""

    segment: Segment
    index: int
    paragraph_index: int
    quotes: tuple[Quote, ...]
    cues: tuple[Cue, ...]
    names: tuple[NameCandidate, ...]
    pronouns: tuple[Cue, ...]
    groups: tuple[Cue, ...]


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Quotations in ``text[start:end]`` in every common quote style, non-overlapping, in order."""
    window = text[start:end]
    found: list[Quote] = []
    taken: list[tuple[int, int]] = []
    for pattern, mark in zip(_QUOTE_PATTERNS, _QUOTE_MARKS, strict=True):
        if mark not in window:
            continue  # most paragraphs hold few kinds of quotation mark; skip the scans that cannot match
        for match in pattern.finditer(window):
            outer = (start + match.start(), start + match.end())
            if any(outer[0] < b and a < outer[1] for a, b in taken):
                continue
            inner_start, inner_end = start + match.start(1), start + match.end(1)
            body = text[inner_start:inner_end]
            if not any(ch.isalpha() for ch in body):
                continue
            taken.append(outer)
            found.append(Quote(inner_start, inner_end, body))
    return sorted(found, key=lambda quote: quote.start)


def _spans(pattern: re.Pattern[str], segment: Segment) -> tuple[Cue, ...]:
    return tuple(
        Cue(segment.start + m.start(), segment.start + m.end(), m.group(0))
        for m in pattern.finditer(segment.text)
    )


_TOKEN = re.compile(r"\w+")
_CUE_FIRST_WORDS = REPORTING_VERBS | {"according", "pointed"}


def _cue_spans(segment: Segment, words: set[str]) -> list[Cue]:
    r"""Reporting expressions: only the cue words this sentence holds are looked for.

    ``words`` is the sentence's lowercased ``\w+`` tokens, so a sentence without a cue word costs a set
    intersection, and one with cues a single small alternation (a 200-way one was slower than a word loop).
    """
    present = words & _CUE_FIRST_WORDS
    if not present:
        return []
    found: list[Cue] = []
    text = segment.text
    for match in _cue_pattern(frozenset(present)).finditer(text):
        word = match.group(0).lower()
        end = match.end()
        if word in {"according", "pointed"}:
            follower = _FOLLOWER.match(text, end)
            wanted = "to" if word == "according" else "out"
            if follower is None or follower.group(1).lower() != wanted:
                if word not in REPORTING_VERBS:
                    continue
            else:
                end = follower.end()
        found.append(Cue(segment.start + match.start(), segment.start + end, text[match.start() : end]))
    return found


@lru_cache(maxsize=4096)
def _cue_pattern(present: frozenset[str]) -> re.Pattern[str]:
    # Whole \w+ tokens only: every cue word ends in a letter, so whole_words' closing \b acts as (?!\w).
    return re.compile(whole_words(present))


_FOLLOWER = re.compile(r"\s+(to|out)\b", re.IGNORECASE)
_ARTICLE_WORDS = frozenset({"a", "an", "the", "this", "that", "his", "her", "their", "its"})


def _cues(segment: Segment, words: set[str]) -> tuple[Cue, ...]:
    """Reporting expressions, minus capitalised words (``State``) and nouns after articles (``a warning``)."""
    kept: list[Cue] = []
    for cue in _cue_spans(segment, words):
        offset = cue.start - segment.start
        if cue.text[0].isupper() and offset > 0:
            continue
        before = segment.text[:offset].rsplit(None, 1)
        if before and before[-1].lower() in _ARTICLE_WORDS:
            continue
        kept.append(cue)
    return tuple(kept)


_QUOTE_OPENERS = frozenset("\"“‘'(")


def _names(segment: Segment, quotes: list[Quote]) -> tuple[NameCandidate, ...]:
    found: list[NameCandidate] = []
    text = segment.text
    for match in _NAME.finditer(text):
        shape = _name_shape(match.group(0))
        if shape is None:
            continue
        skipped, name, single_word = shape
        start = segment.start + match.start() + skipped
        end = start + len(name)
        if single_word and any(q.start <= start and end <= q.end for q in quotes):
            continue
        # The sentence is stripped, so "only an opening mark before the name" means: its first character
        # is one and the rest up to the name is blank. A name after a skipped starter word is not initial.
        initial = not skipped and (
            match.start() == 0
            or (text[0] in _QUOTE_OPENERS and (match.start() == 1 or text[1 : match.start()].isspace()))
        )
        found.append(NameCandidate(start, end, name, initial))
    return tuple(found)


@lru_cache(maxsize=16384)
def _name_shape(matched: str) -> tuple[int, str, bool] | None:
    """What a ``_NAME`` match names, as (characters skipped before the name, name, one word?), or None.

    A function of the matched text alone, so an article's repeated names ("Trump", "the White House")
    are worked out once.
    """
    raw = matched.rstrip(".'’-")
    # Drop a possessive, so "Trump's" is a mention of "Trump".
    if raw.endswith(("'s", "’s")):
        raw = raw[:-2]
    words = raw.split()
    skipped = 0
    # Sentence-initial function words are capitalised by position, not because they name anything.
    while words and words[0].lower() in SENTENCE_STARTERS:
        skipped += len(words[0]) + 1
        # The words of a match are joined by whitespace the match holds: skip the rest of it.
        while skipped < len(matched) and matched[skipped] == " ":
            skipped += 1
        words = words[1:]
    # "Under Mrs. Clinton's plan" splits at the title's full stop: a title closing a run names no one.
    while words and words[-1].lower().rstrip(".") in TITLE_ABBREVIATIONS:
        words = words[:-1]
    if not words:
        return None
    name = " ".join(words)
    if all(word.lower() in TITLE_WORDS for word in words):
        return None
    if _PARTY_TAG.match(name) or (len(words) == 1 and ("’" in name or "'" in name)):
        return None
    return skipped, name, len(words) == 1


# The first \w+ token of every modifier and group noun _GROUP can start with ("U.S." starts with "u").
_GROUP_FIRST_WORDS = GROUP_NOUNS | frozenset(
    modifier.split(".")[0].lower()
    for modifier in _GROUP_MODIFIERS  # "U.S." opens with the word "u"
)


# Finds those words (and, case folding aside, nothing else) without visiting every word in Python.
_GROUP_START = re.compile(whole_words(_GROUP_FIRST_WORDS))


def _group_spans(segment: Segment) -> tuple[Cue, ...]:
    """``_GROUP``'s matches, as ``finditer`` finds them, tried only where a match can start.

    A match starts at a word that opens a modifier or is a group noun; trying the case-insensitive
    alternation at every other position was most of the cost.
    """
    text = segment.text
    found: list[Cue] = []
    resume = 0
    for token in _GROUP_START.finditer(text):
        # re's case folding also takes "İf" for "if", which str.lower() does not: keep the word test.
        if token.start() < resume or token.group(0).lower() not in _GROUP_FIRST_WORDS:
            continue
        match = _GROUP.match(text, token.start())
        if match is not None:
            found.append(Cue(segment.start + match.start(), segment.start + match.end(), match.group(0)))
            resume = match.end()
    return tuple(found)


def analyse(text: str) -> list[SentenceInfo]:
    """Every body sentence (headlines excluded) with its quotes, cues, names, pronouns and group nouns."""
    infos: list[SentenceInfo] = []
    bounds = sentence_offsets(parse(text))
    for paragraph_index, paragraph in enumerate(paragraphs(text)):
        if paragraph.headline:
            continue
        paragraph_quotes = find_quotes(text, paragraph.start, paragraph.end)
        for sentence in parsed_sentences(text, bounds, paragraph):
            words = set(map(str.lower, _TOKEN.findall(sentence.text)))
            quotes = [q for q in paragraph_quotes if sentence.start <= q.start < sentence.end]
            infos.append(
                SentenceInfo(
                    segment=sentence,
                    index=len(infos),
                    paragraph_index=paragraph_index,
                    quotes=tuple(quotes),
                    cues=_cues(sentence, words),
                    names=_names(sentence, quotes),
                    pronouns=_spans(_PRONOUN, sentence) if words & PRONOUNS else (),
                    groups=_group_spans(sentence) if words & GROUP_NOUNS else (),
                )
            )
    return infos
