"""The actors stage: mentions -> actors.

Owns the roster (names, titles, appositions, aliases and surnames grouped into one draft actor each,
:mod:`.roster`), the resolution of a subject mention (name, pronoun, "the president") to its actor
(:mod:`.resolver`), the one question for the model (the kind of names code cannot classify,
:mod:`.questions`), and the public :class:`schemas.Actor` list with unique ids (:mod:`.build`).
"""

from __future__ import annotations

from extractor.actors.build import ActorTable, SpokenBy, build_actors
from extractor.actors.questions import kind_questions
from extractor.actors.resolver import MentionResolver
from extractor.actors.roster import ActorDraft, Mention, Roster, build_roster

__all__ = [
    "ActorDraft",
    "ActorTable",
    "Mention",
    "MentionResolver",
    "Roster",
    "SpokenBy",
    "build_actors",
    "build_roster",
    "kind_questions",
]
