"""Topic candidates read off the parse by code: policy-like noun phrases grouped by their head word.

A candidate is a noun chunk whose head names a policy or an action (a word list of policy heads, or a
nominalisation such as ``intervention`` or ``impeachment``), a chunk a stance verb governs (``repeal the
ACA``, ``backed a measure``), a word set alone in quotation marks (called a “lynching”), or a law or event
the entity recogniser found. Chunks that are an actor's
mention are not topics. Chunks sharing a head lemma are one candidate, so every sentence that mentions
``strikes`` is known to discuss the same candidate, and in an article that names one law, "the law" and
"the bill" join that law's candidate. The model later names and merges candidates into the
article's topics. Where the policy nouns occur (:class:`PolicyNouns`) tells which further sentences discuss
a named topic.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from extractor.positions.stance_words import STANCE_VERBS
from extractor.text.offsets import OffsetCover
from extractor.text.tokens import TokenTable, sentence_offsets, span_root, token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "OffsetCover",
    "PolicyNouns",
    "SentenceMap",
    "TopicCandidate",
    "sentence_bounds",
    "topic_candidates",
]

MAX_CANDIDATES = 12
_MAX_PHRASE_WORDS = 8

POLICY_HEADS = frozenset(
    """act agreement aid amendment attack ban bill blockade boycott budget ceasefire charge cooperation
    crackdown cut deal declaration deportation embargo emergency expansion funding impeachment inquiry
    intervention invasion investigation law mandate measure military occupation operation order plan
    policy probe program programme proposal raid reform regulation resolution rule ruling sale sanction
    shutdown strategy strike subsidy tariff tax treaty troop vote wall war withdrawal""".split()
)
"""Head lemmas of noun phrases that name a policy or an action."""

_NOMINAL_SUFFIXES = ("tion", "sion", "ment")
_NOT_TOPICS = frozenset(
    """statement comment government administration department ministry president minister official
    people person country nation state year month week day time way thing part number percent
    interview report article news question answer comment moment mention information attention
    relation argument document environment element situation""".split()
)
_NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON"})
# The roles spaCy's English noun-chunk rule accepts a chunk's head in.
_CHUNK_DEPS = frozenset(
    {"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT"}
)
_TOPIC_ENTITIES = frozenset({"LAW", "EVENT"})
_NAMED_WEIGHT = 1.5
"""Weight of a chunk the entity recogniser names (a law, an event), above a stance verb's object (1.0)."""
_LAW_HEADS = frozenset({"act", "bill", "law", "legislation"})
_OPENING_QUOTES = frozenset({"“", '"', "‘"})
_CLOSING_QUOTES = frozenset({"”", '"', "’"})
_ACTOR_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "DATE", "TIME", "CARDINAL"})


@dataclass(frozen=True)
class TopicCandidate:
    """Noun phrases of one head: the fullest phrase, the sentences (indexes) that mention them."""

    key: str
    """Id of the candidate within the article (``k1``, ``k2``...)."""
    phrase: str
    head: str
    sentences: tuple[int, ...]
    score: float


@dataclass(frozen=True)
class SentenceMap:
    """Sentence bounds of an article, for finding which sentence holds an offset.

    The bounds are in text order and do not overlap, so a lookup is a binary search.
    """

    bounds: tuple[tuple[int, int], ...]
    _starts: list[int] = field(init=False, repr=False, compare=False)
    _ends: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [start for start, _ in self.bounds])
        object.__setattr__(self, "_ends", [end for _, end in self.bounds])

    def index_of(self, offset: int) -> int | None:
        """The sentence holding character ``offset``."""
        index = bisect_right(self._starts, offset) - 1
        return index if index >= 0 and offset < self._ends[index] else None

    def covering(self, start: int, end: int) -> list[int]:
        """The sentences a ``[start, end)`` range touches."""
        return list(range(bisect_right(self._ends, start), bisect_left(self._starts, end)))


def sentence_bounds(doc: Doc, text: str) -> SentenceMap:
    """Each sentence of ``doc`` (the parse of ``text``) as ``(start, end)`` offsets, whitespace excluded."""
    bounds = []
    for start_char, end_char in sentence_offsets(doc):
        sentence_text = text[start_char:end_char]
        start = start_char + (len(sentence_text) - len(sentence_text.lstrip()))
        end = start_char + len(sentence_text.rstrip())
        if end > start:
            bounds.append((start, end))
    return SentenceMap(tuple(bounds))


