"""Which way a holder leans on a topic, read off the parse path from the topic up to the holder's verb.

The small model tells well whether some sentences show an actor's view of a topic and badly which way: it
answers ``support`` for most pairs it takes a stance on. The direction is in the words between the two:
``Amash has backed a measure to overturn the declaration`` climbs from *declaration* through *overturn*
(against) and *backed* (for) to Amash, and for-times-against is against. Each stance word on the path
counts, a negation (``not``, ``never``, ``no``) reverses the word it modifies, and ``against`` opposes.
The path ends at the first verb with a subject of its own: the holder's (the answer), a pronoun
(``Williams said he would vote against the resolution``: the climb goes on to the reporting verb), or
anyone else's (someone else's view: no answer), unless it is a rule reported on them: what they must,
should or may not do (``the court ruled Wyoming can't abrogate the treaty``) is the reporter's view, and
the climb goes on to the reporting verb. A relative clause is someone else's view too, unless it is an
infinitive (``a measure to overturn``), and so is what the holder faces, receives or draws (``faced
pressure to halt the deal``: the pressure is others'). A speaker's disparaging words for the topic
(``their impeachment obsession``, ``this sham impeachment``) are the speaker's view against it, whoever
the clause is about. Through ``be``, the adjective judging the topic is the word that counts (``the
mandate was unconstitutional``). A topic the holder possesses needs no path: it is the holder's own
policy, which it supports (``Trump's threatened tariffs``).

Reads the parse (lemmas, parts of speech, dependencies) and the holder's mention offsets; writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from extractor.positions.explicit import Polarity, held_by, stance_read
from extractor.positions.stance_words import (
    FOR_HEADS,
    OPPOSE_NOUNS,
    OPPOSE_PHRASAL,
    OPPOSE_PREDICATES,
    OPPOSE_VERBS,
    OWNED_HEADS,
    PEJORATIVE_HEADS,
    PEJORATIVE_MODIFIERS,
    SUPPORT_NOUNS,
    SUPPORT_PREDICATES,
    SUPPORT_VERBS,
)
from extractor.text.tokens import TokenTable

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["path_stance"]

_NEGATIONS = frozenset({"not", "n't", "never", "no", "nothing", "little"})
_PRONOUNS = frozenset("he she they we i it who that this".split())
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_MAX_STEPS = 12
# "faced pressure to halt the deal", "drew calls to end it": the stance is of those who press or call.
_UNDERGONE = frozenset("face receive draw weather endure".split())
_OBLIGATIONS = frozenset({"must", "should", "ought", "shall"})
_PERMISSIONS = frozenset({"can", "could", "may"})
# "its leader, Ana Ruiz, backed the ban": the name may be the subject's apposition.
_HOLDER_LINKS = frozenset({"compound", "conj", "appos"})
# Only these verbs have a particle to look for.
_PHRASAL_VERBS = frozenset(verb for verb, _ in OPPOSE_PHRASAL)
# The roles of a negating word, or of a quantifier a negation hangs on ("not much support").
_NEGATING_DEPS = frozenset({"det", "advmod", "amod"})


def path_stance(
    doc: Doc,
    sentences: Iterable[tuple[int, int]],
    holder: Sequence[tuple[int, int]],
    heads: frozenset[str],
) -> Literal["support", "oppose", "mixed"] | None:
    """The direction the sentences' parse gives the holder on the topic, or None when it gives none.

    ``holder`` lists the character ranges of the actor's mentions; ``heads`` the topic's head lemmas.
    Both directions found is ``mixed``.
    """
    return stance_read(
        doc, sentences, lambda table, first, last: _directions(table, first, last, holder, heads)
    )


def _directions(
    table: TokenTable, first: int, last: int, holder: Sequence[tuple[int, int]], heads: frozenset[str]
) -> Iterator[Polarity]:
    lemma, pos = table.lemma, table.pos
    for token in range(first, last):
        if lemma[token] in heads and pos[token] in ("NOUN", "PROPN"):
            if lemma[token] in OWNED_HEADS and _owned_by(table, token, holder):
                yield "support"
                continue
            sign = _climb(table, token, holder)
            if sign is not None:
                yield "support" if sign > 0 else "oppose"


def _owned_by(table: TokenTable, topic: int, holder: Sequence[tuple[int, int]]) -> bool:
    """Whether the holder is the topic's possessor ("Trump's tariffs"), the author of its own policy."""
    return any(
        table.dep[child] == "poss" and held_by(table, child, holder, _HOLDER_LINKS)
        for child in table.children(topic)
    )


