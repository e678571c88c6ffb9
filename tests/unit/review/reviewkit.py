"""Builders shared by the review-page tests: an extraction of the invented article, page probes."""

from __future__ import annotations

import html
import re

from schemas import ArticleExtraction, PolicyPosition, Span
from tests.unit.eval.evalkit import actor, claim, extraction, span

QUOTE = '"We are ahead of schedule and under budget,"'


def sample() -> ArticleExtraction:
    ortiz = actor("ortiz", "Lena Ortiz", "person", span("Mayor Lena Ortiz"), span("Ortiz", 1))
    council = actor("council", "Harbor Council", "organization", span("Harbor Council"))
    claims = [
        claim("c1", "ortiz", span(QUOTE), quote=span(QUOTE), cue=span("told")),
        claim(
            "c2",
            "council",
            span("inspections had not finished"),
            evidence=[span("The Harbor Council disputed")],
        ),
        claim("c3", "ortiz", Span(text="words nowhere in the article", alignment="ungrounded")),
        claim("c4", None, span("the steel deck still needs work")),
    ]
    positions = [
        PolicyPosition(
            id="p1",
            actor_id="council",
            topic_id="t1",
            topic="bridge timeline",
            stance="oppose",
            evidence=[span("disputed the timeline")],
        )
    ]
    return extraction([ortiz, council], claims, positions)


def article_text(page: str, number: int = 0) -> str:
    body = re.search(
        rf'<section class="doc" id="d{number}".*?<article class="article">(.*?)</article>', page, re.S
    )
    assert body is not None
    return html.unescape(re.sub(r"<[^>]+>", "", body.group(1)))


def keys_in_article(page: str) -> set[str]:
    return {key for found in re.findall(r'data-keys="([^"]+)"', page) for key in found.split()}
