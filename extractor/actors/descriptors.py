"""Words beside a person's name that describe the person and name no actor of their own.

"Rep. Mark Walker, North Carolina Republican" (a party and state in apposition), "Another Republican"
(one member of a party), "California’s Xavier Becerra" (a possessor before the name). Reads the parse's
entity labels and arcs; writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.text.candidates import NameCandidate
from extractor.text.tokens import TokenTable, char_tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["after_possessive", "described_person", "member_word", "party_of"]

_PARTIES = {"republican": "Republican Party", "democrat": "Democratic Party"}
"""The party a member's descriptor names."""


def party_of(table: TokenTable, token: int) -> str | None:
    """The party a descriptor's last word names ("Republican" -> "Republican Party"), if any."""
    return _PARTIES.get(table.lower[token])


def described_person(table: TokenTable, tokens: tuple[int, int] | None) -> tuple[int, int] | None:
    """(the person's last token, the descriptor's last) when the name describes the person beside it.

    ``tokens`` is the name's token range. "Rep. Mark Walker, North Carolina Republican", "Rep. Val
    Demmings Florida Democrat": place and nationality words set beside a person's name in apposition say
    who the person is and name no actor.
    """
    if tokens is None:
        return None
    first, stop = tokens
    last = stop - 1
    person = table.head[last]
    if table.dep[last] != "appos" or table.ent_type[last] != "NORP" or table.ent_type[person] != "PERSON":
        return None
    if any(table.ent_type[token] not in ("GPE", "NORP") for token in range(first, last)):
        return None
    return person, last


def member_word(doc: Doc, table: TokenTable, candidate: NameCandidate) -> bool:
    """One member of a party ("Republican", "Democrat"), which names no actor of its own.

    The plural ("Republicans") names the party's members as a group and is found as one.
    """
    tokens = char_tokens(doc, candidate.start, candidate.end)
    if tokens is None or tokens[1] - tokens[0] != 1:
        return False
    token = tokens[0]
    return table.ent_type[token] == "NORP" and table.lower[token] in _PARTIES


def after_possessive(table: TokenTable, tokens: tuple[int, int] | None) -> int | None:
    """Where a person's name starts after a possessor that opens the run ("California’s Xavier Becerra").

    ``tokens`` is the run's token range.
    """
    if tokens is None:
        return None
    first, stop = tokens
    for token in range(first + 1, stop - 1):
        if table.dep[token] == "case" and table.lower[token] in ("'s", "’s"):
            following = token + 1
            if table.ent_type[following] == "PERSON" and not table.ent_inside[following]:
                return table.idx[following]
            return None
    return None
