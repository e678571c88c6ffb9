"""The positions stage: which policy or action each speaker takes a stance on.

Owns the position questions put to the model over known actor and claim ids (:mod:`.questions`) and
the public :class:`schemas.PolicyPosition` list, kept only where it rests on the holder's own claims
(:mod:`.build`).
"""

from __future__ import annotations

from extractor.positions.build import build_positions, drafted_positions
from extractor.positions.questions import Grouping, position_grouping, position_questions

__all__ = ["Grouping", "build_positions", "drafted_positions", "position_grouping", "position_questions"]
