"""Stances the parse states outright: the holder is the subject of a stance verb whose object is the topic.

``Democrats voted to overturn the declaration``, ``Biden condemned white supremacy``, ``the House backed
the bill``: the verb's polarity (negated by ``not``) is the stance, and no model is asked. A verb reached
through ``to`` (``voted to overturn``, ``tried to repeal``) takes the subject of the verb it completes.
Reads the parse (lemmas, dependencies, negation) and the actor's mention offsets; writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["OPPOSE_LEMMAS", "SUPPORT_LEMMAS", "Polarity", "explicit_stance", "held_by", "stance_read"]

Polarity = Literal["support", "oppose"]

SUPPORT_LEMMAS = frozenset(
    """support back endorse approve defend propose champion favor favour welcome praise advocate
    promote pass sign introduce""".split()
)
OPPOSE_LEMMAS = frozenset(
    """oppose reject condemn denounce criticize criticise block repeal overturn fight resist veto slam
    scrap reverse dismantle end kill halt stop challenge decry""".split()
)
_VOTE_PREPOSITIONS: dict[str, Polarity] = {"for": "support", "against": "oppose"}
_OBJECTS = frozenset({"dobj", "pobj", "attr", "nsubjpass"})
_SUBJECTS = frozenset({"nsubj", "csubj"})


def explicit_stance(
    doc: Doc,
    sentences: Iterable[tuple[int, int]],
    holder: Sequence[tuple[int, int]],
    heads: frozenset[str],
) -> Polarity | Literal["mixed"] | None:
    """The stance the given sentences state outright, or None when they state none.

    ``holder`` lists the character ranges of the actor's mentions; ``heads`` the topic's head lemmas.
    Both polarities stated is ``mixed``.
    """
    return stance_read(doc, sentences, lambda sentence: _stated(sentence, holder, heads))


def stance_read(
    doc: Doc, sentences: Iterable[tuple[int, int]], read: Callable[[Span], Iterable[Polarity]]
) -> Polarity | Literal["mixed"] | None:
    """What ``read`` finds over the sentences at these character ranges: one polarity, ``mixed``, or None."""
    found: set[Polarity] = set()
    for start, end in sentences:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            found.update(read(span))
    if len(found) > 1:
        return "mixed"
    return next(iter(found), None)


def _stated(sentence: Span, holder: Sequence[tuple[int, int]], heads: frozenset[str]) -> Iterable[Polarity]:
    for verb in sentence:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        polarity = _polarity(verb, heads)
        if polarity is None:
            continue
        subject = _subject(verb)
        if subject is None or not held_by(subject, holder):
            continue
        if any(child.dep_ == "neg" for child in verb.children):
            polarity = "oppose" if polarity == "support" else "support"
        yield polarity


def _polarity(verb: Token, heads: frozenset[str]) -> Polarity | None:
    lemma = verb.lemma_.lower()
    if lemma in SUPPORT_LEMMAS or lemma in OPPOSE_LEMMAS:
        if any(_names_topic(child, heads) for child in verb.children if child.dep_ in _OBJECTS):
            return "support" if lemma in SUPPORT_LEMMAS else "oppose"
        return None
    if lemma == "vote":
        for child in verb.children:
            side = _VOTE_PREPOSITIONS.get(child.lower_) if child.dep_ == "prep" else None
            if side and any(_names_topic(obj, heads) for obj in child.children if obj.dep_ == "pobj"):
                return side
    return None


def _names_topic(phrase: Token, heads: frozenset[str]) -> bool:
    """Whether the object phrase is the topic: its head, or a word of its own modifiers, is a topic head."""
    return any(token.lemma_.lower() in heads for token in phrase.subtree if token.pos_ in ("NOUN", "PROPN"))


def _subject(verb: Token) -> Token | None:
    for _ in range(3):
        subject = next((child for child in verb.children if child.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
        if verb.dep_ not in ("xcomp", "conj") or verb.head is verb:
            return None
        # "voted to overturn", "tried to repeal", "met and condemned": the subject of the verb it completes.
        verb = verb.head
    return None


def held_by(
    subject: Token, holder: Sequence[tuple[int, int]], links: frozenset[str] = frozenset({"compound", "conj"})
) -> bool:
    """Whether the subject, or a word it links by ``links``, lies in one of the holder's mentions."""
    tokens = [subject, *(child for child in subject.children if child.dep_ in links)]
    return any(start <= token.idx < end for token in tokens for start, end in holder)
