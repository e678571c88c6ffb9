"""The text layer: what code reads off an article before any model sees it, always with character offsets.

Owns paragraphs and sentences (:mod:`.segments`), windows over long articles (:mod:`.chunking`), the
scan for quotations, attribution cues and name-like spans (:mod:`.candidates`, on the word lists of
:mod:`.lexicon` and the fast whole-word patterns of :mod:`.patterns`), and grounding: locating a piece of
text in the article exactly, normalised or fuzzily, with an alignment status (:mod:`.grounding`). Every
offset in the output comes from here, never from a model.
"""

from __future__ import annotations

from extractor.text.candidates import Cue, NameCandidate, Quote, SentenceInfo, analyse
from extractor.text.chunking import window_for, windows
from extractor.text.grounding import Grounder, exact_span, normalise
from extractor.text.segments import Segment, paragraphs, sentences

__all__ = [
    "Cue",
    "Grounder",
    "NameCandidate",
    "Quote",
    "Segment",
    "SentenceInfo",
    "analyse",
    "exact_span",
    "normalise",
    "paragraphs",
    "sentences",
    "window_for",
    "windows",
]
