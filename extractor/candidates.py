"""Code finds what code finds well: quotations, attribution cues and name-like spans, all with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.lexicon import (
    GROUP_NOUNS,
    NAME_PARTICLES,
    PRONOUNS,
    REPORTING_VERBS,
    SENTENCE_STARTERS,
    TITLE_WORDS,
)
from extractor.segments import Segment, paragraphs, sentences

__all__ = ["Cue", "NameCandidate", "Quote", "SentenceInfo", "analyse"]

_QUOTE_PATTERNS = (
    re.compile(r"“([^“”\n]{2,800}?)”"),
    re.compile(r"''(?=\S)([^\n]{2,800}?)(?<=\S)''"),
    re.compile(r"\"([^\"\n]{2,800}?)\""),
    re.compile(r"«\s?([^«»\n]{2,800}?)\s?»"),
    re.compile(r"‘([^‘’\n]{2,300}?)’(?![A-Za-z])"),
    re.compile(r"(?<![\w'’])'(?=\S)([^'\n]{2,300}?)(?<=\S)'(?![\w])"),
)
# Initials keep their dots ("G.K."); other words stop before a full stop, so names never span sentences.
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-Þ][\w’'\-]*(?:\.(?=[A-Za-z]))?[\w’'\-]*)"
# A middle initial ("Leonard E. Burman") joins the words around it; an initial ending a sentence does not,
# because a lone letter with a dot is only accepted between two capitalised words.
_NAME = re.compile(
    rf"{_WORD}(?:\s+(?:[A-Z]\.\s+)?(?:(?:{'|'.join(sorted(NAME_PARTICLES))})\s+)?{_WORD})*", re.UNICODE
)
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z]")
_PRONOUN = re.compile(r"\b(?:" + "|".join(sorted(PRONOUNS)) + r")\b", re.IGNORECASE)
_GROUP = re.compile(
    r"\b(?:(?:the|a|new|some|many|other|several|two|three|local|senior|political|security|foreign|US|U\.S\.|Mexican)\s+)*"
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
    for pattern in _QUOTE_PATTERNS:
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


def _cue_spans(segment: Segment) -> list[Cue]:
    """Reporting expressions by a word scan: a set lookup per word instead of a 200-way alternation."""
    found: list[Cue] = []
    text = segment.text
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
        found.append(Cue(segment.start + match.start(), segment.start + end, text[match.start() : end]))
    return found


def _cues(segment: Segment) -> tuple[Cue, ...]:
    """Reporting expressions, minus capitalised words (``State``) and nouns after articles (``a warning``)."""
    kept: list[Cue] = []
    for cue in _cue_spans(segment):
        offset = cue.start - segment.start
        if cue.text[0].isupper() and offset > 0:
            continue
        before = segment.text[:offset].split()
        if before and before[-1].lower() in {"a", "an", "the", "this", "that", "his", "her", "their", "its"}:
            continue
        kept.append(cue)
    return tuple(kept)


def _names(segment: Segment, quotes: list[Quote]) -> tuple[NameCandidate, ...]:
    found: list[NameCandidate] = []
    for match in _NAME.finditer(segment.text):
        start = segment.start + match.start()
        raw = match.group(0).rstrip(".'’-")
        # Drop a possessive, so "Trump's" is a mention of "Trump".
        raw = re.sub(r"[’']s$", "", raw)
        words = raw.split()
        initial = match.start() == 0 or segment.text[: match.start()].strip() in {'"', "“", "‘", "'", "("}
        # Sentence-initial function words are capitalised by position, not because they name anything.
        while words and words[0].lower() in SENTENCE_STARTERS:
            start += len(words[0]) + 1
            while start < segment.end and segment.text[start - segment.start] == " ":
                start += 1
            words = words[1:]
            initial = False
        if not words:
            continue
        name = " ".join(words)
        end = start + len(name)
        if any(q.start <= start and end <= q.end for q in quotes) and len(words) == 1:
            continue
        if all(word.lower() in TITLE_WORDS for word in words):
            continue
        if _PARTY_TAG.match(name) or (len(words) == 1 and ("’" in name or "'" in name)):
            continue
        if len(words) == 1 and any(q.start <= start and end <= q.end for q in quotes):
            continue
        found.append(NameCandidate(start, end, name, initial))
    return tuple(found)


def analyse(text: str) -> list[SentenceInfo]:
    """Every body sentence (headlines excluded) with its quotes, cues, names, pronouns and group nouns."""
    infos: list[SentenceInfo] = []
    for paragraph_index, paragraph in enumerate(paragraphs(text)):
        if paragraph.headline:
            continue
        paragraph_quotes = find_quotes(text, paragraph.start, paragraph.end)
        for sentence in sentences(text, paragraph):
            words = {word.lower() for word in _TOKEN.findall(sentence.text)}
            quotes = [q for q in paragraph_quotes if sentence.start <= q.start < sentence.end]
            infos.append(
                SentenceInfo(
                    segment=sentence,
                    index=len(infos),
                    paragraph_index=paragraph_index,
                    quotes=tuple(quotes),
                    cues=_cues(sentence),
                    names=_names(sentence, quotes),
                    pronouns=_spans(_PRONOUN, sentence) if words & PRONOUNS else (),
                    groups=_spans(_GROUP, sentence) if words & GROUP_NOUNS else (),
                )
            )
    return infos
