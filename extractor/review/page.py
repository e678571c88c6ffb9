"""The review page: one self-contained HTML file showing an extraction over its article.

The article is cut at every span boundary into segments; each segment carries the keys of every item that
covers it (``data-keys``), so overlapping spans need no nesting and a click on a listed item finds its
segments with one selector. Colours are per actor. In eval mode the page also marks gold items the
extraction missed and predictions the gold does not support. No external assets: CSS and JS are inline.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extractor.eval.matching import gold_content, gold_interval, interval
from extractor.eval.scoring import DocScore
from extractor.review.assets import PAGE_CSS, PAGE_JS
from schemas import ArticleExtraction, Span

__all__ = ["PageDoc", "render_page"]


@dataclass(frozen=True)
class PageDoc:
    """One article on the page; ``gold`` and ``score`` turn on eval marks."""

    text: str
    extraction: ArticleExtraction
    gold: Mapping[str, Any] | None = None
    score: DocScore | None = None


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    key: str
    kind: str
    hue: float | None = None


def _hue(index: int) -> float:
    # Golden-angle steps keep neighbouring actors' colours far apart.
    return (index * 137.508 + 210) % 360


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _clip(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _marks_for(span: Span | None, key: str, kind: str, hue: float | None, limit: int) -> list[_Mark]:
    where = interval(span)
    if where is None or where[0] >= where[1] or where[1] > limit:
        return []
    return [_Mark(where[0], where[1], key, kind, hue)]


class _Doc:
    """Builds the marks and the side lists of one document."""

    def __init__(self, number: int, doc: PageDoc) -> None:
        self.doc = doc
        self.prefix = f"d{number}"
        self.extraction = doc.extraction
        self.hues = {actor.id: _hue(index) for index, actor in enumerate(self.extraction.actors)}
        self.names = {actor.id: actor.name for actor in self.extraction.actors}
        self.marks: list[_Mark] = []
        self.located: set[str] = set()

    def key(self, kind: str, ident: object) -> str:
        return f"{self.prefix}-{kind}-{ident}"

    def add(self, span: Span | None, key: str, kind: str, hue: float | None = None) -> None:
        marks = _marks_for(span, key, kind, hue, len(self.doc.text))
        self.marks += marks
        if marks:
            self.located.add(key)

    def add_gold(self, where: tuple[int, int] | None, key: str, kind: str) -> None:
        if where and 0 <= where[0] < where[1] <= len(self.doc.text):
            self.marks.append(_Mark(where[0], where[1], key, kind))
            self.located.add(key)

    def collect(self) -> None:
        for actor in self.extraction.actors:
            for mention in actor.mentions:
                self.add(mention, self.key("a", actor.id), "m", self.hues[actor.id])
        for claim in self.extraction.claims:
            key, hue = self.key("c", claim.id), self.hues.get(claim.speaker_id or "")
            self.add(claim.content, key, "k", hue)
            self.add(claim.quote, key, "q", hue)
            self.add(claim.cue, key, "u")
            for evidence in claim.evidence:
                self.add(evidence, key, "e")
        for position in self.extraction.positions:
            for evidence in position.evidence:
                # "pe": evidence that is the position's own span, not a claim's supporting sentence.
                self.add(evidence, self.key("p", position.id), "pe", self.hues.get(position.actor_id))
        gold, score = self.doc.gold, self.doc.score
        if gold is None or score is None:
            return
        claims = {str(claim["id"]): claim for claim in gold.get("claims", [])}
        for gold_id in score.alignment.missed_claims:
            for where in gold_content(claims[gold_id]):
                self.add_gold(where, self.key("g", gold_id), "x")
        actors = {str(actor["id"]): actor for actor in gold.get("actors", [])}
        for gold_id in score.alignment.missed_actors:
            for mention in actors[gold_id].get("mentions", []):
                self.add_gold(gold_interval(mention), self.key("ga", gold_id), "xa")
        for verdict in score.alignment.stances:
            evidence = gold.get("stances", [])[verdict.gold_index].get("evidence")
            self.add_gold(gold_interval(evidence), self.key("gs", verdict.gold_index), "gs")

    def article_html(self) -> str:
        text = self.doc.text
        bounds = sorted({0, len(text), *(m.start for m in self.marks), *(m.end for m in self.marks)})
        out = []
        ordered = sorted(self.marks, key=lambda m: m.start)
        for left, right in zip(bounds, bounds[1:], strict=False):
            covering = [m for m in ordered if m.start <= left and m.end >= right]
            piece = _esc(text[left:right])
            if not covering:
                out.append(piece)
                continue
            out.append(f"<span {self.segment_attrs(covering)}>{piece}</span>")
        return "".join(out)

    def segment_attrs(self, covering: list[_Mark]) -> str:
        kinds = {m.kind for m in covering}
        keys = " ".join(dict.fromkeys(m.key for m in covering))
        style = []

        def innermost(kind: str) -> _Mark | None:
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
        classes = " ".join(sorted({"s", *kinds}))
        style_attr = f' style="{_esc(";".join(style))}"' if style else ""
        # Keys present here only as evidence light up faintly, so the item's own span stands out.
        core = {m.key for m in covering if m.kind != "e"}
        weak = " ".join(dict.fromkeys(m.key for m in covering if m.key not in core))
        weak_attr = f' data-ev="{_esc(weak)}"' if weak else ""
        return f'class="{classes}" data-keys="{_esc(keys)}"{weak_attr}{style_attr}'

    def item(
        self, key: str, body: str, badges: Sequence[tuple[str, str]] = (), hue: float | None = None
    ) -> str:
        dot = f'<i class="dot" style="background:hsl({hue:.0f} 65% 50%)"></i>' if hue is not None else ""
        if key not in self.located:
            badges = [*badges, ("warn", "not located in text")]
        tags = "".join(f'<b class="badge {cls}">{_esc(label)}</b>' for cls, label in badges)
        return f'<li class="item" tabindex="0" data-key="{_esc(key)}">{dot}{body}{tags}</li>'

    def side_html(self) -> str:
        score = self.doc.score
        alignment = score.alignment if score else None
        gold_ids = {pred: (gold, ok) for gold, pred, ok in alignment.claim_pairs} if alignment else {}
        full_claims = bool(score and score.claims and score.claims.full)
        parts = [f"<h3>Actors ({len(self.extraction.actors)})</h3><ul>"]
        actor_gold = {pred: gold for gold, pred in alignment.actor_pairs} if alignment else {}
        for actor in self.extraction.actors:
            badges: list[tuple[str, str]] = [("kind", actor.kind)]
            if alignment and score and score.actors is not None:
                if actor.id in actor_gold:
                    badges.append(("ok", f"gold {actor_gold[actor.id]}"))
                elif actor.id in alignment.spurious_actors:
                    badges.append(("bad", "spurious"))
            count = f"{len(actor.mentions)} mention{'s' * (len(actor.mentions) != 1)}"
            body = f"<span class=name>{_esc(actor.name)}</span> <small>{count}</small>"
            parts.append(self.item(self.key("a", actor.id), body, badges, self.hues[actor.id]))
        parts.append(f"</ul><h3>Claims ({len(self.extraction.claims)})</h3><ul>")
        for claim in self.extraction.claims:
            who = self.names.get(claim.speaker_id or "", claim.attribution)
            badges = [("kind", claim.kind)]
            if claim.quote is not None:
                badges.append(("kind", "quote"))
            if claim.id in gold_ids:
                gold_id, speaker_ok = gold_ids[claim.id]
                badges.append(("ok", f"gold {gold_id}"))
                badges.append(("ok", "speaker ✓") if speaker_ok else ("bad", "speaker ✗"))
            elif alignment and score and score.claims is not None:
                badges.append(("bad", "spurious") if full_claims else ("muted", "unscored: partial gold"))
            body = f"<span class=name>{_esc(who)}</span>: {_esc(_clip(claim.statement))}"
            parts.append(
                self.item(self.key("c", claim.id), body, badges, self.hues.get(claim.speaker_id or ""))
            )
        parts.append(f"</ul><h3>Positions ({len(self.extraction.positions)})</h3><ul>")
        for position in self.extraction.positions:
            body = (
                f"<span class=name>{_esc(self.names.get(position.actor_id, position.actor_id))}</span> "
                f"<b class='badge stance-{_esc(position.stance)}'>{_esc(position.stance)}</b> "
                f"{_esc(position.topic)}"
            )
            parts.append(self.item(self.key("p", position.id), body, (), self.hues.get(position.actor_id)))
        parts.append("</ul>")
        if alignment is not None and self.doc.gold is not None:
            parts.append(self.gold_html(self.doc.gold, alignment))
        return "".join(parts)

    def gold_html(self, gold: Mapping[str, Any], alignment: Any) -> str:
        text = self.doc.text
        parts = []
        claims = {str(claim["id"]): claim for claim in gold.get("claims", [])}
        if alignment.missed_claims:
            parts.append(f"<h3 class=gold>Missed gold claims ({len(alignment.missed_claims)})</h3><ul>")
            for gold_id in alignment.missed_claims:
                claim = claims[gold_id]
                speaker = (
                    (claim.get("speaker") or {}).get("text") or claim.get("speaker_name") or "no speaker"
                )
                content = " … ".join(text[s:e] for s, e in gold_content(claim))
                body = f"<span class=name>{_esc(speaker)}</span>: {_esc(_clip(content))}"
                parts.append(self.item(self.key("g", gold_id), body, [("bad", f"missed {gold_id}")]))
            parts.append("</ul>")
        actors = {str(actor["id"]): actor for actor in gold.get("actors", [])}
        if alignment.missed_actors:
            parts.append(f"<h3 class=gold>Missed gold actors ({len(alignment.missed_actors)})</h3><ul>")
            for gold_id in alignment.missed_actors:
                actor = actors[gold_id]
                body = f"<span class=name>{_esc(actor.get('name', gold_id))}</span>"
                badges = [("kind", str(actor.get("type", "?"))), ("bad", "missed")]
                parts.append(self.item(self.key("ga", gold_id), body, badges))
            parts.append("</ul>")
        if alignment.stances:
            parts.append(f"<h3 class=gold>Gold stances ({len(alignment.stances)})</h3><ul>")
            for verdict in alignment.stances:
                item = gold.get("stances", [])[verdict.gold_index]
                body = f"{_esc(item.get('holder'))} → {_esc(item.get('target'))}: {_esc(item.get('stance'))}"
                badges = [
                    ("ok" if verdict.holder else "bad", "holder"),
                    ("ok" if verdict.target else "bad", "target"),
                    ("ok" if verdict.polarity else "bad", "polarity"),
                ]
                if verdict.position_id is None:
                    badges = [("bad", "no position on this evidence")]
                parts.append(self.item(self.key("gs", verdict.gold_index), body, badges))
            parts.append("</ul>")
        return "".join(parts)

    def heading(self) -> str:
        extraction = self.extraction
        gold_title = (self.doc.gold or {}).get("meta", {}).get("title") if self.doc.gold else None
        title = extraction.title or gold_title or extraction.article_id
        provenance = extraction.provenance
        facts = [
            _esc(extraction.article_id),
            f"model {_esc(provenance.model)}",
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
        warnings = "".join(f"<li>{_esc(w)}</li>" for w in provenance.warnings)
        warn_html = f"<ul class=warnings>{warnings}</ul>" if warnings else ""
        return f"<h2>{_esc(title)}</h2><p class=facts>{' · '.join(facts)}</p>{warn_html}"

    def section(self, hidden: bool) -> str:
        self.collect()
        hidden_attr = " hidden" if hidden else ""
        return (
            f'<section class="doc" id="{self.prefix}"{hidden_attr}>{self.heading()}'
            f'<div class="cols"><article class="article">{self.article_html()}</article>'
            f'<aside class="side">{self.side_html()}</aside></div></section>'
        )


_LEGEND = (
    "<span class='s k' style='background-color:hsl(210 70% 89%)'>claim content</span> "
    "<span class='s q' style='background-color:hsl(210 70% 78%)'>verbatim quote</span> "
    "<span class='s m' style='--ul:hsl(210 65% 42%)'>actor mention</span> "
    "<span class='s u'>cue</span> <span class='s e'>evidence</span>"
)
_LEGEND_EVAL = " <span class='s x'>missed gold claim</span> <span class='s sp'>spurious claim</span>"


def render_page(
    docs: Sequence[PageDoc], *, title: str = "claimscope review", summary: str | None = None
) -> str:
    """Render one or more extractions as a single self-contained HTML page.

    Args:
        docs: The articles with their extractions (and, for eval reports, gold and scores).
        title: The page title.
        summary: Preformatted text shown above the documents (e.g. the eval table).
    """
    sections = [_Doc(number, doc).section(hidden=number > 0) for number, doc in enumerate(docs)]
    picker = ""
    if len(docs) > 1:
        options = "".join(
            f'<option value="d{number}">{_esc(doc.extraction.article_id)}</option>'
            for number, doc in enumerate(docs)
        )
        picker = f'<label>Document <select id="picker">{options}</select></label>'
    evaluated = any(doc.score is not None for doc in docs)
    legend = _LEGEND + (_LEGEND_EVAL if evaluated else "")
    summary_html = (
        f"<details open><summary>Scores</summary><pre>{_esc(summary)}</pre></details>" if summary else ""
    )
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{PAGE_CSS}</style></head><body>"
        f"<header><h1>{_esc(title)}</h1>{picker}<p class=legend>{legend}</p></header>"
        f"{summary_html}{''.join(sections)}<script>{PAGE_JS}</script></body></html>"
    )
