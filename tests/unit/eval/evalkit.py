"""Builders for the evaluation tests: an invented article, spans found by text, gold dicts.

Every text here is made up for the tests; none comes from the eval data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from schemas import Actor, ArticleExtraction, Claim, PolicyPosition, Provenance, Span, Topic

ARTICLE = (
    "Mayor Lena Ortiz said on Monday that the Elm Street bridge will reopen in May. "
    '"We are ahead of schedule and under budget," Ortiz told reporters at City Hall. '
    "The Harbor Council disputed the timeline, saying inspections had not finished. "
    "According to engineers at Brightline Surveys, the steel deck still needs work. "
    "Residents of Millbrook said they were tired of the detour."
)

ARTICLE_2 = (
    "Governor Amara Quist warned on Tuesday that the new toll would fund the rail line. "
    'Quist said: "Nobody wants higher tolls, but the trains must run." '
    "The Ferry Workers Union called the plan unfair."
)

EXHAUSTIVE = "exhaustive: test"


def at(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def span(needle: str, occurrence: int = 0, text: str = ARTICLE) -> Span:
    start, end = at(text, needle, occurrence)
    return Span(start=start, end=end, text=needle)


def gspan(needle: str, occurrence: int = 0, text: str = ARTICLE) -> dict[str, Any]:
    start, end = at(text, needle, occurrence)
    return {"start": start, "end": end, "text": needle}


def actor(ident: str, name: str, kind: str, *mentions: Span) -> Actor:
    return Actor(id=ident, name=name, canonical_name=name, kind=kind, mentions=list(mentions))  # type: ignore[arg-type]


def claim(ident: str, speaker: str | None, content: Span, **extra: Any) -> Claim:
    attribution = "actor" if speaker else extra.pop("attribution", "author")
    return Claim(
        id=ident,
        speaker_id=speaker,
        attribution=attribution,
        statement=content.text[:100] or "x",
        content=content,
        **extra,
    )


def extraction(
    actors: list[Actor] = (),  # type: ignore[assignment]
    claims: list[Claim] = (),  # type: ignore[assignment]
    positions: list[PolicyPosition] = (),  # type: ignore[assignment]
    text: str = ARTICLE,
    article_id: str = "doc-1",
    latency_s: float = 0.0,
) -> ArticleExtraction:
    return ArticleExtraction(
        article_id=article_id,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        actors=list(actors),
        claims=list(claims),
        # One topic per topic id the positions name, labelled as the first position names it.
        topics=[
            Topic(id=topic_id, label=label)
            for topic_id, label in {p.topic_id: p.topic for p in reversed(list(positions))}.items()
        ],
        positions=list(positions),
        provenance=Provenance(model="test/model", strategy="pipeline", latency_s=latency_s),
    )


def gold_claim(
    ident: str,
    content: str | list[str],
    speaker: str | dict[str, Any] | None,
    text: str = ARTICLE,
    **extra: Any,
) -> dict[str, Any]:
    pieces = [content] if isinstance(content, str) else content
    spans = [list(at(text, piece)) for piece in pieces]
    return {
        "id": ident,
        "content": {"start": spans[0][0], "end": spans[-1][1], "spans": spans, "text": " ".join(pieces)},
        "speaker": gspan(speaker, text=text) if isinstance(speaker, str) else speaker,
        **extra,
    }


def gold_doc(
    *,
    claims: list[dict[str, Any]] = (),  # type: ignore[assignment]
    actors: list[dict[str, Any]] = (),  # type: ignore[assignment]
    stances: list[dict[str, Any]] = (),  # type: ignore[assignment]
    layers: dict[str, str] | None = None,
    source: str = "polnear",
    ident: str = "doc-1",
    text: str = ARTICLE,
) -> dict[str, Any]:
    return {
        "id": ident,
        "source": source,
        "split": "dev",
        "text": text,
        "meta": {"title": "Bridge to reopen"},
        "gold_layers": layers or {"claims": EXHAUSTIVE, "actors": "absent", "stances": "absent"},
        "actors": list(actors),
        "claims": list(claims),
        "stances": list(stances),
        "quotes": [],
    }


Q2 = '"Nobody wants higher tolls, but the trains must run."'
GUM_LAYERS = {
    "claims": "derived: rst",
    "actors": "exhaustive: named",
    "stances": "absent",
    "quotes": "exhaustive",
}


def named(ident: str, name: str, kind: str, needle: str) -> dict[str, Any]:
    return {"id": ident, "name": name, "type": kind, "named": True, "mentions": [gspan(needle)]}


def gold_docs() -> list[dict[str, Any]]:
    first = gold_doc(
        ident="polnear:one",
        claims=[
            gold_claim("c0", "the Elm Street bridge will reopen in May", "Mayor Lena Ortiz"),
            gold_claim("c1", '"We are ahead of schedule and under budget,"', gspan("Ortiz", 1)),
        ],
    )
    second = gold_doc(
        ident="polnear:two",
        text=ARTICLE_2,
        claims=[
            gold_claim("c0", "the new toll would fund the rail line", "Governor Amara Quist", text=ARTICLE_2),
            gold_claim("c1", Q2, gspan("Quist", 1, text=ARTICLE_2), text=ARTICLE_2),
        ],
    )
    third = gold_doc(
        ident="gum:three",
        text=ARTICLE + "\n",  # same offsets, its own cache entry
        source="gum",
        layers=GUM_LAYERS,
        claims=[gold_claim("c0", "inspections had not finished", "The Harbor Council")],
        actors=[
            named("a0", "Lena Ortiz", "person", "Lena Ortiz"),
            named("a1", "Millbrook", "place", "Millbrook"),
            named("a2", "Harbor Council", "organization", "The Harbor Council"),
        ],
    )
    return [first, second, third]


def perfect(text: str, article_id: str) -> ArticleExtraction:
    """What a flawless extractor would return for the invented gold above."""
    if text == ARTICLE_2:
        quist = actor("quist", "Amara Quist", "person", span("Governor Amara Quist", text=ARTICLE_2))
        quist = quist.model_copy(update={"mentions": [*quist.mentions, span("Quist", 1, text=ARTICLE_2)]})
        claims = [
            claim("c1", "quist", span("the new toll would fund the rail line", text=ARTICLE_2)),
            claim("c2", "quist", span(Q2, text=ARTICLE_2), quote=span(Q2, text=ARTICLE_2)),
        ]
        return extraction([quist], claims, text=ARTICLE_2, article_id=article_id, latency_s=2.0)
    ortiz = actor("ortiz", "Lena Ortiz", "person", span("Mayor Lena Ortiz"), span("Ortiz", 1))
    council = actor("council", "Harbor Council", "organization", span("The Harbor Council"))
    place = actor("millbrook", "Millbrook", "country", span("Millbrook"))
    quote = '"We are ahead of schedule and under budget,"'
    claims = [
        claim("c1", "ortiz", span("the Elm Street bridge will reopen in May")),
        claim("c2", "ortiz", span(quote), quote=span(quote)),
    ]
    if text.endswith("\n"):  # the GUM-style document
        claims.append(claim("c3", "council", span("inspections had not finished")))
    return extraction([ortiz, council, place], claims, text=text, article_id=article_id, latency_s=4.0)
