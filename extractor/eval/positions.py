"""Scoring policy positions against SEESAW-style gold: (holder, topic, stance) per article.

A gold position is **found** when some predicted position's actor matches the holder by name and its topic
matches the target, and **recalled** when that position also has the gold stance. A predicted position is
**correct** when it recalls some gold position. Names match when they share a content word (compared on
their first six letters, so ``Democrats`` meets ``Democratic Party``) or are the same by
:func:`~extractor.eval.matching.actor_named`; a topic matches when its label shares a content word with the
target or its evidence overlaps one of the gold evidence sentences. Gold names are canonical entity names
("Affordable Care Act" for "Obamacare"), so the evidence rule is what finds a topic named otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extractor.eval.matching import Interval, actor_named, gold_interval, interval, overlap
from schemas import Actor, ArticleExtraction, PolicyPosition

__all__ = ["PositionCounts", "content_words", "score_positions", "share_content_word"]

_STOP = frozenset(
    """a an and the of on in to for with by at from as about its his her their our us u s s.
    mr mrs ms dr president former senator sen rep gov governor justice chief party united states
    policy plan issue""".split()
)
_STEM = 6


@dataclass(frozen=True)
class PositionCounts:
    """Gold positions recalled and found with any stance; predicted positions that are correct."""

    n_gold: int = 0
    n_pred: int = 0
    recalled: int = 0
    found: int = 0
    correct: int = 0

    def __add__(self, other: PositionCounts) -> PositionCounts:
        return PositionCounts(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )

    def as_dict(self) -> dict[str, Any]:
        """Precision, recall, F1, found-with-any-stance and the counts behind them."""
        precision = self.correct / self.n_pred if self.n_pred else None
        recall = self.recalled / self.n_gold if self.n_gold else None
        f1 = None
        if self.n_gold:
            p, r = precision or 0.0, recall or 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "found_any_stance": self.found / self.n_gold if self.n_gold else None,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_matched": self.recalled,
            "n_found": self.found,
            "n_correct": self.correct,
        }


def content_words(text: str) -> set[str]:
    """A phrase's content words, casefolded and cut to their first six letters."""
    words = re.findall(r"[\w]+", text.casefold().replace("’", "'"))
    return {word[:_STEM] for word in words if word not in _STOP and len(word) > 1 and not word.isdigit()}


def share_content_word(a: str, b: str) -> bool:
    """Whether two phrases share a content word."""
    return bool(content_words(a) & content_words(b))


def _holder_matches(actor: Actor | None, holder: str) -> bool:
    if actor is None:
        return False
    return actor_named(actor, holder) or share_content_word(f"{actor.name} {actor.canonical_name}", holder)


def _topic_matches(position: PolicyPosition, target: str, evidence: Sequence[Interval]) -> bool:
    if share_content_word(position.topic, target):
        return True
    spans = [where for where in map(interval, position.evidence) if where]
    return any(overlap(span, gold) > 0 for span in spans for gold in evidence)


def score_positions(extraction: ArticleExtraction, gold: Mapping[str, Any]) -> PositionCounts:
    """Counts of one article's positions against its gold positions (``stances`` with a holder and target)."""
    actors = {actor.id: actor for actor in extraction.actors}
    labels = {topic.id: topic.label for topic in extraction.topics}
    items = [item for item in gold.get("stances", []) if item.get("holder") and item.get("target")]
    correct: set[str] = set()
    recalled = found = 0
    for item in items:
        holder, target = str(item["holder"]), str(item["target"])
        evidence = [where for where in map(gold_interval, item.get("evidence") or []) if where]
        about = [
            position
            for position in extraction.positions
            if _holder_matches(actors.get(position.actor_id), holder)
            and (
                _topic_matches(position, target, evidence)
                or share_content_word(labels.get(position.topic_id, ""), target)
            )
        ]
        right = [position for position in about if position.stance == item.get("stance")]
        found += bool(about)
        recalled += bool(right)
        correct.update(position.id for position in right)
    return PositionCounts(len(items), len(extraction.positions), recalled, found, len(correct))
