"""Where each actor could hold a position: the sentences in which it acts, not those in which it is acted on.

A sentence shows an actor's stance when the actor is its grammatical subject (``Republicans tried to
repeal the ACA``), the agent of a passive (``was blocked by the House``), the possessor of the act
(``Trump's threats``), the name that opens the sentence (headlines), or the speaker of a claim in it.
An actor that is only an object or a modifier (``the capture of Nicolás Maduro``, ``US military
action``) is the policy's target, and a small model asked about it tends to invent a stance; such
sentences are not offered as its evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.positions.candidates import SentenceMap
from schemas import Actor, Claim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["acting_sentences"]

_HOLDER_DEPS = frozenset({"nsubj", "poss", "csubj"})
# Links through which a mention leads up to the phrase that plays the role in the clause.
_LINKS = frozenset({"conj", "appos", "flat"})
_INCLUDING = frozenset({"including", "like", "among"})


def acting_sentences(
    doc: Doc, sentences: SentenceMap, actors: list[Actor], claims: list[Claim]
) -> dict[str, dict[int, list[str]]]:
    """Actor id -> sentence index -> the actor's claims in it (empty when the actor acts there unquoted)."""
    acting: dict[str, dict[int, list[str]]] = {actor.id: {} for actor in actors}
    for actor in actors:
        for mention in actor.mentions:
            if mention.start is None or mention.end is None:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            index = sentences.index_of(mention.start)
            # A sentence-initial name is its subject, also in title-case headlines the parser misreads.
            if (
                span is not None
                and index is not None
                and (span.start == span.sent.start or _is_holder(span.root))
            ):
                acting[actor.id].setdefault(index, [])
    for claim in claims:
        if claim.speaker_id not in acting or claim.content.start is None or claim.content.end is None:
            continue
        for index in sentences.covering(claim.content.start, claim.content.end):
            acting[claim.speaker_id].setdefault(index, []).append(claim.id)
    return acting


def _is_holder(token: Token) -> bool:
    for _ in range(4):
        if token.dep_ in _HOLDER_DEPS:
            return True
        if token.dep_ == "pobj" and token.head.dep_ == "agent":
            return True
        if token.dep_ == "pobj" and token.head.lower_ in _INCLUDING:
            token = token.head.head
        elif token.dep_ in _LINKS or token.dep_ == "prep":
            token = token.head
        else:
            return False
    return False
