"""The actors stage: mentions -> actors.

Owns the draft actors and their roster (:mod:`.drafts`); the roster built from capitalised names,
titles, appositions, aliases and surnames (:mod:`.roster`) with kinds and missing names from the
entity recogniser (:mod:`.entities`); every mention of every alias (:mod:`.mentions`); the resolution
of a subject mention (name, pronoun, "the president") to its actor (:mod:`.resolver`); and the public
:class:`schemas.Actor` list with unique ids (:mod:`.build`). Kinds come from the tagger; the one model
question (:mod:`.questions`) asks only the kinds the tagger disputes, over the sentences that name them;
a name neither the word lists nor the tagger call an actor is kept only when it speaks.
"""

from __future__ import annotations

from extractor.actors.build import ActorTable, SpokenBy, build_actors
from extractor.actors.questions import disputed_kinds, kind_questions
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
    "disputed_kinds",
    "kind_questions",
]
