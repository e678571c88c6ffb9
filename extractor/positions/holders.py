"""Where each actor could hold a position: the sentences in which it acts, not those in which it is acted on.

A sentence shows an actor's stance when the actor is its grammatical subject (``Republicans tried to
repeal the ACA``), the agent of a passive (``was blocked by the House``), the possessor of the act
(``Trump's threats``), the name that opens the sentence (headlines), or the speaker of a claim in it.
A subject of an ``if``, ``unless`` or ``whether`` clause does nothing there, nor does the subject of a
clause the sentence denies (``there is no evidence that Congress intended ...``, ``denied that the army
had planned ...``).
An actor that is only an object or a modifier (``the capture of Nicolás Maduro``, ``US military
action``) is the policy's target, and a small model asked about it tends to invent a stance; such
sentences are not offered as its evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.positions.candidates import SentenceMap
from extractor.positions.stance_words import OPPOSE_NOUNS, OWNED_HEADS, SUPPORT_NOUNS
from extractor.text.tokens import TokenTable, char_tokens, span_root, token_table
from schemas import Actor, Claim

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["acting_sentences"]

_HOLDER_DEPS = frozenset({"nsubj", "csubj"})
# What a possessor does or says ("Trump's threats", "Biden's speech"), unlike what befalls it ("Khashoggi's
# death", "Trump's impeachment") or whom it has ("McCabe's lawyers").
_OWN_ACTS = (
    OWNED_HEADS
    | SUPPORT_NOUNS
    | OPPOSE_NOUNS
    | frozenset(
        """statement remark comment tweet speech response view position stance decision vote effort
        campaign rhetoric argument claim letter message announcement warning demand pledge promise
        attack push move action administration government""".split()
    )
)
# Links through which a mention leads up to the phrase that plays the role in the clause.
_LINKS = frozenset({"conj", "appos", "flat"})
_INCLUDING = frozenset({"including", "like", "among"})
_CONDITIONS = frozenset({"if", "unless", "whether"})
_NEGATIONS = frozenset({"not", "n't", "never", "nor"})
# A clause joined to another stands where that one does ("intended the right to expire ... or that the
# tribe would have understood ...").
_CLAUSE_LINKS = frozenset({"conj", "xcomp"})
_CONTENT_CLAUSES = frozenset({"acl", "relcl", "ccomp"})


def acting_sentences(
    doc: Doc, sentences: SentenceMap, actors: list[Actor], claims: list[Claim]
) -> dict[str, dict[int, list[str]]]:
    """Actor id -> sentence index -> the actor's claims in it (empty when the actor acts there unquoted)."""
    acting: dict[str, dict[int, list[str]]] = {actor.id: {} for actor in actors}
    table = token_table(doc)
    # ``Span.sent`` walks back to the nearest token marked as opening a sentence (or the first token); the
    # table holds those openings unless a hook decides the sentences or the parse marks none.
    if table.sentences is None:
        openings = {0, *(doc.to_array("SENT_START") == 1).nonzero()[0].tolist()}
    else:
        openings = {start for start, _ in table.sentences}
    for actor in actors:
        own = acting[actor.id]
        for mention in actor.mentions:
            if mention.start is None or mention.end is None:
                continue
            index = sentences.index_of(mention.start)
            if index is None or index in own:
                continue  # a sentence it acts in already: another mention there decides nothing
            tokens = char_tokens(doc, mention.start, mention.end)
            if tokens is None:
                continue
            first, last = tokens
            # A sentence-initial name is its subject, also in title-case headlines the parser misreads.
            if first in openings or _is_holder(table, span_root(doc, table, first, last)):
                own[index] = []
    for claim in claims:
        if claim.speaker_id not in acting or claim.content.start is None or claim.content.end is None:
            continue
        for index in sentences.covering(claim.content.start, claim.content.end):
            acting[claim.speaker_id].setdefault(index, []).append(claim.id)
    return acting


def _is_holder(table: TokenTable, token: int) -> bool:
    dep, head = table.dep, table.head
    for _ in range(4):
        if dep[token] in _HOLDER_DEPS:
            return not _hypothetical(table, head[token]) and not _denied(table, head[token])
        if dep[token] == "poss":
            return table.lemma[head[token]] in _OWN_ACTS
        if dep[token] == "pobj" and dep[head[token]] == "agent":
            return True
        if dep[token] == "pobj" and table.lower[head[token]] in _INCLUDING:
            token = head[head[token]]
        elif dep[token] in _LINKS or dep[token] == "prep":
            token = head[token]
        else:
            return False
    return False


def _hypothetical(table: TokenTable, verb: int) -> bool:
    """A clause of ``if``, ``unless`` or ``whether`` (``if the Senate follows suit``): nothing done there."""
    return any(
        table.dep[child] == "mark" and table.lower[child] in _CONDITIONS for child in table.children(verb)
    )


def _denied(table: TokenTable, verb: int) -> bool:
    """A content clause of a negated noun or verb (``no evidence that ...``, ``did not say that ...``).

    What the clause says is what the sentence denies: its subject is not said to do anything.
    """
    dep, head = table.dep, table.head
    for _ in range(4):
        if dep[verb] not in _CLAUSE_LINKS or head[verb] == verb:
            break
        verb = head[verb]
    if dep[verb] not in _CONTENT_CLAUSES or head[verb] == verb:
        return False
    governor = head[verb]
    if table.lemma[governor] == "deny":
        return True
    if table.pos[governor] not in ("NOUN", "PROPN"):
        return dep[verb] == "ccomp" and _negated(table, governor)
    # "no evidence that ...", and "any evidence" where the verb it depends on is negated ("nor is there").
    determiners = {table.lower[child] for child in table.children(governor) if dep[child] == "det"}
    return "no" in determiners or ("any" in determiners and _negated(table, head[governor]))


def _negated(table: TokenTable, word: int) -> bool:
    return any(
        table.dep[child] == "neg" or table.lower[child] in _NEGATIONS for child in table.children(word)
    )
