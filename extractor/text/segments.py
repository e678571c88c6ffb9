"""Split an article into paragraphs and sentences, keeping character offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from extractor.text.lexicon import ABBREVIATIONS

__all__ = ["Segment", "paragraphs", "parsed_sentences", "sentences"]


_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"”’')\]]*$")
_INITIALS = re.compile(r"^(?:[a-z]\.)*[a-z]$")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+)")


@dataclass(frozen=True)
class Segment:
    """A paragraph or sentence of the article.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        text: ``article[start:end]``.
        headline: True for lines without closing punctuation (titles, section heads).
    """

    start: int
    end: int
    text: str
    headline: bool = False


def paragraphs(text: str) -> list[Segment]:
    """Non-empty lines (or blank-line-separated blocks) with offsets; headline lines flagged."""
    return list(_paragraphs(text))


# Three stages of one extraction (candidates, headline claims, entities) split the same article.
@lru_cache(maxsize=8)
def _paragraphs(text: str) -> tuple[Segment, ...]:
    found: list[Segment] = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        headline = len(stripped) < 200 and (not _ENDS_SENTENCE.search(stripped) or _title_case(stripped))
        found.append(Segment(start, end, stripped, headline))
    return tuple(found)


def sentences(text: str, paragraph: Segment) -> list[Segment]:
    """Sentences of one paragraph, with article offsets."""
    body = paragraph.text
    found: list[Segment] = []
    begin = 0
    for match in _SENTENCE_END.finditer(body):
        cut = match.end()
        words = body[begin : match.start()].rsplit(None, 1)
        last_word = words[-1].lower().rstrip(".") if words else ""
        if last_word in ABBREVIATIONS or _INITIALS.match(last_word):
            continue
        if _inside_quotation(body, begin, cut):
            continue
        # Offsets instead of slicing the rest of the paragraph at every candidate break.
        following = _skip_blanks(body, cut)
        if following < len(body) and not (body[following].isupper() or body[following] in "\"“‘'(0123456789"):
            continue
        found.append(_segment(paragraph, begin, cut))
        begin = following
    if begin < len(body):
        found.append(_segment(paragraph, begin, len(body)))
    return [segment for segment in found if segment.text]


_BLANKS = re.compile(r"\s*")


def _skip_blanks(body: str, at: int) -> int:
    blanks = _BLANKS.match(body, at)
    return blanks.end() if blanks else at  # \s* always matches; the branch is for the type checker


def _segment(paragraph: Segment, begin: int, end: int) -> Segment:
    piece = paragraph.text[begin:end]
    stripped = piece.strip()
    offset = paragraph.start + begin + (len(piece) - len(piece.lstrip()))
    return Segment(offset, offset + len(stripped), stripped, paragraph.headline)


def _inside_quotation(body: str, begin: int, end: int) -> bool:
    """Whether a quotation opened in ``body[begin:end]`` is still open at its end (no break there)."""
    return body.count('"', begin, end) % 2 == 1 or body.count("“", begin, end) > body.count("”", begin, end)


def _title_case(line: str) -> bool:
    """Headline-style capitalisation: most words of three or more letters start upper-case."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def parsed_sentences(text: str, bounds: list[tuple[int, int]], paragraph: Segment) -> list[Segment]:
    """The parser's sentences (``bounds``, sorted ``(start, end)`` of the article) inside one paragraph.

    A quotation the parser cut in two is joined back: it is one claim, kept in one sentence.
    """
    first = max(0, bisect_right(bounds, (paragraph.start, paragraph.start)) - 1)
    pieces: list[tuple[int, int]] = []
    for sentence_start, sentence_end in bounds[first:]:
        if sentence_start >= paragraph.end:
            break
        start, end = max(sentence_start, paragraph.start), min(sentence_end, paragraph.end)
        if end <= start:
            continue
        if pieces and _inside_quotation(text, pieces[-1][0], pieces[-1][1]):
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    found: list[Segment] = []
    for start, end in pieces:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + len(piece) - len(piece.lstrip())
            found.append(Segment(offset, offset + len(stripped), stripped, paragraph.headline))
    return found
