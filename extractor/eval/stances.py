"""Scoring policy positions against partial stance gold (BASIL): agreement on the gold items only.

For each gold item with an evidence span, the positions whose evidence (or cited claims' spans) overlap it
are candidates; the best one is judged on holder, target and polarity. Article-level items (the author's
overall feeling, no evidence span) are skipped: a position always has an actor as holder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extractor.eval.matching import Interval, actor_named, gold_interval, interval, name_tokens, overlap
from schemas import Actor, ArticleExtraction, Claim, PolicyPosition, Span

__all__ = ["StanceCounts", "StanceVerdict", "score_stances"]


@dataclass(frozen=True)
class StanceCounts:
    """Agreement on gold stance items: how many found a position, and with which parts right."""

    n_gold: int = 0
    n_pred: int = 0
    aligned: int = 0
    holder: int = 0
    target: int = 0
    polarity: int = 0
    agree: int = 0

    def __add__(self, other: StanceCounts) -> StanceCounts:
        return StanceCounts(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )

    def as_dict(self) -> dict[str, Any]:
        """Recall: share of gold items with holder, target and polarity right; each part's rate beside it."""

        def rate(count: int) -> float | None:
            return count / self.n_gold if self.n_gold else None

        return {
            "precision": None,
            "recall": rate(self.agree),
            "f1": None,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_matched": self.agree,
            "aligned": rate(self.aligned),
            "holder": rate(self.holder),
            "target": rate(self.target),
            "polarity": rate(self.polarity),
        }


@dataclass(frozen=True)
class StanceVerdict:
    """How one gold stance item fared: the best aligned position and which parts agree."""

    gold_index: int
    position_id: str | None
    holder: bool
    target: bool
    polarity: bool


def _position_intervals(position: PolicyPosition, claims: Mapping[str, Claim]) -> list[Interval]:
    spans: list[Span | None] = list(position.evidence)
    for claim_id in position.claim_ids:
        claim = claims.get(claim_id)
        if claim is not None:
            spans += [claim.content, claim.quote]
    return [where for where in map(interval, spans) if where]


def _holder_ok(holder: str, actor: Actor | None, target: str) -> bool:
    if actor is None:
        return False
    outlet = re.fullmatch(r"author \((.+)\)", holder.strip())
    if outlet:
        # Positions always belong to an actor; only an actor standing for the outlet can hold the author's.
        return actor_named(actor, outlet.group(1))
    if holder.strip().lower().startswith("other"):
        # "other anti": someone other than the target, unnamed in the gold.
        return not actor_named(actor, target)
    return actor_named(actor, holder)


def _target_ok(target: str, topic: str) -> bool:
    wanted = name_tokens(target.removeprefix("main event:"))
    have = set(name_tokens(topic))
    return bool(wanted) and (wanted[-1] in have or set(wanted) <= have)


def score_stances(
    extraction: ArticleExtraction, gold: Mapping[str, Any]
) -> tuple[StanceCounts, tuple[StanceVerdict, ...]]:
    """Agreement counts over the gold stance items, and a verdict per item."""
    actors = {actor.id: actor for actor in extraction.actors}
    claims = {claim.id: claim for claim in extraction.claims}
    areas = [(position, _position_intervals(position, claims)) for position in extraction.positions]
    verdicts = []
    for index, item in enumerate(gold.get("stances", [])):
        evidence = gold_interval(item.get("evidence"))
        if evidence is None:
            # Article-level feelings of the author: our positions always have an actor holder.
            continue
        holder, target = str(item.get("holder", "")), str(item.get("target", ""))
        best: StanceVerdict = StanceVerdict(index, None, False, False, False)
        best_score = -1
        for position, intervals in areas:
            if not any(overlap(evidence, where) > 0 for where in intervals):
                continue
            verdict = StanceVerdict(
                index,
                position.id,
                _holder_ok(holder, actors.get(position.actor_id), target),
                _target_ok(target, position.topic),
                position.stance == item.get("stance"),
            )
            score = verdict.holder + verdict.target + verdict.polarity
            if score > best_score:
                best, best_score = verdict, score
        verdicts.append(best)
    counts = StanceCounts(
        n_gold=len(verdicts),
        n_pred=len(extraction.positions),
        aligned=sum(v.position_id is not None for v in verdicts),
        holder=sum(v.holder for v in verdicts),
        target=sum(v.target for v in verdicts),
        polarity=sum(v.polarity for v in verdicts),
        agree=sum(v.holder and v.target and v.polarity for v in verdicts),
    )
    return counts, tuple(verdicts)
