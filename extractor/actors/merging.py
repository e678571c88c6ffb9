"""Roster clean-up after the entity pass: common words dropped, short forms joined to their full names.

Reads the parse's part-of-speech tags and the draft actors; deletes drafts and moves aliases between them.
The small English model labels a capitalised common noun at a sentence start as a name now and then
("Iodine deficiency can ..."), and lists an abbreviation ("KCNA") or a name's first word ("the Church")
as an actor of its own beside the full name the article introduced.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING

from extractor.actors.drafts import ActorDraft
from extractor.text.tokens import token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["drop_common_words", "join_short_forms"]

_NAME_TAGS = frozenset({"PROPN"})
_SKIPPED_IN_INITIALS = frozenset({"of", "the", "for", "and", "on", "in", "to", "de", "'s", "’s"})
_ORGANISATION_KINDS = frozenset({"organization", "media", "government"})
_PART_OF_A_BODY = frozenset({"committee", "subcommittee", "caucus", "panel", "delegation"})
"""Last words of a group drawn from a larger body, which the body's own name does not stand for."""


def drop_common_words(text: str, doc: Doc, actors: dict[str, ActorDraft]) -> None:
    """Delete one-word drafts that the article also writes in lower case and the tagger reads as common.

    A word capitalised where a sentence or a quotation opens ("Iodine", "Foolhardy", "Homeopathy") is a
    common word when the article also writes it in lower case and either the tagger calls one of its
    capitalised occurrences common or none stands inside a sentence; a word the tagger reads only as
    common is dropped whatever the article writes.
    """
    singles = {
        actor.canonical: key
        for key, actor in actors.items()
        if " " not in actor.canonical
        and actor.canonical[:1].isupper()
        and actor.kind != "country"
        and not actor.canonical.isupper()
    }
    table = token_table(doc)
    for word, key in singles.items():
        tags: set[str] = set()
        mid_sentence = False
        for start, end in _whole_words(text, word):
            # The one token the word is (``doc.char_span(start, end)`` of length one), by binary search.
            i = bisect_left(table.idx, start)
            if i == len(table.idx) or table.idx[i] != start or table.end[i] != end:
                continue
            tags.add(table.pos[i])
            if not doc[i].is_sent_start and not (i and doc[i - 1].is_quote):
                mid_sentence = True
        if not tags:
            continue
        lowered = next(_whole_words(text, word.lower()), None) is not None
        common_tag = not tags <= _NAME_TAGS
        if (common_tag and (lowered or not tags & _NAME_TAGS)) or (lowered and not mid_sentence):
            del actors[key]


def _whole_words(text: str, word: str) -> Iterator[tuple[int, int]]:
    r"""Where ``word`` stands whole, as ``(?<![\w-])word(?![\w-])`` finds it, left to right.

    The pattern is tried only where ``str.find`` puts the word: a pattern opening with a lookbehind is
    otherwise tried at every character of the article.
    """
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    at = text.find(word)
    while at != -1:
        match = pattern.match(text, at)
        if match is None:
            at = text.find(word, at + 1)
        else:
            yield match.start(), match.end()
            at = text.find(word, match.end())


def _initials(name: str) -> str:
    words = re.findall(r"[\w’']+", name)
    return "".join(word[0] for word in words if word.lower() not in _SKIPPED_IN_INITIALS).upper()


def join_short_forms(actors: dict[str, ActorDraft]) -> None:
    """Fold an abbreviation, a lone first word or an unqualified name into the one longer name it stands for.

    ``KCNA`` joins ``Korean Central News Agency`` (its initials); ``Church`` joins ``Church of
    Scientology`` when that is the only organisation whose name opens with it (``House`` does not join
    ``House Intelligence Committee``: a committee is part of a body); ``Intelligence Committee``
    joins ``House Intelligence Committee`` when that is the only organisation whose name ends with it (an
    article about both chambers' committees keeps the short name apart). The longer name stays the
    canonical one; the short form becomes an alias.
    """
    long_names = [a for a in actors.values() if len(a.canonical.split()) > 1]
    for key, actor in list(actors.items()):
        short = actor.canonical
        if " " in short:
            matches = _qualified_forms(actor, long_names)
        elif short.isupper() and 2 <= len(short) <= 6:
            matches = [a for a in long_names if a is not actor and _initials(a.canonical) == short]
        elif actor.kind is None or actor.kind in _ORGANISATION_KINDS:
            # A place keeps its name ("Sydney" is not "Sydney Morning Herald"), and a body its own: "the
            # House" is the chamber, not the "House Intelligence Committee" of its members.
            matches = [
                a
                for a in long_names
                if a is not actor
                and a.kind in _ORGANISATION_KINDS
                and a.canonical.split()[0] == short
                and a.canonical.split()[-1].lower() not in _PART_OF_A_BODY
            ]
        else:
            continue
        matches = [match for match in matches if any(match is kept for kept in actors.values())]
        if len(matches) != 1:
            continue
        owner = matches[0]
        owner.aliases |= actor.aliases | {short}
        if owner.kind is None:
            owner.kind, owner.kind_disputed = actor.kind, actor.kind_disputed
        del actors[key]


def _qualified_forms(actor: ActorDraft, long_names: list[ActorDraft]) -> list[ActorDraft]:
    """The organisations whose names are this organisation's name with words put before it."""
    if actor.kind not in _ORGANISATION_KINDS:
        return []
    words = actor.canonical.split()
    return [
        other
        for other in long_names
        if other is not actor
        and other.kind in _ORGANISATION_KINDS
        and len(other.canonical.split()) > len(words)
        and other.canonical.split()[-len(words) :] == words
    ]