def topic_candidates(
    text: str, doc: Doc, sentences: SentenceMap, actor_spans: Sequence[tuple[int, int]]
) -> list[TopicCandidate]:
    """The most discussed policy-like noun phrases of ``text`` (parsed as ``doc``), by head, best first."""
    phrases: dict[str, list[str]] = {}
    found_in: dict[str, set[int]] = {}
    bonus: dict[str, float] = {}
    actor_offsets = OffsetCover(actor_spans)
    table = token_table(doc)
    named: dict[str, set[str]] = {}
    for start, end, root, weight, named_by_recogniser in _policy_chunks(doc):
        offset = table.idx[root]
        if offset in actor_offsets:
            continue
        head = table.lemma[root]
        index = sentences.index_of(offset)
        if index is None:
            continue
        phrase = _phrase(text, table, start, end, root)
        phrases.setdefault(head, []).append(phrase)
        if named_by_recogniser:
            named.setdefault(head, set()).add(phrase)
        found_in.setdefault(head, set()).add(index)
        # A head in the first sentences (headline, lead) is what the article is about.
        lead = 1.0 if index < 3 else 0.0
        bonus[head] = max(bonus.get(head, 0.0), weight + lead)
    # A head is discussed wherever its word occurs, also where the parse made no noun chunk of it
    # (title-case headlines, verbs: "strike" in "threatens to strike the cartels"). A word written as a
    # head is that head, else one with a plural "s" is its singular's.
    written = {f"{head}s": head for head in found_in} | {head: head for head in found_in}
    for offset, lemma, lower in zip(table.idx, table.lemma, table.lower, strict=True):
        if lemma in found_in:
            known = lemma
        elif lower in written:
            known = written[lower]
        else:
            continue
        if offset in actor_offsets:
            continue
        index = sentences.index_of(offset)
        if index is not None:
            found_in[known].add(index)
    _fold_into_the_named_law(found_in, bonus, phrases, named)
    ranked = sorted(found_in, key=lambda head: (-(len(found_in[head]) + bonus[head]), min(found_in[head])))
    return [
        TopicCandidate(
            key=f"k{rank}",
            phrase=_representative(phrases[head]),
            head=head,
            sentences=tuple(sorted(found_in[head])),
            score=len(found_in[head]) + bonus[head],
        )
        for rank, head in enumerate(ranked[:MAX_CANDIDATES], start=1)
    ]


def _fold_into_the_named_law(
    found_in: dict[str, set[int]],
    bonus: dict[str, float],
    phrases: dict[str, list[str]],
    named: dict[str, set[str]],
) -> None:
    """In an article that names one law, "the law", "the bill" and "the legislation" are that law.

    Their sentences join the named law's candidate, which keeps its name ("the Affordable Care Act"), so
    the model reads one candidate for it instead of a generic "law" beside a rarely repeated name.
    """
    laws = [head for head in named if head in _LAW_HEADS]
    if len(laws) != 1:
        return
    [owner] = laws
    if len({phrase.lower().removeprefix("the ") for phrase in named[owner]}) != 1:
        return  # two laws of one head ("the Clean Air Act", "the Affordable Care Act")
    phrases[owner] = sorted(named[owner])
    for head in _LAW_HEADS - {owner}:
        if head in found_in:
            found_in[owner] |= found_in.pop(head)
            bonus[owner] = max(bonus[owner], bonus.pop(head))
            del phrases[head]


def _representative(phrases: list[str]) -> str:
    """The phrase written most often (case aside), the longer one on a tie, within the word limit."""
    counts: dict[str, int] = {}
    for phrase in phrases:
        counts[phrase.lower()] = counts.get(phrase.lower(), 0) + 1
    return max(
        phrases,
        key=lambda phrase: (len(phrase.split()) <= _MAX_PHRASE_WORDS, counts[phrase.lower()], len(phrase)),
    )


class _PolicyChunk(NamedTuple):
    """A policy-like noun chunk: its token range ``[start, end)``, root token, weight, and whether named."""

    start: int
    end: int
    root: int
    weight: float
    named: bool
    """Whether the entity recogniser names it (a law, an event)."""


def _policy_chunks(doc: Doc) -> list[_PolicyChunk]:
    """Policy-like noun chunks as token ranges with their root's index, their weight, and whether named."""
    chunks: list[_PolicyChunk] = []
    table = token_table(doc)
    entity_heads = {
        root: label for root, (_, _, label) in zip(table.entity_roots, table.entities, strict=True)
    }
    for start, end in _noun_chunks(doc, table):
        root = span_root(doc, table, start, end)
        lemma = table.lemma[root]
        if table.pos[root] == "PRON" or lemma in _NOT_TOPICS or len(lemma) < 3 or not lemma.isalpha():
            continue
        label = entity_heads.get(root)
        named = label in _TOPIC_ENTITIES or (label is not None and lemma in POLICY_HEADS)
        if named:
            # "the Affordable Care Act", "the Green New Deal": a named law is a topic whatever its label.
            weight = _NAMED_WEIGHT
        elif label in _ACTOR_ENTITIES:
            continue
        elif _governed_by_stance_verb(table, root) or _scare_quoted(table, root):
            weight = 1.0
        elif _names_policy(lemma):
            weight = 0.5
        else:
            continue
        chunks.append(_PolicyChunk(start, end, root, weight, named))
    return chunks


