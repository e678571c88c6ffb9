"""Groups that a pronoun and its relative clause name: "Everyone I interviewed", "Those who oppose the plan".

A quantifier pronoun says no one in particular; restricted by a relative clause it names the people the
article speaks of, and as the subject of a reporting verb it speaks ("Everyone I interviewed criticized the
proposal"). Only such speakers are kept: as the subject of any other verb ("those who do not fight racism
are contributing to it") the phrase describes people rather than naming a party to the story. Reads the
parse's subject and ``relcl`` arcs, lemmas and subtree edges; writes nothing, returns the groups' offsets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.text.lexicon import REPORTING_LEMMAS
from extractor.text.tokens import TokenTable

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["restricted_groups"]

_QUANTIFIERS = frozenset({"everyone", "everybody", "anyone", "anybody", "those", "many", "others", "all"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def restricted_groups(doc: Doc, table: TokenTable) -> list[tuple[int, int]]:
    """(start, end) of each reporting verb's subject pronoun with the relative clause that restricts it."""
    found: list[tuple[int, int]] = []
    for token, lower in enumerate(table.lower):
        if lower not in _QUANTIFIERS or table.dep[token] not in _SUBJECTS:
            continue
        if table.lemma[table.head[token]] not in REPORTING_LEMMAS:
            continue
        clauses = [child for child in table.children(token) if child > token and table.dep[child] == "relcl"]
        if clauses:
            last = doc[clauses[0]].right_edge.i
            while last > token and table.punct[last]:
                last -= 1
            found.append((table.idx[token], table.end[last]))
    return found
