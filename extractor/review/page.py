"""The review page: one self-contained HTML file showing one or more extractions over their articles.

This module turns each article into what its templates show (the segments of :mod:`.marks`, a heading,
the side lists of actors, claims and positions, the actor x topic matrix of :mod:`.matrix`, and in eval
mode the gold the extraction missed);
``templates/page.html`` and its partials lay them out. No external assets: CSS and JS are inline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractor.eval.matching import gold_content
from extractor.review.inputs import PageDoc
from extractor.review.marks import Marks, Segment, actor_hue
from extractor.review.matrix import STANCE_SIGNS, Matrix, position_matrix
from extractor.review.templating import render_template
from schemas import ArticleExtraction

__all__ = ["Badge", "DocView", "Item", "ItemList", "PageDoc", "doc_heading", "render_page"]


@dataclass(frozen=True)
class Badge:
    """A small label after an item; ``tone`` is its CSS class (kind, ok, bad, warn, muted, stance-*)."""

    tone: str
    label: str


@dataclass(frozen=True)
class Item:
    """One clickable entry of a side list; the templates lay out whichever parts it has."""

    key: str
    badges: tuple[Badge, ...] = ()
    hue: float | None = None
    name: str | None = None
    name_hint: str | None = None
    """Shown on hover over the name: an actor's name as the article writes it."""
    role: str | None = None
    """Beside the name: an actor's title."""
    note: str | None = None
    stance: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class ItemList:
    """A headed side list."""

    heading: str
    items: list[Item]
    gold: bool = False


@dataclass
class DocView:
    """Everything the templates show of one article."""

    prefix: str
    hidden: bool
    heading: str
    facts: list[str]
    warnings: list[str]
    notice: str | None
    segments: list[Segment]
    actors: ItemList
    claims: ItemList
    positions: ItemList
    matrix: Matrix | None = None
    gold: list[ItemList] = field(default_factory=list)


