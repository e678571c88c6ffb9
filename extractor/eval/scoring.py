"""Scoring one extraction against gold annotations: pure functions, no I/O.

Gold documents are dicts shaped like the lines of ``../shared/eval/dev.jsonl``. Each layer is scored only as
far as the document's ``gold_layers`` vouches for it (the status is the value's first word):

==========  ==================  ===================================================================
layer       gold status         how it is scored
==========  ==================  ===================================================================
claims      exhaustive          precision, recall, F1 (PolNeAR)
claims      partial, derived    recall only, on the gold items (BASIL fragments, GUM RST relations)
actors      exhaustive          precision, recall, F1 over *named* gold actors (GUM)
actors      partial             recall only, by name, as the gold has no offsets (BASIL)
stances     partial             agreement on the gold items with an evidence span (BASIL)
positions   SEESAW articles     precision, recall, F1 and found-with-any-stance (:mod:`.positions`)
anything    derived, absent     not scored (PolNeAR actors are speaker strings, not entities)
==========  ==================  ===================================================================

Matching rules:

* A predicted claim matches a gold claim when its content span overlaps the gold content spans by at least
  half of the shorter of the two; matching is one-to-one and of maximum size.
* A matched claim also has the right speaker when the predicted speaker actor has a mention overlapping the
  gold speaker span, or any mention of the gold speaker's actor (gold coreference, where the gold has it).
  A claim the extraction gives to the author or to nobody has the right speaker only when the gold claim
  has no speaker. A gold claim with only a speaker *name* (BASIL) compares names.
* Actor kinds are compared by family: ``person``; ``organization`` (organization, media, group,
  government); ``place`` (country, government). ``group`` also counts as person, since GUM types groups
  of people as ``person``. A predicted actor that matches only an unnamed gold actor is neither right nor
  wrong: it is left out of precision.
* Quote faithfulness is the share of emitted quote spans whose offsets give back exactly their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from extractor.eval.matching import (
    actor_named,
    content_overlap,
    gold_content,
    gold_interval,
    interval,
    kind_families,
    max_matching,
    overlap,
)
from extractor.eval.positions import PositionCounts, score_positions
from extractor.eval.stances import StanceCounts, StanceVerdict, score_stances
from schemas import Actor, ArticleExtraction, Claim

__all__ = [
    "Alignment",
    "Counts",
    "DocScore",
    "PositionCounts",
    "StanceCounts",
    "StanceVerdict",
    "layer_mode",
    "score_document",
    "summarize",
]

Gold = Mapping[str, Any]
Mode = Literal["full", "recall"]

_POLICY: dict[tuple[str, str], Mode] = {
    ("claims", "exhaustive"): "full",
    ("claims", "partial"): "recall",
    ("claims", "derived"): "recall",
    ("actors", "exhaustive"): "full",
    ("actors", "partial"): "recall",
    ("stances", "exhaustive"): "recall",
    ("stances", "partial"): "recall",
}


def layer_mode(gold: Gold, layer: str) -> Mode | None:
    """How a gold document's layer is scored: ``full``, ``recall`` (gold items only) or None (not at all)."""
    # The status is the first word: "exhaustive: ...", "derived from gold RST ...", "absent (see ...)".
    words = re.findall(r"[a-z]+", str(gold.get("gold_layers", {}).get(layer, "absent")).lower())
    return _POLICY.get((layer, words[0] if words else "absent"))


@dataclass(frozen=True)
class Counts:
    """Match counts of one layer; ``full`` is False when only recall is scored."""

    matched: int = 0
    n_gold: int = 0
    n_pred: int = 0
    full: bool = True

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.matched + other.matched, self.n_gold + other.n_gold, self.n_pred + other.n_pred, self.full
        )

    def as_dict(self) -> dict[str, Any]:
        """Precision, recall, F1 and counts; precision and F1 are None when only recall is scored."""
        recall = self.matched / self.n_gold if self.n_gold else None
        precision = (self.matched / self.n_pred if self.n_pred else None) if self.full else None
        f1 = None
        if precision is not None and recall is not None:
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred if self.full else None,
            "n_matched": self.matched,
        }


@dataclass(frozen=True)
class Alignment:
    """Which predicted item met which gold item, for the review page."""

    claim_pairs: tuple[tuple[str, str, bool], ...] = ()
    """(gold claim id, predicted claim id, speaker right)."""
    missed_claims: tuple[str, ...] = ()
    spurious_claims: tuple[str, ...] = ()
    actor_pairs: tuple[tuple[str, str], ...] = ()
    missed_actors: tuple[str, ...] = ()
    spurious_actors: tuple[str, ...] = ()
    stances: tuple[StanceVerdict, ...] = ()


