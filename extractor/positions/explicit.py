"""Stances the parse states outright: the holder is the subject of a stance verb whose object is the topic.

``Democrats voted to overturn the declaration``, ``Biden condemned white supremacy``, ``the House backed
the bill``: the verb's polarity (negated by ``not``) is the stance, and no model is asked. A verb in an
``if`` or ``whether`` clause (``said if he would support the resolution``) states no stance. A verb reached
through ``to`` (``voted to overturn``, ``tried to repeal``) takes the subject of the verb it completes.
Reads the parse (lemmas, dependencies, negation) and the actor's mention offsets; writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from extractor.positions.stance_words import OPPOSE_LEMMAS, SUPPORT_LEMMAS
from extractor.text.tokens import TokenTable, char_tokens, token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Polarity", "explicit_stance", "held_by", "stance_read"]

Polarity = Literal["support", "oppose"]
# What a sentence reader gets: the parse's token table and the sentence's tokens ``[first, last)``.
SentenceReader = Callable[[TokenTable, int, int], Iterable[Polarity]]

_VOTE_PREPOSITIONS: dict[str, Polarity] = {"for": "support", "against": "oppose"}
_OBJECTS = frozenset({"dobj", "pobj", "attr", "nsubjpass"})
_SUBJECTS = frozenset({"nsubj", "csubj"})
_VERBS = frozenset({"VERB", "AUX"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_OPEN_CLAUSES = frozenset({"if", "whether"})
_PARTS = frozenset({"member", "leader", "majority", "minority", "head", "chair", "chairman", "chairwoman"})
_MODIFIERS = frozenset({"compound", "amod", "nmod", "poss", "appos", "conj", "nummod"})


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
    return stance_read(doc, sentences, lambda table, first, last: _stated(table, first, last, holder, heads))


def stance_read(
    doc: Doc, sentences: Iterable[tuple[int, int]], read: SentenceReader
) -> Polarity | Literal["mixed"] | None:
    """What ``read`` finds over the sentences at these character ranges: one polarity, ``mixed``, or None.

    Each range is read as the tokens ``doc.char_span(start, end, alignment_mode="expand")`` covers, through
    the parse's token table (a spaCy ``Token`` per word read cost more than the reading).
    """
    table = token_table(doc)
    found: set[Polarity] = set()
    for start, end in sentences:
        tokens = char_tokens(doc, start, end)
        if tokens is not None:
            found.update(read(table, *tokens))
    if len(found) > 1:
        return "mixed"
    return next(iter(found), None)


def _stated(
    table: TokenTable, first: int, last: int, holder: Sequence[tuple[int, int]], heads: frozenset[str]
) -> Iterable[Polarity]:
    pos, dep = table.pos, table.dep
    for verb in range(first, last):
        if pos[verb] not in _VERBS:
            continue
        polarity = _polarity(table, verb, heads)
        if polarity is None:
            continue
        subject = _subject(table, verb)
        if subject is None or not held_by(table, subject, holder) or _asked(table, verb):
            continue
        if any(dep[child] == "neg" for child in table.children(verb)):
            polarity = "oppose" if polarity == "support" else "support"
        yield polarity


def _asked(table: TokenTable, verb: int) -> bool:
    """Whether the verb's clause is a question or a condition (``if he would support it``): no stance."""
    return any(
        table.dep[child] == "mark" and table.lower[child] in _OPEN_CLAUSES
        for clause_verb in _completed(table, verb)
        for child in table.children(clause_verb)
    )


def _polarity(table: TokenTable, verb: int, heads: frozenset[str]) -> Polarity | None:
    lemma, dep = table.lemma[verb], table.dep
    if lemma in SUPPORT_LEMMAS or lemma in OPPOSE_LEMMAS:
        if any(_names_topic(table, child, heads) for child in table.children(verb) if dep[child] in _OBJECTS):
            return "support" if lemma in SUPPORT_LEMMAS else "oppose"
        return None
    if lemma == "vote":
        for child in table.children(verb):
            side = _VOTE_PREPOSITIONS.get(table.lower[child]) if dep[child] == "prep" else None
            if side and any(
                _names_topic(table, obj, heads) for obj in table.children(child) if dep[obj] == "pobj"
            ):
                return side
    return None


def _names_topic(table: TokenTable, phrase: int, heads: frozenset[str]) -> bool:
    """Whether the object phrase is the topic: its head, or a word of its own modifiers, is a topic head.

    Its clauses and prepositional phrases are not the object itself: ``passed a resolution disapproving
    of the declaration`` and ``backed the repeal of the law`` turn against what they hold, which the parse
    path (:mod:`.polarity`) reads word by word.
    """
    lemma, pos = table.lemma, table.pos
    waiting = [phrase]
    while waiting:
        token = waiting.pop()
        if lemma[token] in heads and pos[token] in _NOUNS:
            return True
        waiting += (child for child in table.children(token) if table.dep[child] in _MODIFIERS)
    return False


def _subject(table: TokenTable, verb: int) -> int | None:
    return next(
        (
            child
            for clause_verb in _completed(table, verb)
            for child in table.children(clause_verb)
            if table.dep[child] in _SUBJECTS
        ),
        None,
    )


def _completed(table: TokenTable, verb: int) -> Iterator[int]:
    """The verb, then up to two verbs it completes ("voted to overturn", "met and condemned")."""
    yield verb
    for _ in range(2):
        if table.dep[verb] not in ("xcomp", "conj"):
            return
        verb = table.head[verb]
        yield verb


def held_by(
    table: TokenTable,
    subject: int,
    holder: Sequence[tuple[int, int]],
    links: frozenset[str] = frozenset({"compound", "conj"}),
) -> bool:
    """Whether the subject, or a word it links by ``links``, lies in one of the holder's mentions.

    Members speak for their body: "members of the panel of the Circuit Court" is held by the court. One
    counted member does not speak for the group its name shares: "one Republican" is not the Republicans.
    """
    linked = [child for child in table.children(subject) if table.dep[child] in links]
    one = any(table.dep[c] == "nummod" and table.lower[c] == "one" for c in table.children(subject))
    tokens = linked if one else [subject, *linked]
    if table.lemma[subject] in _PARTS:
        tokens += _wholes(table, subject)
    return any(start <= table.idx[token] < end for token in tokens for start, end in holder)


def _wholes(table: TokenTable, part: int) -> list[int]:
    """What ``part`` is part of, up its "of" chain: panel and court of "members of the panel of the court"."""
    wholes: list[int] = []
    for _ in range(3):
        part = next(
            (
                whole
                for of in table.children(part)
                if table.dep[of] == "prep" and table.lower[of] == "of"
                for whole in table.children(of)
                if table.dep[whole] == "pobj"
            ),
            -1,
        )
        if part < 0:
            break
        wholes.append(part)
    return wholes
