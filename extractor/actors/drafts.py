"""The actors stage's working objects: draft actors, their mentions, and the roster that holds both."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from schemas import ActorKind

__all__ = ["ActorDraft", "Mention", "Roster", "slug"]


@lru_cache(maxsize=16384)
def slug(name: str) -> str:
    """A stable, readable id from a name (``Claudia Sheinbaum`` -> ``claudia-sheinbaum``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return (value or "actor")[:60]


@dataclass
class ActorDraft:
    """An actor being assembled from mentions.

    Attributes:
        canonical: Name without titles.
        written: Fullest form as written, title included.
        kind: Decided kind, or None while the model has to decide.
        title: Title or role from the words before the name.
        affiliation: Country from a nationality word or the title.
        aliases: Surface forms that refer to this actor.
        mentions: (start, end) of every reference found.
        kind_disputed: The entity recogniser labelled the name in ways that disagree, or not at all
            although it speaks: the kind is put to the model.
    """

    canonical: str
    written: str
    kind: ActorKind | None
    title: str | None = None
    affiliation: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    kind_disputed: bool = False

    @property
    def id(self) -> str:
        """Stable id derived from the canonical name."""
        return slug(self.canonical)


@dataclass(frozen=True)
class Mention:
    """A reference to an actor at a place in the text."""

    start: int
    end: int
    actor: ActorDraft
    via: str  # name, pronoun, title, group


@dataclass
class Roster:
    """All actors of an article and where each is mentioned."""

    actors: list[ActorDraft]
    mentions: list[Mention]
    _start_index: list[int] = field(default_factory=list)

    def by_id(self) -> dict[str, ActorDraft]:
        """Actors keyed by id."""
        return {actor.id: actor for actor in self.actors}

    def by_alias(self) -> dict[str, ActorDraft]:
        """Actors keyed by every lowercased alias; the first actor holding an alias keeps it."""
        owners: dict[str, ActorDraft] = {}
        for actor in self.actors:
            for alias in actor.aliases:
                owners.setdefault(alias.lower(), actor)
        return owners

    def in_range(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)``, in text order (mentions are kept sorted by start)."""
        mentions = self.mentions
        found: list[Mention] = []
        # By index: a slice would copy the rest of the article's mentions for the few asked for.
        for at in range(bisect.bisect_left(self._starts(), start), len(mentions)):
            mention = mentions[at]
            if mention.start >= end:
                break
            if mention.end <= end:
                found.append(mention)
        return found

    def add_subject(self, name: str, kind: ActorKind, start: int, end: int) -> Mention:
        """A mention of the actor a reporting verb's subject phrase names, the actor made when new.

        For subjects the entity scan did not list ("Several experts", "the agency"): one actor per name,
        matched case-insensitively, so "experts" twice in an article is one actor.
        """
        owner = self._alias_owner(name.lower())
        if owner is None:
            owner = ActorDraft(canonical=name, written=name, kind=kind)
            owner.aliases.add(name)
            self.actors.append(owner)
        mention = Mention(start, end, owner, "subject")
        if (start, end) not in owner.mentions:
            owner.mentions.append((start, end))
            owner.mentions.sort()
        starts = self._starts()
        at = bisect.bisect_left(starts, start)
        self.mentions.insert(at, mention)
        starts.insert(at, start)
        return mention

    def _alias_owner(self, alias: str) -> ActorDraft | None:
        """``by_alias().get(alias)`` for one lowercased alias, without building the whole map."""
        for actor in self.actors:
            for known in actor.aliases:
                if known.lower() == alias:
                    return actor
        return None

    def _starts(self) -> list[int]:
        if len(self._start_index) != len(self.mentions):
            self._start_index = [mention.start for mention in self.mentions]
        return self._start_index