@dataclass(frozen=True)
class DocScore:
    """Everything scored on one document; a layer is None when its gold does not allow scoring it."""

    doc_id: str
    source: str
    claims: Counts | None
    claims_with_speaker: Counts | None
    actors: Counts | None
    stances: StanceCounts | None
    n_quotes: int
    n_exact_quotes: int
    alignment: Alignment = field(default_factory=Alignment)
    positions: PositionCounts | None = None
    """Policy positions against SEESAW gold (``source == "seesaw"``); None for other sources."""


def _speaker_ok(
    claim: Claim, actors: Mapping[str, Actor], gold: Mapping[str, Any], gold_actors: Mapping[str, Any]
) -> bool:
    gold_span = gold_interval(gold.get("speaker"))
    gold_name = gold.get("speaker_name")
    actor = actors.get(claim.speaker_id) if claim.attribution == "actor" and claim.speaker_id else None
    if actor is None:
        return gold_span is None and not gold_name
    if gold_span is None:
        return bool(gold_name) and actor_named(actor, str(gold_name))
    targets = [gold_span]
    gold_actor = gold_actors.get(str(gold.get("speaker_actor")))
    if gold_actor is not None:
        targets += [m for m in map(gold_interval, gold_actor.get("mentions", [])) if m]
    mentions = [m for m in map(interval, actor.mentions) if m]
    return any(overlap(mention, target) > 0 for mention in mentions for target in targets)


def _score_claims(
    extraction: ArticleExtraction, gold: Gold, mode: Mode
) -> tuple[Counts, Counts, tuple[tuple[str, str, bool], ...], tuple[str, ...], tuple[str, ...]]:
    actors = {actor.id: actor for actor in extraction.actors}
    gold_actors = {str(actor["id"]): actor for actor in gold.get("actors", [])}
    gold_claims = list(gold.get("claims", []))
    preds = extraction.claims
    content_edges: list[list[int]] = []
    speaker_edges: list[list[int]] = []
    for gold_claim in gold_claims:
        spans = gold_content(gold_claim)
        scored = []
        for index, claim in enumerate(preds):
            where = interval(claim.content)
            shared = content_overlap(where, spans) if where and spans else 0
            if shared:
                scored.append((shared, index))
        ranked = [index for _, index in sorted(scored, key=lambda pair: -pair[0])]
        content_edges.append(ranked)
        speaker_edges.append(
            [index for index in ranked if _speaker_ok(preds[index], actors, gold_claim, gold_actors)]
        )
    content = max_matching(content_edges)
    with_speaker = max_matching(speaker_edges)
    full = mode == "full"
    n_pred = len(preds)
    pairs = tuple(
        (
            str(gold_claims[g]["id"]),
            preds[p].id,
            _speaker_ok(preds[p], actors, gold_claims[g], gold_actors),
        )
        for g, p in sorted(content.items())
    )
    missed = tuple(str(claim["id"]) for g, claim in enumerate(gold_claims) if g not in content)
    matched_preds = set(content.values())
    spurious = tuple(claim.id for p, claim in enumerate(preds) if p not in matched_preds) if full else ()
    return (
        Counts(len(content), len(gold_claims), n_pred, full),
        Counts(len(with_speaker), len(gold_claims), n_pred, full),
        pairs,
        missed,
        spurious,
    )


