"""The pipeline's attribute rules (coarse tags, morphology, lemma exceptions) applied as array operations.

``en_core_web_sm``'s ``attribute_ruler`` maps each fine tag to a coarse tag and morphology and then
corrects words (``that`` as a relative pronoun, ``gon na``), through spaCy's ``Matcher``: its 179 rules
tried token by token took a seventh of a 10 KB article's parse. Here each rule is a mask over the parse's
token arrays, and the rules are applied in the ruler's order, a later rule overwriting an earlier one's
attribute as the ruler's own application does: the same attributes for a fraction of the CPU. Rules are
read from the loaded ruler; a pattern this module does not support leaves the ruler in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["AttributeRules", "attribute_rules"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from numpy.typing import NDArray
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    Mask = NDArray[np.bool_]
    Column = NDArray[Any]

# Token attributes the rules match on, as ``Doc.to_array`` names them.
_MATCHED = ("TAG", "LOWER", "DEP", "IS_SPACE")
_SET = ("POS", "MORPH", "LEMMA", "TAG", "DEP")

# One token predicate: the columns by attribute name in, which tokens it holds for out.
Predicate = Callable[[dict[str, "Column"], "Vocab"], "Mask"]


@dataclass(frozen=True)
class _Rule:
    patterns: tuple[tuple[Predicate, ...], ...]
    """Each pattern: one predicate per token of the matched sequence."""
    index: int
    """Which token of a match the attributes go to (negative counts from the end, as in the ruler)."""
    attrs: dict[int, int]
    """Attribute id -> value, normalised as the ruler normalises them."""


class AttributeRules:
    """The rules of one ``AttributeRuler``, applied to a parse at once."""

    def __init__(self, vocab: Vocab, rules: list[_Rule]) -> None:
        """Rules in the ruler's order (later ones win); see :func:`attribute_rules`."""
        from spacy.attrs import IDS

        self._vocab = vocab
        self._rules = rules
        set_ids = {attr for rule in rules for attr in rule.attrs}
        self._written = [name for name in _SET if IDS[name] in set_ids]
        self._written_ids = [IDS[name] for name in self._written]

    def __call__(self, doc: Doc) -> Doc:
        """Set the rules' attributes on ``doc`` (a spaCy pipeline component)."""
        count = len(doc)
        if not count:
            return doc
        read: list[int | str] = [*sorted(set(_MATCHED) | set(self._written))]
        array = doc.to_array(read)
        columns: dict[str, Column] = {str(name): array[:, column] for column, name in enumerate(read)}
        # Every rule matches the parse as it was before any rule ran, like the ruler's matcher.
        targets = [self._targets(rule, columns, count) for rule in self._rules]
        written: Any = np.stack([columns[name] for name in self._written], axis=1).copy()
        for rule, target in zip(self._rules, targets, strict=True):
            if target is None:
                continue
            for column, attr in enumerate(self._written_ids):
                value = rule.attrs.get(attr)
                if value is not None:
                    written[target, column] = value
        attrs: list[int | str] = [*self._written]
        doc.from_array(attrs, written)
        return doc

    def _targets(self, rule: _Rule, columns: dict[str, Column], count: int) -> Mask | None:
        hit: Mask | None = None
        for pattern in rule.patterns:
            length = len(pattern)
            if length > count:
                continue
            # Where each match starts: every token of the pattern holds at its place after the start.
            starts = np.ones(count - length + 1, dtype=bool)
            for offset, predicate in enumerate(pattern):
                starts &= predicate(columns, self._vocab)[offset : offset + count - length + 1]
            if not starts.any():
                continue
            target = np.zeros(count, dtype=bool)
            shift = rule.index if rule.index >= 0 else length + rule.index
            target[np.flatnonzero(starts) + shift] = True
            hit = target if hit is None else hit | target
        return hit


def attribute_rules(vocab: Vocab, patterns: Sequence[dict[str, Any]]) -> AttributeRules | None:
    """The rules of ``AttributeRuler.patterns``, or None when one uses what this module does not support."""
    from spacy.tokens._retokenize import normalize_token_attrs

    rules = []
    for rule in patterns:
        index = int(rule.get("index", 0))
        compiled = []
        for pattern in rule["patterns"]:
            tokens = [_token_predicate(token) for token in pattern]
            if not tokens or any(token is None for token in tokens):
                return None
            if not -len(tokens) <= index < len(tokens):
                return None
            compiled.append(tuple(token for token in tokens if token is not None))
        attrs = normalize_token_attrs(vocab, rule["attrs"])
        if "_" in attrs:
            return None
        rules.append(_Rule(tuple(compiled), index, {int(k): int(v) for k, v in attrs.items()}))
    return AttributeRules(vocab, rules)


def _token_predicate(spec: dict[str, Any]) -> Predicate | None:
    checks: list[Predicate] = []
    for name, value in spec.items():
        check = _check(name, value) if name in _MATCHED else None
        if check is None:
            return None
        checks.append(check)

    def holds(columns: dict[str, Column], vocab: Vocab) -> Mask:
        mask = np.ones(len(next(iter(columns.values()))), dtype=bool)
        for check in checks:
            mask &= check(columns, vocab)
        return mask

    return holds


def _check(name: str, value: Any) -> Predicate | None:
    from spacy.strings import get_string_id

    if isinstance(value, bool):
        flag = int(value)
        return lambda columns, vocab: columns[name] == flag
    if isinstance(value, str):
        wanted = get_string_id(value)
        return lambda columns, vocab: columns[name] == wanted
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((operator, argument),) = value.items()
    if operator in ("IN", "NOT_IN") and isinstance(argument, list):
        # The matcher compares string ids, "" included (id 0: an unset attribute).
        ids = np.array(sorted({get_string_id(item) for item in argument}), dtype=np.uint64)
        inside = operator == "IN"
        return lambda columns, vocab: np.isin(columns[name], ids) == inside
    if operator == "REGEX" and isinstance(argument, str):
        return _regex(name, re.compile(argument))
    return None


def _regex(name: str, pattern: re.Pattern[str]) -> Predicate:
    def holds(columns: dict[str, Column], vocab: Vocab) -> Mask:
        # The matcher searches each token's string; each distinct string is searched once.
        distinct, inverse = np.unique(columns[name], return_inverse=True)
        found = np.array([bool(pattern.search(vocab.strings[int(item)])) for item in distinct], dtype=bool)
        return found[inverse.reshape(-1)]

    return holds