def _noun_chunks(doc: Doc, table: TokenTable) -> Iterator[tuple[int, int]]:
    """The parse's noun chunks as token ranges, as ``Doc.noun_chunks`` lists them (spaCy's English rule).

    A noun, proper noun or pronoun in a nominal role, or coordinated to a word in one, from its subtree's
    left edge to itself, unless that overlaps the previous chunk. The rule reads the token table, so
    only the words that pass it are made into spaCy tokens (for their left edge).
    """
    previous_end = -1
    for i, pos in enumerate(table.pos):
        if pos not in _NOMINAL_POS:
            continue
        dep = table.dep[i]
        if dep == "conj":
            head = table.head[i]
            while table.dep[head] == "conj" and table.head[head] < head:
                head = table.head[head]
            if table.dep[head] not in _CHUNK_DEPS:
                continue
        elif dep not in _CHUNK_DEPS:
            continue
        start = doc[i].left_edge.i
        if start <= previous_end:
            continue
        previous_end = i
        yield start, i + 1


def _governed_by_stance_verb(table: TokenTable, token: int) -> bool:
    head = table.head[token]
    if table.dep[token] == "pobj" and table.dep[head] == "prep":
        head = table.head[head]
    return table.dep[token] in ("dobj", "pobj", "nsubjpass") and table.lemma[head] in STANCE_VERBS


def _scare_quoted(table: TokenTable, token: int) -> bool:
    """A word the article puts in quotation marks alone (a “lynching”): the term a dispute is about."""
    if token == 0 or token + 1 >= len(table.lower):
        return False
    return table.lower[token - 1] in _OPENING_QUOTES and table.lower[token + 1] in _CLOSING_QUOTES


def _phrase(text: str, table: TokenTable, start: int, end: int, root: int) -> str:
    """The chunk of tokens ``[start, end)`` with head ``root``, as the article writes it.

    Leading determiners and quotation marks are left out, and one prepositional phrase on the head is
    taken in.
    """
    first = start
    while first < root and (table.pos[first] in ("DET", "PRON") or table.lower[first] in _OPENING_QUOTES):
        first += 1
    last = end
    for child in table.children(root):
        if (
            child > root
            and table.dep[child] == "prep"
            and child == end
            and table.lower[child] in ("on", "in", "of", "against", "to", "for")
        ):
            objects = [grand for grand in table.children(child) if table.dep[grand] == "pobj"]
            if objects:
                # Up to the object's head word: its own conjuncts and clauses are other phrases.
                last = objects[0] + 1
            break
    if last - first > _MAX_PHRASE_WORDS + 2:
        last = end
    # The tokens and their trailing whitespace tile the text: the span's text is one slice of it.
    return text[table.idx[first] : table.end[last - 1]].strip()


@dataclass(frozen=True)
class PolicyNouns:
    """Where an article's policy nouns occur: each noun's lemma and written form -> its sentences.

    A noun counts when it is a policy head or a nominalisation (``impeachment``, ``probe``), as a
    candidate's head does; other words of a topic's label (``Trump`` of "the impeachment probe against
    Trump", ``people``) would make every sentence about them a sentence about the topic.
    """

    sentences_of: dict[str, frozenset[int]]

    @classmethod
    def of(cls, doc: Doc, sentences: SentenceMap) -> PolicyNouns:
        """The policy nouns of ``doc`` (with ``sentences`` its sentence map), read once per article."""
        table = token_table(doc)
        found: dict[str, set[int]] = {}
        for offset, lemma, lower, pos in zip(table.idx, table.lemma, table.lower, table.pos, strict=True):
            if pos != "NOUN" or not _names_policy(lemma):
                continue
            index = sentences.index_of(offset)
            if index is not None:
                found.setdefault(lemma, set()).add(index)
                found.setdefault(lower, set()).add(index)
        return cls({word: frozenset(indexes) for word, indexes in found.items()})

    def nouns_in(self, label: str) -> frozenset[str]:
        """The policy nouns of ``label`` the article holds, as their lemmas ("tariffs": tariff)."""
        nouns = set()
        for word in re.findall(r"[a-z]+", label.lower()):
            if word in self.sentences_of:
                singular = word.removesuffix("s")
                nouns.add(singular if singular in self.sentences_of else word)
        return frozenset(nouns)

    def naming(self, label: str) -> set[int]:
        """The sentences holding a policy noun written in ``label``."""
        named: set[int] = set()
        for word in re.findall(r"[a-z]+", label.lower()):
            named |= self.sentences_of.get(word, frozenset())
        return named


def _names_policy(lemma: str) -> bool:
    return lemma in POLICY_HEADS or (lemma.endswith(_NOMINAL_SUFFIXES) and lemma not in _NOT_TOPICS)
