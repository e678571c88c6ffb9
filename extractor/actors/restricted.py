"""Groups that a pronoun and its relative clause name: "Everyone I interviewed", "Those who oppose the plan".

A quantifier pronoun says no one in particular; restricted by a relative clause it names the people the
article speaks of, and as the subject of a reporting verb it speaks ("Everyone I interviewed criticized the
proposal"). Only such speakers are kept: as the subject of any other verb ("those who do not fight racism
are contributing to it") the phrase describes people rather than naming a party to the story. Reads the
parse's subject and ``relcl`` arcs and lemmas; writes nothing, returns the groups' offsets.
"""

from __future__ import annotations

from extractor.text.lexicon import REPORTING_LEMMAS
from extractor.text.tokens import TokenTable

__all__ = ["restricted_groups"]

_QUANTIFIERS = frozenset({"everyone", "everybody", "anyone", "anybody", "those", "many", "others", "all"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _last_below(table: TokenTable, token: int) -> int:
    """The last token of ``token``'s subtree."""
    last = token
    for child in table.children(token):
        if child > last:
            last = max(last, _last_below(table, child))
    return last


def restricted_groups(table: TokenTable) -> list[tuple[int, int]]:
    """(start, end) of each reporting verb's subject pronoun with the relative clause that restricts it."""
    found: list[tuple[int, int]] = []
    for token, lower in enumerate(table.lower):
        if lower not in _QUANTIFIERS or table.dep[token] not in _SUBJECTS:
            continue
        if table.lemma[table.head[token]] not in REPORTING_LEMMAS:
            continue
        clauses = [child for child in table.children(token) if child > token and table.dep[child] == "relcl"]
        if clauses:
            last = _last_below(table, clauses[0])
            while last > token and table.punct[last]:
                last -= 1
            found.append((table.idx[token], table.end[last]))
    return found