def _climb(table: TokenTable, topic: int, holder: Sequence[tuple[int, int]]) -> int | None:
    """+1 or -1 when the path from the topic reaches the holder's verb through a stance word, else None.

    The climb ends at the sentence root (its own head). A topic that is its verb's own subject ("the ban
    hurts farmers") is what the verb is about, not who holds the view: it does not end the climb.
    """
    dep, lower = table.dep, table.lower
    sign, stated, token = 1, False, topic
    disparaged = _disparaged(table, topic)
    for _ in range(_MAX_STEPS):
        parent = table.head[token]
        if parent == token:
            return None
        if dep[token] == "relcl" and not _infinitive(table, token):
            return None
        if dep[token] == "dobj" and table.lemma[parent] in _UNDERGONE:
            return None
        word = _word_sign(table, parent, token)
        if word:
            sign, stated = sign * word, True
        children = table.children(parent)
        if _has_negating_child(table, children):
            sign = -sign
        subjects = [c for c in children if dep[c] in _SUBJECTS and dep[c] != "expl" and c != token]
        if subjects:
            if any(held_by(table, subject, holder, _HOLDER_LINKS) for subject in subjects):
                return sign if stated else None
            if any(lower[subject] not in _PRONOUNS for subject in subjects) and not _ruled(table, parent):
                if not disparaged:
                    return None
                # The speaker's own words for the topic are the speaker's view, whoever the clause is about.
                sign, stated, disparaged = -1, True, False
        token = parent
    return None


def _disparaged(table: TokenTable, topic: int) -> bool:
    """Whether the sentence's words for the topic disparage it: "their impeachment obsession", "sham"."""
    phrase = table.head[topic] if table.dep[topic] == "compound" else topic
    if phrase != topic and table.lemma[phrase] in PEJORATIVE_HEADS:
        return True
    return any(
        table.dep[child] == "amod" and table.lemma[child] in PEJORATIVE_MODIFIERS
        for word in {topic, phrase}
        for child in table.children(word)
    )


def _ruled(table: TokenTable, verb: int) -> bool:
    """A reported rule on someone else (``the court ruled Wyoming can't abrogate the treaty``).

    What one must, should or may not do, in the complement of a reporting verb, is the reporter's own
    view of it: the climb goes on to the reporting verb.
    """
    if table.dep[verb] != "ccomp":
        return False
    auxiliaries = [child for child in table.children(verb) if table.dep[child] == "aux"]
    if any(table.lemma[aux] in _OBLIGATIONS for aux in auxiliaries):
        return True
    return _has_negating_child(table, table.children(verb)) and any(
        table.lemma[aux] in _PERMISSIONS for aux in auxiliaries
    )


def _word_sign(table: TokenTable, word: int, child: int) -> int:
    lemma, pos, dep = table.lemma[word], table.pos[word], table.dep
    if pos in ("VERB", "AUX"):
        if lemma == "be" and dep[child] == "nsubj":
            return _predicate_sign(table, word)
        if lemma in _PHRASAL_VERBS and any(
            table.dep[c] == "prt" and (lemma, table.lower[c]) in OPPOSE_PHRASAL for c in table.children(word)
        ):
            return -1
        return 1 if lemma in SUPPORT_VERBS else -1 if lemma in OPPOSE_VERBS else 0
    if pos == "NOUN":
        return 1 if lemma in SUPPORT_NOUNS else -1 if lemma in OPPOSE_NOUNS else 0
    if dep[word] == "prep" and dep[child] == "pobj":
        if table.lower[word] == "against":
            return -1
        if table.lower[word] == "for" and table.lemma[table.head[word]] in FOR_HEADS:
            return 1
    return 0


def _predicate_sign(table: TokenTable, copula: int) -> int:
    """+1 or -1 when the copula's adjective judges its subject ("the mandate was unconstitutional")."""
    for child in table.children(copula):
        if table.dep[child] == "acomp":
            lemma = table.lemma[child]
            return 1 if lemma in SUPPORT_PREDICATES else -1 if lemma in OPPOSE_PREDICATES else 0
    return 0


def _infinitive(table: TokenTable, verb: int) -> bool:
    """``a measure to overturn``: the parser's relative clause that is the noun's purpose, not a view."""
    return any(table.dep[child] == "aux" and table.lower[child] == "to" for child in table.children(verb))


def _has_negating_child(table: TokenTable, children: list[int]) -> bool:
    """Whether one of a word's children negates it."""
    dep = table.dep
    for child in children:
        label = dep[child]
        if label == "neg":
            return True
        if label in _NEGATING_DEPS and (
            table.lower[child] in _NEGATIONS
            # "not much support": the negation hangs on the quantifier.
            or any(dep[c] == "neg" for c in table.children(child))
        ):
            return True
    return False
