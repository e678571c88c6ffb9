"""The claims stage: attribution read off the text.

Owns the claim candidate and its speech act and modality (:mod:`.candidate`); claims from quotations,
headlines and transcript turns with the speaker code reads around them (:mod:`.attribution`); claims
from the dependency parse, a reporting verb with its subject and complement (:mod:`.syntactic`); the
one question for the model (the speaker of a claim whose syntax names none, over the passage around it
and the actors it mentions, :mod:`.questions`); and the public :class:`schemas.Claim` list with exact
spans (:mod:`.build`).
"""

from __future__ import annotations

from extractor.claims.attribution import find_claims
from extractor.claims.build import build_claims, drafted_claims, spoken_by
from extractor.claims.candidate import ClaimCandidate
from extractor.claims.questions import speaker_questions

__all__ = [
    "ClaimCandidate",
    "build_claims",
    "drafted_claims",
    "find_claims",
    "speaker_questions",
    "spoken_by",
]
