"""Kinds the article states: the common noun a name stands beside.

"Valeska Paris, an Australian woman", "its elite group the Sea Org", "the town of Yeoncheon": the
article says what the name is, and that outranks the entity recogniser's guess from the name's letters
(it labels "Valeska" a place, "the Sea Org" a location and "Yeoncheon" an organisation). Reads the
parse's ``appos`` arcs and ``the NOUN of NAME``; writes nothing, returns the kinds stated per name.

A post-nominal after a person's name ("Mark Tedeschi, QC,") and a second description beside one ("an
Australian woman and former Scientologist") are set beside a name the same way: they describe it and
are no other actor (:func:`describes_a_name`).
"""

from __future__ import annotations

from collections import Counter

from extractor.text.tokens import TokenTable
from schemas import ActorKind

__all__ = ["describes_a_name", "stated_kinds"]

_PERSON_NOUNS = frozenset(
    "woman man girl boy mother father wife husband son daughter sister brother widow widower grandmother "
    "grandfather resident citizen mum mom dad".split()
)
_ORGANIZATION_NOUNS = frozenset(
    "group organisation organization company firm agency party church union association charity "
    "movement corporation sect".split()
)
_PLACE_NOUNS = frozenset(
    "town city village county province region district island suburb municipality".split()
)
_NAME_PARTS = frozenset({"compound", "flat"})
_POST_NOMINAL_CHARS = 3


def _noun_kind(lemma: str) -> ActorKind | None:
    if lemma in _PERSON_NOUNS:
        return "person"
    if lemma in _ORGANIZATION_NOUNS:
        return "organization"
    if lemma in _PLACE_NOUNS:
        return "other"
    return None


def _stated(table: TokenTable, token: int) -> ActorKind | None:
    """The kind a common noun beside the name ending at ``token`` states, if any."""
    head = table.head[token]
    dep = table.dep[token]
    if dep == "appos" and table.pos[head] == "NOUN":
        # "its elite group the Sea Org"
        return _noun_kind(table.lemma[head])
    for child in table.children(token):
        if table.dep[child] == "appos" and table.pos[child] == "NOUN":
            # "Valeska Paris, an Australian woman"
            return _noun_kind(table.lemma[child])
    if dep == "pobj" and table.lower[head] == "of" and table.head[head] != head:
        # "the town of Yeoncheon"; "the mayor of Paris" names no kind of Paris.
        noun = table.head[head]
        if table.pos[noun] == "NOUN" and table.lemma[noun] in _PLACE_NOUNS:
            return "other"
    return None


def _name_key(text: str, table: TokenTable, token: int) -> str:
    """The name ending at ``token``: its compound words before it, lowercased, without an article."""
    start = token
    while start > 0 and table.head[start - 1] == token and table.dep[start - 1] in _NAME_PARTS:
        start -= 1
    return text[table.idx[start] : table.end[token]].lower()


def stated_kinds(text: str, table: TokenTable) -> dict[str, ActorKind]:
    """Lowercased name -> the kind the article states for it most often (names with a statement only)."""
    votes: dict[str, Counter[ActorKind]] = {}
    for token, pos in enumerate(table.pos):
        if pos != "PROPN" or table.dep[token] in _NAME_PARTS:
            continue
        kind = _stated(table, token)
        if kind is not None:
            votes.setdefault(_name_key(text, table, token), Counter())[kind] += 1
    return {name: counts.most_common(1)[0][0] for name, counts in votes.items()}


def describes_a_name(text: str, table: TokenTable, start: int, end: int) -> bool:
    """Whether the entity [start, end) describes a name it stands beside rather than naming an actor.

    A short capitalised rank in apposition to a person ("Mark Tedeschi, QC,"), or one word joined to a
    common noun in apposition ("Valeska Paris, an Australian woman and former Scientologist").
    """
    if end - start != 1:
        return False
    word = text[table.idx[start] : table.end[start]]
    head = table.head[start]
    dep = table.dep[start]
    if dep == "appos" and table.ent_type[head] == "PERSON":
        return len(word) <= _POST_NOMINAL_CHARS and word.isupper()
    return dep == "conj" and table.dep[head] == "appos" and table.pos[head] == "NOUN"
