"""Token attributes of one parse as plain lists, read once and kept as long as the parse lives.

Every ``doc[i]`` builds a new spaCy ``Token`` and every string attribute is a lookup in the vocabulary;
stages that scan all the words of an article (for reporting verbs, for topic heads) read these lists
instead. One ``Doc.to_array`` call reads the hashes, and each distinct hash is looked up once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from weakref import WeakKeyDictionary

__all__ = ["TokenTable", "token_table"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from spacy.tokens import Doc

_ATTRIBUTES: list[int | str] = ["IDX", "LOWER", "LEMMA", "POS", "DEP"]


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
    """

    idx: list[int]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    dep: list[str]
    head: list[int]


# Kept beside the parse cache's documents; a document no longer referenced takes its table with it.
_tables: WeakKeyDictionary[Doc, TokenTable] = WeakKeyDictionary()
# Analyses of long articles run in worker threads while the event loop plans positions.
_lock = threading.Lock()


def token_table(doc: Doc) -> TokenTable:
    """The token attributes of ``doc``, read on first use."""
    with _lock:
        table = _tables.get(doc)
    if table is None:
        table = _read(doc)
        with _lock:
            _tables[doc] = table
    return table


def _read(doc: Doc) -> TokenTable:
    if not len(doc):
        return TokenTable([], [], [], [], [], [])
    # Column by column: converting the array row by row costs ten times as much.
    idx, lower, lemma, pos, dep = doc.to_array(_ATTRIBUTES).T.tolist()
    # Heads are stored as signed offsets from their tokens, in an unsigned array.
    offsets: list[int] = doc.to_array("HEAD").view("int64").tolist()
    strings = doc.vocab.strings
    names = {value: strings[value] for value in {*lower, *pos, *dep}}
    lemmas = {value: strings[value].lower() for value in set(lemma)}
    return TokenTable(
        idx=idx,
        lower=list(map(names.__getitem__, lower)),
        lemma=list(map(lemmas.__getitem__, lemma)),
        pos=list(map(names.__getitem__, pos)),
        dep=list(map(names.__getitem__, dep)),
        head=[index + offset for index, offset in enumerate(offsets)],
    )
