"""Token attributes of one parse as plain lists, read once and kept as long as the parse lives.

Every ``doc[i]`` builds a new spaCy ``Token`` and every string attribute is a lookup in the vocabulary;
stages that scan all the words of an article (for reporting verbs, for topic heads) read these lists
instead. One ``Doc.to_array`` call reads the hashes, and each distinct hash is looked up once.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary, ref

__all__ = ["TokenTable", "char_tokens", "sentence_offsets", "sentence_tokens", "span_root", "token_table"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc

_ATTRIBUTES: list[int | str] = [
    "IDX",
    "LENGTH",
    "LOWER",
    "LEMMA",
    "POS",
    "TAG",
    "DEP",
    "ENT_TYPE",
    "ENT_IOB",
    "IS_PUNCT",
]
# ``Doc.to_array``'s code for a token inside (not opening) an entity.
_INSIDE = 1


@dataclass(frozen=True)
class TokenTable:
    """Attributes of a parse's tokens, by token index.

    Attributes:
        idx: Each token's character offset (``Token.idx``).
        lower: Each token's lowercased text (``Token.lower_``).
        lemma: Each token's lowercased lemma (``Token.lemma_.lower()``).
        pos: Each token's coarse part of speech (``Token.pos_``).
        dep: Each token's dependency label (``Token.dep_``).
        head: Each token's head's index (``Token.head.i``; a root is its own head).
        end: Each token's end offset (``Token.idx + len(Token.text)``).
        tag: Each token's fine part of speech (``Token.tag_``).
        ent_type: Each token's entity label, "" outside entities (``Token.ent_type_``).
        ent_inside: Whether each token continues an entity (``Token.ent_iob_ == "I"``).
        punct: Whether each token is punctuation (``Token.is_punct``).
        by_head: Token indexes ordered by their head's index, in text order under one head; a root (its own
            head in the parse) is no child, so it is under no head.
        head_starts: Where in ``by_head`` the tokens under each head start (one entry more than tokens).
        entities: The entities as token ranges with their labels (``(e.start, e.end, e.label_)`` of
            ``Doc.ents``).
        entity_roots: Each entity's root token (``e.root.i``), in the order of ``entities``.
        sentences: The sentences as token ranges (``(s.start, s.end)`` of ``Doc.sents``); None when the
            parse marks no sentence starts or a hook decides them (then ``Doc.sents`` is asked).
    """

    idx: list[int]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]
    end: list[int]
    tag: list[str]
    ent_type: list[str]
    ent_inside: list[bool]
    punct: list[bool]
    by_head: list[int]
    head_starts: list[int]
    entities: list[tuple[int, int, str]]
    entity_roots: list[int]
    sentences: list[tuple[int, int]] | None

    def children(self, token: int) -> list[int]:
        """The indexes of ``token``'s children, in text order (``Token.children``)."""
        return self.by_head[self.head_starts[token] : self.head_starts[token + 1]]


# Kept beside the parse cache's documents; a document no longer referenced takes its table with it.
_tables: WeakKeyDictionary[Doc, TokenTable] = WeakKeyDictionary()
# Analyses of long articles run in worker threads while the event loop plans positions.
_lock = threading.Lock()
# The stages ask for the table of the article at hand hundreds of times (once per offset they look up):
# the last one handed out is answered without the lock and the weak dictionary. One tuple, replaced whole,
# so a thread never sees a document paired with another document's table.
_latest: tuple[ref[Doc], TokenTable] | None = None


def token_table(doc: Doc) -> TokenTable:
    """The token attributes of ``doc``, read on first use."""
    global _latest
    latest = _latest
    if latest is not None and latest[0]() is doc:
        return latest[1]
    with _lock:
        table = _tables.get(doc)
    if table is None:
        table = _read(doc)
        with _lock:
            _tables[doc] = table
    _latest = (ref(doc), table)
    return table


class _Names(dict[int, str]):
    """Strings by hash, looked up in the vocabulary's string store on first use."""

    def __init__(self, strings: StringStore, *, lower: bool = False) -> None:
        super().__init__()
        self._strings = strings
        self._lower = lower

    def __missing__(self, key: int) -> str:
        value: str = self._strings[key]
        value = self[key] = value.lower() if self._lower else value
        return value


# The names met in earlier parses, by string store: most words of an article were met before. They grow
# as the store itself does (every parsed word is in it); a few stores at most (a reloaded pipeline).
_names: dict[int, tuple[StringStore, _Names, _Names]] = {}
_STORES_KEPT = 4


def _names_of(strings: StringStore) -> tuple[_Names, _Names]:
    with _lock:
        kept = _names.get(id(strings))
        if kept is None or kept[0] is not strings:
            while len(_names) >= _STORES_KEPT:
                del _names[next(iter(_names))]
            kept = _names[id(strings)] = (strings, _Names(strings), _Names(strings, lower=True))
    return kept[1], kept[2]


