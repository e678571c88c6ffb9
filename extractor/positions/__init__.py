"""The positions stage: the article's topics and each actor's stance on them, as an actor x topic matrix.

Owns the topic candidates code reads off the parse (:mod:`.candidates`), the two rounds of questions that
name the topics and decide each plausible (actor, topic) pair's stance (:mod:`.questions`), how each
answer's direction is settled (:mod:`.explicit`, :mod:`.polarity`, :mod:`.stances`; their words in
:mod:`.stance_words`), and the public :class:`schemas.Topic` and :class:`schemas.PolicyPosition` lists
built from the answers, every evidence span grounded by code (:mod:`.build`). The stage reads only public
objects: the article text, its parse, the actors and the claims.
"""

from __future__ import annotations

from extractor.positions.build import build_positions, drafted_positions
from extractor.positions.candidates import TopicCandidate, topic_candidates
from extractor.positions.questions import PositionPlan, plan_positions
from extractor.positions.stances import lexical_stance

__all__ = [
    "PositionPlan",
    "TopicCandidate",
    "build_positions",
    "drafted_positions",
    "lexical_stance",
    "plan_positions",
    "topic_candidates",
]