def _score_actors(
    extraction: ArticleExtraction, gold: Gold, mode: Mode
) -> tuple[Counts, tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    gold_actors = list(gold.get("actors", []))
    preds = extraction.actors
    if mode == "recall":
        # Partial gold without offsets: a gold actor is found when some predicted actor bears its name.
        # SEESAW's entity list has names only; its names stand in for ids.
        found = {
            str(g.get("id", g.get("name"))): next(
                (p.id for p in preds if actor_named(p, str(g.get("name", "")))), None
            )
            for g in gold_actors
        }
        pairs = tuple((g, p) for g, p in found.items() if p)
        missed = tuple(g for g, p in found.items() if not p)
        return Counts(len(pairs), len(gold_actors), len(preds), False), pairs, missed, ()

    def compatible(pred: Actor, gold_actor: Mapping[str, Any]) -> int:
        if not kind_families(pred.kind) & kind_families(str(gold_actor.get("type", "unknown"))):
            return 0
        golds = [m for m in map(gold_interval, gold_actor.get("mentions", [])) if m]
        mentions = [m for m in map(interval, pred.mentions) if m]
        return sum(1 for m in mentions for g in golds if overlap(m, g) > 0)

    named = [g for g in gold_actors if g.get("named") is not False]
    unnamed = [g for g in gold_actors if g.get("named") is False]
    edges = []
    for gold_actor in named:
        scored = [(compatible(pred, gold_actor), index) for index, pred in enumerate(preds)]
        edges.append([index for shared, index in sorted(scored, key=lambda pair: -pair[0]) if shared])
    matching = max_matching(edges)
    matched_preds = set(matching.values())
    # Unmatched predictions that only meet an unnamed gold actor (e.g. "officials") are not counted.
    neutral = {
        index
        for index, pred in enumerate(preds)
        if index not in matched_preds and any(compatible(pred, g) for g in unnamed)
    }
    n_pred = len(preds) - len(neutral)
    pairs = tuple((str(named[g]["id"]), preds[p].id) for g, p in sorted(matching.items()))
    missed = tuple(str(actor["id"]) for g, actor in enumerate(named) if g not in matching)
    spurious = tuple(
        pred.id for index, pred in enumerate(preds) if index not in matched_preds and index not in neutral
    )
    return Counts(len(matching), len(named), n_pred, True), pairs, missed, spurious


def score_document(extraction: ArticleExtraction, gold: Gold) -> DocScore:
    """Score one extraction against one gold document (offsets refer to ``gold["text"]``)."""
    text = str(gold.get("text", ""))
    claims = with_speaker = actors = None
    stances = None
    alignment: dict[str, Any] = {}
    claims_mode = layer_mode(gold, "claims")
    if claims_mode:
        claims, with_speaker, pairs, missed, spurious = _score_claims(extraction, gold, claims_mode)
        alignment.update(claim_pairs=pairs, missed_claims=missed, spurious_claims=spurious)
    actors_mode = layer_mode(gold, "actors")
    if actors_mode:
        actors, actor_pairs, missed_actors, spurious_actors = _score_actors(extraction, gold, actors_mode)
        alignment.update(
            actor_pairs=actor_pairs, missed_actors=missed_actors, spurious_actors=spurious_actors
        )
    if layer_mode(gold, "stances"):
        stances, verdicts = score_stances(extraction, gold)
        alignment.update(stances=verdicts)
    # SEESAW's positions are per (holder, target) with sentence evidence: scored by their own rule.
    positions = score_positions(extraction, gold) if gold.get("source") == "seesaw" else None
    quotes = [claim.quote for claim in extraction.claims if claim.quote is not None]
    exact = sum(
        1
        for quote in quotes
        if quote.start is not None and quote.end is not None and text[quote.start : quote.end] == quote.text
    )
    return DocScore(
        doc_id=str(gold.get("id", extraction.article_id)),
        source=str(gold.get("source", "unknown")),
        claims=claims,
        claims_with_speaker=with_speaker,
        actors=actors,
        stances=stances,
        n_quotes=len(quotes),
        n_exact_quotes=exact,
        alignment=Alignment(**alignment),
        positions=positions,
    )


def _sum_counts(items: Iterable[Counts | None]) -> Counts | None:
    present = [item for item in items if item is not None]
    # Precision only means something where the gold is exhaustive; recall-only documents join the sum
    # only when no document has the layer in full.
    chosen = [item for item in present if item.full] or present
    if not chosen:
        return None
    total = Counts(full=chosen[0].full)
    for item in chosen:
        total = total + item
    return total


def _group(scores: Sequence[DocScore]) -> dict[str, Any]:
    claims = _sum_counts(score.claims for score in scores)
    with_speaker = _sum_counts(score.claims_with_speaker for score in scores)
    actors = _sum_counts(score.actors for score in scores)
    stance_items = [score.stances for score in scores if score.stances is not None]
    stances = sum(stance_items, StanceCounts()) if stance_items else None
    position_items = [score.positions for score in scores if score.positions is not None]
    positions = sum(position_items, PositionCounts()) if position_items else None
    n_quotes = sum(score.n_quotes for score in scores)
    n_exact = sum(score.n_exact_quotes for score in scores)
    return {
        "n_docs": len(scores),
        "claims": claims.as_dict() if claims else None,
        "claims_with_speaker": with_speaker.as_dict() if with_speaker else None,
        "actors": actors.as_dict() if actors else None,
        "stances": stances.as_dict() if stances else None,
        "positions": positions.as_dict() if positions else None,
        "quote_faithfulness": n_exact / n_quotes if n_quotes else None,
        "n_quotes": n_quotes,
    }


def summarize(scores: Sequence[DocScore]) -> dict[str, Any]:
    """Aggregate document scores (micro-averaged) overall and per source."""
    sources = sorted({score.source for score in scores})
    return {
        "overall": _group(scores),
        "by_source": {source: _group([s for s in scores if s.source == source]) for source in sources},
    }
