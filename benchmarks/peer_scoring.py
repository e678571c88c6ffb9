"""Peers' answers as :class:`~schemas.ArticleExtraction`, scored by the project's own scorer.

A peer answers with names and quotations, not offsets. Code grounds them, the same way for every peer:

- a quotation is located with :class:`extractor.text.grounding.Grounder` (exact, then normalised, then
  fuzzy), unless the peer located it itself (langextract's aligner gives character intervals); it becomes
  the claim's content and quote span, or an ungrounded span that matches no gold claim;
- a speaker name becomes an actor whose mentions are every occurrence of the name in the article and,
  for a name of several words, of its last word (the surname), since the scorer checks the speaker by a
  mention overlapping the gold speaker span.

The gold documents: the seed article with its reviewed expectation (``seeds/*.expected.json``: every
attributed statement of the body with its speaker's name, by its quote's offsets or, for reported speech,
words its content contains; scored like exhaustive gold, a speaker by name)
and the shortest documents of ``../shared/eval/dev.jsonl`` with exhaustive claims (PolNeAR), read in place
at run time, never copied.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from benchmarks.embedded_model import DEV_PATH, SEED_PATH
from extractor.eval import score_document, summarize
from extractor.eval.scoring import DocScore
from extractor.text.grounding import Grounder
from schemas import Actor, ActorKind, ArticleExtraction, Claim, ClaimKind, Provenance, Span

__all__ = ["PeerClaim", "gold_documents", "score", "seed_gold", "to_extraction"]

_ACTOR_KINDS = frozenset(get_args(ActorKind))
_CLAIM_KINDS = frozenset(get_args(ClaimKind))
_NO_SPEAKER = frozenset({"", "unknown", "none", "n/a", "unnamed", "anonymous", "author", "the author"})


@dataclass(frozen=True)
class PeerClaim:
    """One claim as a peer gives it: who, which words, and where, if the peer located them itself."""

    speaker: str
    quote: str
    kind: str = "statement"
    start: int | None = None
    end: int | None = None


def seed_gold() -> dict[str, Any]:
    """The seed article as a gold document: its reviewed claims, quote spans as content, speakers by name."""
    expected = json.loads(SEED_PATH.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = SEED_PATH.read_text(encoding="utf-8")
    claims = []
    for index, claim in enumerate(expected["claims"]):
        if "quote" in claim:
            content = dict(claim["quote"])
        else:  # a reported claim: the expectation names words its content contains
            start = text.index(claim["content_contains"])
            content = {"start": start, "end": start + len(claim["content_contains"])}
        claims.append({"id": f"s{index}", "content": content, "speaker_name": claim["speaker"]})
    return {
        "id": "seed",
        "source": "seed",
        "text": text,
        "gold_layers": {"claims": "exhaustive: reviewed expectation", "actors": "absent"},
        "claims": claims,
        "actors": [],
    }


def gold_documents(dev_docs: int, path: Path = DEV_PATH) -> list[dict[str, Any]]:
    """The seed, then the ``dev_docs`` shortest dev documents whose claims are exhaustive gold (F1 needs it).

    The shortest, so that three clients reading every document one request at a time from a 1.5B model on
    two shared cores finish in minutes, not hours; ties keep the file's order.
    """
    from extractor.eval.scoring import layer_mode

    docs = [seed_gold()]
    if not path.exists():
        return docs
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    exhaustive = [record for record in records if layer_mode(record, "claims") == "full"]
    return docs + sorted(exhaustive, key=lambda record: len(str(record["text"])))[:dev_docs]


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:56] or "actor"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _mentions(text: str, name: str) -> list[Span]:
    words = name.split()
    needles = [name] + ([words[-1]] if len(words) > 1 and len(words[-1]) > 2 else [])
    found: dict[tuple[int, int], Span] = {}
    for needle in needles:
        for match in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text):
            start, end = match.span()
            if not any(start < other_end and other_start < end for other_start, other_end in found):
                found[(start, end)] = Span(start=start, end=end, text=match.group())
    return [found[key] for key in sorted(found)][:500]


def _quote_span(text: str, grounder: Grounder, claim: PeerClaim) -> Span:
    if claim.start is not None and claim.end is not None and 0 <= claim.start < claim.end <= len(text):
        return Span(start=claim.start, end=claim.end, text=text[claim.start : claim.end][:4000])
    return grounder.locate(claim.quote[:4000])


def to_extraction(
    text: str,
    actors: Iterable[tuple[str, str]],
    claims: Sequence[PeerClaim],
    *,
    peer: str,
    article_id: str,
) -> ArticleExtraction:
    """A peer's named actors ``(name, kind)`` and claims, grounded in ``text`` by code."""
    by_name: dict[str, Actor] = {}
    taken: set[str] = set()

    def actor(name: str, kind: str) -> Actor:
        key = name.strip()
        if key.casefold() not in by_name:
            by_name[key.casefold()] = Actor(
                id=_slug(key, taken),
                name=key[:200],
                canonical_name=key[:200],
                kind=kind if kind in _ACTOR_KINDS else "other",
                mentions=_mentions(text, key),
            )
        return by_name[key.casefold()]

    for name, kind in actors:
        if name.strip():
            actor(name, kind)
    grounder = Grounder(text)
    out: list[Claim] = []
    for claim in claims:
        if not claim.quote.strip():
            continue
        span = _quote_span(text, grounder, claim)
        speaker = claim.speaker.strip()
        known = speaker.casefold() not in _NO_SPEAKER
        out.append(
            Claim(
                id=f"c{len(out) + 1}",
                speaker_id=actor(speaker, "person").id if known else None,
                attribution="actor" if known else "unattributed",
                statement=claim.quote.strip()[:1000],
                content=span,
                quote=span,
                kind=claim.kind if claim.kind in _CLAIM_KINDS else "other",
            )
        )
    return ArticleExtraction(
        article_id=article_id,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        actors=list(by_name.values()),
        claims=out,
        provenance=Provenance(model="embedded", strategy=peer),
    )


def score(pairs: Sequence[tuple[ArticleExtraction, dict[str, Any]]]) -> dict[str, Any]:
    """Claims and claims-with-speaker precision, recall and F1, micro over the documents and per document."""
    scores: list[DocScore] = [score_document(extraction, gold) for extraction, gold in pairs]
    overall = summarize(scores)["overall"]
    grounded = sum(score.n_exact_quotes for score in scores)
    return {
        "claims": overall["claims"],
        "claims_with_speaker": overall["claims_with_speaker"],
        "quotes": overall["n_quotes"],
        "quotes_verbatim": grounded,
        "per_document_speaker_f1": {
            score.doc_id: (score.claims_with_speaker.as_dict()["f1"] if score.claims_with_speaker else None)
            for score in scores
        },
    }