def _clip(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def doc_heading(extraction: ArticleExtraction, gold: Mapping[str, Any] | None = None) -> str:
    """An article's heading: its title (the extraction's, else the gold's), else its id."""
    gold_title = (gold or {}).get("meta", {}).get("title")
    return extraction.title or gold_title or extraction.article_id


class _DocBuilder:
    """Builds the :class:`DocView` of one document."""

    def __init__(self, number: int, doc: PageDoc) -> None:
        self.doc = doc
        self.extraction = doc.extraction
        self.hues = {actor.id: actor_hue(index) for index, actor in enumerate(self.extraction.actors)}
        self.names = {actor.id: actor.canonical_name for actor in self.extraction.actors}
        self.marks = Marks(f"d{number}", doc, self.hues)
        self.number = number

    def item(self, kind: str, ident: object, *badges: Badge, **parts: Any) -> Item:
        key = self.marks.key(kind, ident)
        if key not in self.marks.located:
            badges = (*badges, Badge("warn", "not located in text"))
        return Item(key=key, badges=badges, **parts)

    def build(self) -> DocView:
        heading = doc_heading(self.extraction, self.doc.gold)
        return DocView(
            prefix=self.marks.prefix,
            hidden=self.number > 0,
            heading=heading,
            facts=self.facts(show_id=heading != self.extraction.article_id),
            warnings=list(self.extraction.provenance.warnings),
            notice=self.doc.notice,
            segments=self.marks.segments(),
            actors=self.actors(),
            claims=self.claims(),
            positions=self.positions(),
            matrix=position_matrix(
                self.extraction,
                lambda ident: self.marks.key("p", ident),
                names=self.names,
                hues=self.hues,
                located=self.marks.located,
            ),
            gold=self.gold_lists(),
        )

    def facts(self, *, show_id: bool) -> list[str]:
        provenance = self.extraction.provenance
        facts = [self.extraction.article_id] if show_id else []
        facts += [
            f"model {provenance.model}",
            f"{provenance.latency_s:.1f}s" + (" (cached)" if provenance.cached else ""),
        ]
        score = self.doc.score
        if score is not None:
            for name, counts in (("claims", score.claims), ("speaker", score.claims_with_speaker)):
                if counts is not None:
                    numbers = counts.as_dict()
                    value = numbers["f1"] if counts.full else numbers["recall"]
                    label = "F1" if counts.full else "recall"
                    facts.append(f"{name} {label} {'-' if value is None else f'{value:.2f}'}")
        return facts

    def actors(self) -> ItemList:
        score = self.doc.score
        alignment = score.alignment if score else None
        actor_gold = {pred: gold for gold, pred in alignment.actor_pairs} if alignment else {}
        items = []
        for actor in self.extraction.actors:
            badges = [Badge("kind", actor.kind)]
            if alignment and score and score.actors is not None:
                if actor.id in actor_gold:
                    badges.append(Badge("ok", f"gold {actor_gold[actor.id]}"))
                elif actor.id in alignment.spurious_actors:
                    badges.append(Badge("bad", "spurious"))
            written = actor.name if actor.name != actor.canonical_name else None
            items.append(
                self.item(
                    "a",
                    actor.id,
                    *badges,
                    hue=self.hues[actor.id],
                    name=actor.canonical_name,
                    name_hint=written,
                    role=actor.title,
                    note=_plural(len(actor.mentions), "mention"),
                )
            )
        return ItemList(f"Actors ({len(items)})", items)

    def claims(self) -> ItemList:
        score = self.doc.score
        alignment = score.alignment if score else None
        gold_ids = {pred: (gold, ok) for gold, pred, ok in alignment.claim_pairs} if alignment else {}
        full_claims = bool(score and score.claims and score.claims.full)
        items = []
        for claim in self.extraction.claims:
            badges = [Badge("kind", claim.kind)]
            if claim.quote is not None:
                badges.append(Badge("kind", "quote"))
            if claim.id in gold_ids:
                gold_id, speaker_ok = gold_ids[claim.id]
                badges.append(Badge("ok", f"gold {gold_id}"))
                badges.append(Badge("ok", "speaker ✓") if speaker_ok else Badge("bad", "speaker ✗"))
            elif alignment and score and score.claims is not None:
                badges.append(
                    Badge("bad", "spurious") if full_claims else Badge("muted", "unscored: partial gold")
                )
            items.append(
                self.item(
                    "c",
                    claim.id,
                    *badges,
                    hue=self.hues.get(claim.speaker_id or ""),
                    name=self.names.get(claim.speaker_id or "", claim.attribution),
                    text=_clip(claim.statement),
                )
            )
        return ItemList(f"Claims ({len(items)})", items)

    def positions(self) -> ItemList:
        items = [
            self.item(
                "p",
                position.id,
                hue=self.hues.get(position.actor_id),
                name=self.names.get(position.actor_id, position.actor_id),
                stance=position.stance,
                text=position.topic,
            )
            for position in self.extraction.positions
        ]
        return ItemList(f"Positions ({len(items)})", items)

    def gold_lists(self) -> list[ItemList]:
        gold, score = self.doc.gold, self.doc.score
        if gold is None or score is None:
            return []
        alignment = score.alignment
        lists = []
        claims = {str(claim["id"]): claim for claim in gold.get("claims", [])}
        if alignment.missed_claims:
            items = []
            for gold_id in alignment.missed_claims:
                claim = claims[gold_id]
                speaker = (
                    (claim.get("speaker") or {}).get("text") or claim.get("speaker_name") or "no speaker"
                )
                content = " … ".join(self.doc.text[s:e] for s, e in gold_content(claim))
                items.append(
                    self.item(
                        "g", gold_id, Badge("bad", f"missed {gold_id}"), name=speaker, text=_clip(content)
                    )
                )
            lists.append(ItemList(f"Missed gold claims ({len(items)})", items, gold=True))
        actors = {str(actor["id"]): actor for actor in gold.get("actors", [])}
        if alignment.missed_actors:
            items = []
            for gold_id in alignment.missed_actors:
                actor = actors[gold_id]
                kind = Badge("kind", str(actor.get("type", "?")))
                items.append(
                    self.item("ga", gold_id, kind, Badge("bad", "missed"), name=actor.get("name", gold_id))
                )
            lists.append(ItemList(f"Missed gold actors ({len(items)})", items, gold=True))
        if alignment.stances:
            items = []
            for verdict in alignment.stances:
                stance = gold.get("stances", [])[verdict.gold_index]
                badges: tuple[Badge, ...] = (
                    Badge("ok" if verdict.holder else "bad", "holder"),
                    Badge("ok" if verdict.target else "bad", "target"),
                    Badge("ok" if verdict.polarity else "bad", "polarity"),
                )
                if verdict.position_id is None:
                    badges = (Badge("bad", "no position on this evidence"),)
                text = f"{stance.get('holder')} → {stance.get('target')}: {stance.get('stance')}"
                items.append(self.item("gs", verdict.gold_index, *badges, text=text))
            lists.append(ItemList(f"Gold stances ({len(items)})", items, gold=True))
        return lists


def render_page(
    docs: Sequence[PageDoc],
    *,
    title: str = "claimscope review",
    summary: str | None = None,
    home: str | None = None,
) -> str:
    """Render one or more extractions as a single self-contained HTML page.

    Args:
        docs: The articles with their extractions (and, for eval reports, gold and scores).
        title: The page's name in its header; a page of one article is titled by the article in the
            browser.
        summary: Preformatted text shown above the documents (e.g. the eval table).
        home: A link back to the document list of a review site.
    """
    views = [_DocBuilder(number, doc).build() for number, doc in enumerate(docs)]
    return render_template(
        "page.html",
        title=title,
        window_title=views[0].heading if len(views) == 1 else title,
        docs=views,
        stance_signs=STANCE_SIGNS,
        evaluated=any(doc.score is not None for doc in docs),
        summary=summary,
        home=home,
    )
