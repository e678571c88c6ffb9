"""Synthetic news articles for load tests: invented people and bodies, quotes, ``said`` sentences.

The texts are made up from templates (never from the evaluation set) and deterministic for a seed, so
runs compare. Each article mixes the attribution shapes the pipeline looks for: quotes with a named
speaker, quotes closed by a pronoun (which the pipeline must ask the model about), reported speech,
``according to`` and plain narration.
"""

from __future__ import annotations

import random

__all__ = ["article", "articles", "quoted_article"]

_FIRST = [
    "Maria",
    "Daniel",
    "Aiko",
    "Tomasz",
    "Leila",
    "Samuel",
    "Ingrid",
    "Rafael",
    "Nadia",
    "Oren",
    "Priya",
    "Kwame",
    "Elena",
    "Victor",
    "Hana",
    "Marcus",
    "Sofia",
    "Idris",
    "Clara",
    "Jonas",
]
_LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Castellano",
    "Haddad",
    "Brennan",
    "Nakamura",
    "Petrov",
    "Osei",
    "Varga",
    "Delacroix",
    "Quispe",
    "Halvorsen",
    "Mbeki",
    "Rinaldi",
    "Kowalczyk",
    "Farouk",
    "Ashby",
]
_TITLES = ["President", "Senator", "Minister", "Governor", "Mayor", "Commissioner", "General", "Ambassador"]
_ROLES = ["spokesperson", "chief economist", "director", "deputy minister", "union leader", "analyst"]
_ORGS = [
    "the Ministry of Water",
    "the Northern Transit Authority",
    "the Coastal Farmers Union",
    "the Central Statistics Office",
    "the Harbour Workers Federation",
    "the Institute for Fiscal Study",
    "the Eastland Chamber of Commerce",
    "the National Grid Board",
]
_PLACES = ["Eastland", "Norvania", "the river provinces", "Port Aldane", "the capital", "the border region"]
_TOPICS = [
    "the new tariff schedule",
    "the water rationing plan",
    "the border inspection rules",
    "the pension reform bill",
    "the fuel subsidy cut",
    "the port expansion",
    "the housing levy",
    "the emergency grain reserve",
]
_VERBS = ["said", "warned", "argued", "insisted", "told reporters", "added", "claimed", "promised"]
_QUOTES = [
    "We will not accept {topic} in its current form",
    "This plan puts families in {place} at risk and we intend to stop it",
    "The numbers simply do not add up, and everyone in this building knows it",
    "We have a responsibility to act before the summer, whatever the cost",
    "Nobody consulted the people who will pay for {topic}",
    "If the vote goes ahead next week, we will take the matter to court",
    "{topic} is the most important decision this government will make",
    "Our members are ready to support a compromise, but not this one",
]
_NARRATION = [
    "The proposal was published on Monday after months of negotiation between the two chambers.",
    "Officials in {place} have spent the past year preparing for a decision on {topic}.",
    "Markets reacted calmly to the announcement, with bond yields little changed by the afternoon.",
    "The debate has divided the ruling coalition, whose majority rests on a handful of seats.",
    "Critics point to a similar scheme abandoned a decade ago after costs doubled.",
    "A vote is expected before the end of the month, according to the parliamentary calendar.",
]


def _person(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(_TITLES), rng.choice(_FIRST), rng.choice(_LAST)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(topic=rng.choice(_TOPICS), place=rng.choice(_PLACES))


def _paragraph(rng: random.Random) -> str:
    title, first, last = _person(rng)
    quote = _fill(rng.choice(_QUOTES), rng)
    org = rng.choice(_ORGS)
    shapes = [
        f'"{quote}," {rng.choice(_VERBS)} {title} {first} {last}.',
        f"{first} {last}, the {rng.choice(_ROLES)} of {org}, said {_fill(rng.choice(_QUOTES), rng).lower()}.",
        f'"{quote}," {last} said. "{_fill(rng.choice(_QUOTES), rng)}," he added.',
        f"According to {org}, {_fill(rng.choice(_NARRATION), rng).lower()}",
        f"“{quote},” {rng.choice(_VERBS)} {first} {last}, speaking in {rng.choice(_PLACES)}.",
    ]
    sentences = rng.sample(shapes, k=2) + [_fill(rng.choice(_NARRATION), rng)]
    rng.shuffle(sentences)
    return " ".join(sentences)


def article(index: int, target_chars: int = 3000, seed: int = 0) -> str:
    """One synthetic article of about ``target_chars`` characters (never shorter)."""
    rng = random.Random(f"{seed}:{index}:{target_chars}")
    topic = rng.choice(_TOPICS)
    parts = [f"{rng.choice(_PLACES).capitalize()} divided over {topic}"]
    size = len(parts[0])
    while size < target_chars:
        paragraph = _paragraph(rng)
        parts.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(parts)


def articles(count: int, target_chars: int = 3000, seed: int = 0) -> list[str]:
    """``count`` distinct synthetic articles."""
    return [article(i, target_chars, seed) for i in range(count)]


def quoted_article(quotes: int, target_chars: int, seed: int = 0) -> tuple[str, list[str]]:
    """An article of about ``target_chars`` holding ``quotes`` distinct quotations, and those quotations.

    Every quotation is unique (it carries its own number), so a grounder has to find each one.
    """
    rng = random.Random(f"quotes:{seed}:{quotes}:{target_chars}")
    found: list[str] = []
    parts: list[str] = []
    filler_each = max(0, target_chars // max(quotes, 1) - 200)
    for number in range(quotes):
        title, first, last = _person(rng)
        quote = f"{_fill(rng.choice(_QUOTES), rng)}, point {number + 1}"
        found.append(quote)
        narration = ""
        while len(narration) < filler_each:
            narration += " " + _fill(rng.choice(_NARRATION), rng)
        parts.append(f'"{quote}," {rng.choice(_VERBS)} {title} {first} {last}.{narration}')
    text = "\n\n".join(parts)
    while len(text) < target_chars:
        text += " " + _fill(rng.choice(_NARRATION), rng)
    return text, found