def _read(doc: Doc) -> TokenTable:
    import numpy as np  # comes with the parse; the package imports without it

    if not len(doc):
        return TokenTable([], [], [], [], [], [], [], [], [], [], [], [], [0], [], [], None)
    array = doc.to_array(_ATTRIBUTES)
    # Column by column: converting the array row by row costs ten times as much.
    idx, length, lower, lemma, pos, tag, dep, ent_type, ent_iob, punct = array.T
    # Heads are stored as signed offsets from their tokens, in an unsigned array.
    heads = np.arange(len(doc)) + doc.to_array("HEAD").view("int64")
    # Each distinct hash is named once: a few hundred per article against thousands of tokens. numpy
    # finds the distinct hashes and puts their names back in token order.
    names, lemmas = _names_of(doc.vocab.strings)
    lower_names, pos_names, tag_names, dep_names, ent_names = _named(
        np.stack([lower, pos, tag, dep, ent_type]), names
    )
    (lemma_names,) = _named(lemma[np.newaxis], lemmas)
    # Children as runs of one sorted list (a stable sort keeps text order under each head): a list per
    # token would be thousands of long-lived objects an article for the garbage collector to walk.
    # Roots are filed under a head past the last token, then cut off, so a run holds children only.
    count = len(doc)
    roots = heads == np.arange(count)
    parents = np.where(roots, count, heads)
    by_head: list[int] = np.argsort(parents, kind="stable")[: count - int(roots.sum())].tolist()
    head_starts: list[int] = [0, *np.cumsum(np.bincount(parents, minlength=count + 1)[:count]).tolist()]
    # Three stages read the entities: one ``Doc.ents`` (a ``Span`` per entity) serves them all, and two
    # read their roots.
    entities = [(entity.start, entity.end, entity.label_) for entity in doc.ents]
    head = heads.tolist()
    entity_roots = [
        doc[start:end].root.i if (root := _root_by_heads(head, start, end)) is None else root
        for start, end, _ in entities
    ]
    return TokenTable(
        idx=idx.tolist(),
        lower=lower_names,
        lemma=lemma_names,
        pos=pos_names,
        dep=dep_names,
        head=head,
        end=(idx + length).tolist(),
        tag=tag_names,
        ent_type=ent_names,
        ent_inside=(ent_iob == _INSIDE).tolist(),
        punct=(punct == 1).tolist(),
        by_head=by_head,
        head_starts=head_starts,
        entities=entities,
        entity_roots=entity_roots,
        sentences=_sentences(doc),
    )


def _named(hashes: Any, names: _Names) -> list[list[str]]:
    """Rows of string hashes (a 2-D array) as rows of their names."""
    import numpy as np

    distinct, where = np.unique(hashes, return_inverse=True)
    named = np.array(list(map(names.__getitem__, distinct.tolist())), dtype=object)
    rows: list[list[str]] = named[where.reshape(hashes.shape)].tolist()
    return rows


def _sentences(doc: Doc) -> list[tuple[int, int]] | None:
    """``Doc.sents`` as token ranges: a sentence runs from a token marked as opening one to the next."""
    if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
        return None
    opening = (doc.to_array("SENT_START") == 1).nonzero()[0].tolist()
    starts = [0, *(i for i in opening if i > 0)]
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


def sentence_tokens(doc: Doc) -> list[tuple[int, int]]:
    """The sentences of ``doc`` as token ranges ``[start, end)``, in text order (``Doc.sents``)."""
    sentences = token_table(doc).sentences
    return [(s.start, s.end) for s in doc.sents] if sentences is None else sentences


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """The sentences of ``doc`` as character offsets (``(s.start_char, s.end_char)`` of ``Doc.sents``)."""
    table = token_table(doc)
    return [(table.idx[start], table.end[end - 1]) for start, end in sentence_tokens(doc)]


def char_tokens(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The tokens ``doc.char_span(start, end, alignment_mode="expand")`` covers, as an index range.

    The tokens and their trailing whitespace tile the text, so the token holding a character is the last
    one starting at or before it: a binary search on the table instead of a spaCy span per question.
    Offsets past the last token's text are left to spaCy.
    """
    table = token_table(doc)
    idx, ends = table.idx, table.end
    if not ends or not 0 <= start < end <= ends[-1]:
        window = doc.char_span(start, end, alignment_mode="expand")
        return None if window is None else (window.start, window.end)
    first = bisect_right(idx, start) - 1
    if start == ends[first]:
        # An offset in a token's trailing whitespace belongs to the next token.
        first += 1
    return first, bisect_right(idx, end - 1)


def _root_by_heads(heads: list[int], start: int, end: int) -> int | None:
    """``Span.root`` of tokens ``[start, end)`` where the heads alone settle it, else None.

    spaCy takes the first sentence root in the range, else the one word whose head lies outside it;
    among several such words it weighs their depth, which is left to it.
    """
    outside = -1
    several = False
    for i in range(start, end):
        head = heads[i]
        if head == i:
            return i
        if not start <= head < end:
            if outside >= 0:
                several = True
            else:
                outside = i
    if several:
        return None
    return outside if outside >= 0 else start


def span_root(doc: Doc, table: TokenTable, start: int, end: int) -> int:
    """``doc[start:end].root.i``, from the token table where the heads alone settle it."""
    root = _root_by_heads(table.head, start, end)
    return doc[start:end].root.i if root is None else root
