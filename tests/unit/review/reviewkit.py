"""Builders shared by the review-page tests: extractions of the invented article and the seed, page probes."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from schemas import Actor, ArticleExtraction, PolicyPosition, Provenance, Span, Stance, Topic
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


SEED = Path(__file__).resolve().parents[3] / "seeds" / "us_mexico_cartel_strikes.txt"
STRIKES = "US strikes on cartels in Mexico"
VENEZUELA = "US military intervention in Venezuela"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_extraction() -> ArticleExtraction:
    """The seed article with the positions of its reviewed expectation, and two more.

    Trump is for the strikes, Sheinbaum and Pérez Ricart against; Trump and Sheinbaum also take a stance
    on the Venezuela raid. Saucedo and the USMCA topic have no position.
    """
    text = seed_text()

    def at(needle: str) -> Span:
        start = text.index(needle)
        return Span(start=start, end=start + len(needle), text=needle)

    def person(ident: str, name: str, mention: str) -> Actor:
        return Actor(id=ident, name=name, canonical_name=name, kind="person", mentions=[at(mention)])

    def position(ident: str, actor_id: str, topic_id: str, stance: Stance, evidence: str) -> PolicyPosition:
        label = {"t1": STRIKES, "t2": VENEZUELA}[topic_id]
        return PolicyPosition(
            id=ident,
            actor_id=actor_id,
            topic_id=topic_id,
            topic=label,
            stance=stance,
            evidence=[at(evidence)],
        )

    return ArticleExtraction(
        article_id="us-mexico-cartel-strikes",
        title="Trump Threatens Land Strikes on Mexican Cartels",
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        actors=[
            person("trump", "Donald Trump", "President Donald Trump"),
            person("sheinbaum", "Claudia Sheinbaum", "President Claudia Sheinbaum"),
            person("saucedo", "David Saucedo", "Mexican security expert David Saucedo"),
            person("perez", "Carlos Pérez Ricart", "Political analyst Carlos Pérez Ricart"),
        ],
        topics=[
            Topic(id="t1", label=STRIKES),
            Topic(id="t2", label=VENEZUELA),
            Topic(id="t3", label="USMCA revision"),
        ],
        positions=[
            position("p1", "trump", "t1", "support", "we are going to start now hitting land"),
            position(
                "p2",
                "sheinbaum",
                "t1",
                "oppose",
                "organised crime is not taken care with (foreign military) intervention",
            ),
            position("p3", "sheinbaum", "t2", "oppose", "criticised the Venezuela intervention"),
            position("p4", "perez", "t1", "oppose", "any US military action in Mexico would suspend"),
            position(
                "p5", "trump", "t2", "support", "military raid inside Venezuela, which Trump authorised"
            ),
        ],
        provenance=Provenance(model="test/model", strategy="pipeline", latency_s=0.0),
    )
