"""The claims stage: attribution read off the text.

Owns claim candidates from quotations and cue sentences with the speaker the syntax names
(:mod:`.attribution`), the one question for the model (the speaker of a claim whose syntax names none,
among the roster's ids, :mod:`.questions`), and the public :class:`schemas.Claim` list with exact spans
(:mod:`.build`).
"""

from __future__ import annotations

from extractor.claims.attribution import ClaimCandidate, find_claims
from extractor.claims.build import build_claims, drafted_claims, spoken_by
from extractor.claims.questions import speaker_questions

__all__ = [
    "ClaimCandidate",
    "build_claims",
    "drafted_claims",
    "find_claims",
    "speaker_questions",
    "spoken_by",
]
