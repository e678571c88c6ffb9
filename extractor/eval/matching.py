"""How gold and predicted items are compared: spans, names and actor kinds. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from schemas import Actor, Span

__all__ = [
    "Interval",
    "actor_named",
    "content_overlap",
    "gold_content",
    "gold_interval",
    "interval",
    "kind_families",
    "max_matching",
    "name_tokens",
    "names_match",
    "overlap",
]

Interval = tuple[int, int]
"""A ``[start, end)`` character range."""

_KIND_FAMILIES: dict[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "organization": frozenset({"organization"}),
    "media": frozenset({"organization"}),
    "group": frozenset({"organization", "person"}),
    "government": frozenset({"organization", "place"}),
    # GUM types a country as an organization when it acts ("North Korea said") and a place otherwise.
    "country": frozenset({"place", "organization"}),
    "place": frozenset({"place"}),
    # Our "other" holds places acting as jurisdictions (states, cities, regions).
    "other": frozenset({"other", "place"}),
    # Gold types that say nothing about the family.
    "unknown": frozenset({"person", "organization", "place", "other"}),
    "person_or_org": frozenset({"person", "organization"}),
}

_TITLE_WORDS = frozenset(
    "the mr mrs ms dr sen senator rep gov governor president former gen general secretary minister".split()
)


def kind_families(kind: str) -> frozenset[str]:
    """The families an actor kind (ours or a gold type) belongs to."""
    return _KIND_FAMILIES.get(kind.lower(), frozenset({kind.lower()}))


def name_tokens(name: str) -> list[str]:
    """Casefolded words of a name without titles or possessive ``'s``."""
    words = re.findall(r"[\w]+(?:['’][\w]+)*", name.casefold())
    words = [re.sub(r"['’]s$", "", word) for word in words]
    return [word for word in words if word not in _TITLE_WORDS]


def names_match(a: str, b: str) -> bool:
    """Whether two names refer to the same actor: same words, one within the other, or the same surname."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    sa, sb = set(ta), set(tb)
    if sa <= sb or sb <= sa:
        return True
    return ta[-1] == tb[-1] and len(ta[-1]) > 2


def actor_named(actor: Actor, name: str) -> bool:
    """Whether an actor's name or canonical name matches ``name``."""
    return names_match(actor.name, name) or names_match(actor.canonical_name, name)


def interval(span: Span | None) -> Interval | None:
    """The offsets of a predicted span; None when it is missing or ungrounded."""
    if span is None or span.start is None or span.end is None:
        return None
    return (span.start, span.end)


def gold_interval(span: Mapping[str, Any] | None) -> Interval | None:
    """The offsets of a gold span dict (``{start, end, text}``); None when absent."""
    if not span or span.get("start") is None or span.get("end") is None:
        return None
    return (int(span["start"]), int(span["end"]))


def gold_content(claim: Mapping[str, Any]) -> list[Interval]:
    """The pieces of a gold claim's content (PolNeAR content may be split around the cue)."""
    content = claim.get("content") or {}
    spans = content.get("spans") or []
    if spans:
        return [(int(start), int(end)) for start, end in spans]
    one = gold_interval(content)
    return [one] if one else []


def overlap(a: Interval, b: Interval) -> int:
    """Characters two ranges share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def content_overlap(pred: Interval, gold: Sequence[Interval]) -> int:
    """Characters shared, or 0 when that is less than half of the shorter side."""
    shared = sum(overlap(pred, part) for part in gold)
    shorter = min(pred[1] - pred[0], sum(end - start for start, end in gold))
    return shared if shorter > 0 and shared > 0 and 2 * shared >= shorter else 0


def max_matching(edges: Sequence[Sequence[int]]) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths): gold index -> predicted index.

    ``edges[g]`` lists the predicted items gold item ``g`` may match, best first.
    """
    owner: dict[int, int] = {}

    def augment(gold: int, seen: set[int]) -> bool:
        for pred in edges[gold]:
            if pred in seen:
                continue
            seen.add(pred)
            if pred not in owner or augment(owner[pred], seen):
                owner[pred] = gold
                return True
        return False

    for gold in range(len(edges)):
        augment(gold, set())
    return {gold: pred for pred, gold in owner.items()}
