"""The public actors: the roster's drafts with their final kinds, unique ids and every mention."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.actors.roster import ActorDraft, Roster
from extractor.decisions import Decisions
from extractor.text.grounding import exact_span_fields
from extractor.text.lexicon import SOURCE_DOCUMENTS
from schemas import Actor, ActorKind

__all__ = ["ActorTable", "SpokenBy", "build_actors"]


@dataclass(frozen=True)
class SpokenBy:
    """A draft actor that code found speaking, and where the text refers to it near the claim."""

    actor: ActorDraft
    mention: tuple[int, int] | None


@dataclass
class ActorTable:
    """The actors stage's result: public actors, and each draft's public id."""

    actors: list[Actor] = field(default_factory=list)
    ids_by_draft: dict[int, str] = field(default_factory=dict)

    def id_of(self, draft: ActorDraft | None) -> str | None:
        """The public id of a draft (None for a draft that is not an actor, or no draft)."""
        return None if draft is None else self.ids_by_draft.get(id(draft))

    @property
    def ids(self) -> set[str]:
        """Every public actor id."""
        return set(self.ids_by_draft.values())


def _final_kind(actor: ActorDraft, decided: str | None, speaks: bool = False) -> ActorKind | None:
    # The model's answer settles a kind the tagger disputed or left open; otherwise the tagger's stands.
    kind = decided if decided and (actor.kind_disputed or actor.kind is None) else actor.kind or decided
    if kind == "not_an_actor":
        if not speaks:
            return None
        # Code found this name as the subject of a reporting verb: whatever the model thinks, it speaks.
        kind = None
    if kind == "other" and not speaks and _is_document(actor):
        # "said in a statement": a document is a claim's source when it speaks, and otherwise no actor.
        return None
    if kind == "place":
        # States, cities and regions act as jurisdictions in policy news; they are kept as "other".
        return "other"
    if kind is None:
        if not speaks:
            # Neither the word lists nor the entity recogniser call it an actor, and it says nothing.
            return None
        # It speaks: several capitalised words are most often a person's name.
        return "person" if len(actor.canonical.split()) > 1 else "other"
    return kind  # type: ignore[return-value]


def _is_document(actor: ActorDraft) -> bool:
    words = actor.canonical.lower().split()
    return bool(words) and words[-1] in SOURCE_DOCUMENTS


def build_actors(text: str, roster: Roster, decisions: Decisions, spoken: Iterable[SpokenBy]) -> ActorTable:
    """Public actors with unique ids, and the map from each draft (by identity) to its id.

    Speaker mentions found through pronouns and titles are added to the actor's mentions.
    """
    extra_mentions: dict[int, set[tuple[int, int]]] = {}
    speakers: set[int] = set()
    for item in spoken:
        speakers.add(id(item.actor))
        if item.mention is not None:
            extra_mentions.setdefault(id(item.actor), set()).add(item.mention)
    table = ActorTable()
    used: set[str] = set()
    for draft in roster.actors:
        kind = _final_kind(draft, decisions.kinds.get(draft.id), id(draft) in speakers)
        spans = sorted(set(draft.mentions) | extra_mentions.get(id(draft), set()))
        if kind is None or not spans:
            # No mention left: every place its name stands belongs to a longer name of another actor.
            continue
        actor_id = draft.id
        suffix = 2
        while actor_id in used:
            actor_id = f"{draft.id}-{suffix}"
            suffix += 1
        used.add(actor_id)
        table.actors.append(
            Actor.model_validate(
                {
                    "id": actor_id,
                    "name": draft.written[:200],
                    "canonical_name": draft.canonical[:200],
                    "kind": kind,
                    "title": draft.title,
                    "affiliation": draft.affiliation,
                    "mentions": [exact_span_fields(text, start, end) for start, end in spans[:500]],
                }
            )
        )
        table.ids_by_draft[id(draft)] = actor_id
    return table
