"""Cutting an article into segments: where each listed item's spans fall, and how each piece is shaded.

The article is cut at every span boundary; each segment carries the keys of every item that covers it
(``data-keys`` on the page), so overlapping spans need no nesting and a click on a listed item finds its
segments with one selector. Colours are per actor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extractor.eval.matching import gold_content, gold_interval, interval
from extractor.review.inputs import PageDoc
from schemas import Span

__all__ = ["Mark", "Marks", "Segment", "actor_hue"]


def actor_hue(index: int) -> float:
    """The hue of the actor at ``index``: golden-angle steps keep neighbouring actors' colours far apart."""
    return (index * 137.508 + 210) % 360


@dataclass(frozen=True)
class Mark:
    """One span of one item: ``kind`` is its role (m mention, k content, q quote, u cue, e evidence, ...)."""

    start: int
    end: int
    key: str
    kind: str
    hue: float | None = None


@dataclass(frozen=True)
class Segment:
    """A piece of the article text and what covers it; a segment with no ``keys`` is plain text."""

    text: str
    classes: str = ""
    keys: str = ""
    weak: str = ""
    """Keys present here only as evidence: they light up faintly, so the item's own span stands out."""
    style: str = ""


class Marks:
    """The marks of one document: every located span of its items, and of its gold in eval mode."""

    def __init__(self, prefix: str, doc: PageDoc, hues: Mapping[str, float]) -> None:
        self.prefix = prefix
        self.doc = doc
        self.hues = hues
        self.marks: list[Mark] = []
        self.located: set[str] = set()
        self._collect()

    def key(self, kind: str, ident: object) -> str:
        """The page-wide key of an item: document prefix, item kind, item id."""
        return f"{self.prefix}-{kind}-{ident}"

    def _add(self, span: Span | None, key: str, kind: str, hue: float | None = None) -> None:
        self._add_interval(interval(span), key, kind, hue)

    def _add_interval(
        self, where: tuple[int, int] | None, key: str, kind: str, hue: float | None = None
    ) -> None:
        if where and 0 <= where[0] < where[1] <= len(self.doc.text):
            self.marks.append(Mark(where[0], where[1], key, kind, hue))
            self.located.add(key)

    def _collect(self) -> None:
        extraction = self.doc.extraction
        for actor in extraction.actors:
            for mention in actor.mentions:
                self._add(mention, self.key("a", actor.id), "m", self.hues[actor.id])
        for claim in extraction.claims:
            key, hue = self.key("c", claim.id), self.hues.get(claim.speaker_id or "")
            self._add(claim.content, key, "k", hue)
            self._add(claim.quote, key, "q", hue)
            self._add(claim.cue, key, "u")
            for evidence in claim.evidence:
                self._add(evidence, key, "e")
        for position in extraction.positions:
            for evidence in position.evidence:
                # "pe": evidence that is the position's own span, not a claim's supporting sentence.
                self._add(evidence, self.key("p", position.id), "pe", self.hues.get(position.actor_id))
        gold, score = self.doc.gold, self.doc.score
        if gold is not None and score is not None:
            self._collect_gold(gold, score.alignment)

    def _collect_gold(self, gold: Mapping[str, Any], alignment: Any) -> None:
        claims = {str(claim["id"]): claim for claim in gold.get("claims", [])}
        for gold_id in alignment.missed_claims:
            for where in gold_content(claims[gold_id]):
                self._add_interval(where, self.key("g", gold_id), "x")
        actors = {str(actor["id"]): actor for actor in gold.get("actors", [])}
        for gold_id in alignment.missed_actors:
            for mention in actors[gold_id].get("mentions", []):
                self._add_interval(gold_interval(mention), self.key("ga", gold_id), "xa")
        for verdict in alignment.stances:
            evidence = gold.get("stances", [])[verdict.gold_index].get("evidence")
            self._add_interval(gold_interval(evidence), self.key("gs", verdict.gold_index), "gs")

    def segments(self) -> list[Segment]:
        """The article cut at every mark boundary, each piece with the marks that cover it."""
        text = self.doc.text
        bounds = sorted({0, len(text), *(m.start for m in self.marks), *(m.end for m in self.marks)})
        ordered = sorted(self.marks, key=lambda m: m.start)
        pieces = []
        for left, right in zip(bounds, bounds[1:], strict=False):
            covering = [m for m in ordered if m.start <= left and m.end >= right]
            pieces.append(
                self._segment(text[left:right], covering) if covering else Segment(text[left:right])
            )
        return pieces

    def _segment(self, text: str, covering: list[Mark]) -> Segment:
        kinds = {m.kind for m in covering}
        style = []

        def innermost(kind: str) -> Mark | None:
            found = [m for m in covering if m.kind == kind]
            return min(found, key=lambda m: m.end - m.start) if found else None

        claim = innermost("q") or innermost("k")
        if claim is not None:
            # Quotes are darker than the rest of the content; author/unattributed claims are grey.
            light = 78 if claim.kind == "q" else 89
            hue = claim.hue
            colour = f"hsl({hue:.0f} 70% {light}%)" if hue is not None else f"hsl(0 0% {light + 3}%)"
            style.append(f"background-color:{colour}")
        mention = innermost("m")
        if mention is not None and mention.hue is not None:
            style.append(f"--ul:hsl({mention.hue:.0f} 65% 42%)")
        spurious = self.doc.score.alignment.spurious_claims if self.doc.score else ()
        if any(m.kind in ("k", "q") and m.key.rsplit("-", 1)[-1] in spurious for m in covering):
            kinds.add("sp")
        core = {m.key for m in covering if m.kind != "e"}
        return Segment(
            text=text,
            classes=" ".join(sorted({"s", *kinds})),
            keys=" ".join(dict.fromkeys(m.key for m in covering)),
            weak=" ".join(dict.fromkeys(m.key for m in covering if m.key not in core)),
            style=";".join(style),
        )
