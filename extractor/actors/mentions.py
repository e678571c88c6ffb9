"""Every mention of every alias in the article: the roster's names found again wherever they occur."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractor.actors.drafts import ActorDraft, Mention, Roster

__all__ = ["find_mentions"]

_FIRST_TOKEN = re.compile(r"\w+")


def find_mentions(text: str, roster: Roster, placed: Sequence[tuple[int, int, ActorDraft]] = ()) -> None:
    """Every mention of every alias, longest first, non-overlapping.

    Names are matched case-sensitively, group nouns case-insensitively; an alias must not touch a word
    character or hyphen on either side. ``placed`` are mentions the parse already tied to an actor (a
    descriptor beside a person's name): they compete with the aliases found there like any other.
    """
    spans: list[tuple[int, int, ActorDraft]] = list(placed)
    for is_group in (False, True):
        owners: dict[str, ActorDraft] = {}
        for actor in roster.actors:
            if (actor.kind == "group") == is_group:
                for alias in actor.aliases:
                    owners.setdefault(alias.lower() if is_group else alias, actor)
        if owners:
            spans.extend(_alias_spans(text, owners, fold_case=is_group))
    spans.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    last_end = -1
    for start, end, actor in spans:
        if start < last_end:
            continue
        last_end = end
        actor.mentions.append((start, end))
        roster.mentions.append(Mention(start, end, actor, "group" if actor.kind == "group" else "name"))


_FIRST_TOKEN = re.compile(r"\w+")


def _alias_spans(
    text: str, owners: dict[str, ActorDraft], *, fold_case: bool
) -> list[tuple[int, int, ActorDraft]]:
    r"""Where the aliases occur, scanning left to right and taking the longest alias at each word start.

    This is what one ``(?<![\w-])(?:longest|...|shortest)(?![\w-])`` alternation finds, without
    compiling a pattern of every alias for every article (that compile was the roster's largest cost).
    Aliases are grouped by their first word; only the places where such a word stands whole are tried,
    each against its aliases longest first.
    """
    by_first_word: dict[str, list[str]] = {}
    for alias in sorted(owners, key=len, reverse=True):
        opening = _FIRST_TOKEN.match(alias)
        if opening is None:
            # Cannot happen for names and group nouns (they start with a letter); stay correct anyway.
            return _alias_spans_by_pattern(text, owners, fold_case=fold_case)
        by_first_word.setdefault(opening.group(0), []).append(alias)
    haystack = text.lower() if fold_case else text
    if len(haystack) != len(text):
        # A few characters lower-case to two ("İ"); offsets into the lowered text would drift.
        return _alias_spans_by_pattern(text, owners, fold_case=fold_case)
    # Only words that open some alias can start a match: find those words' occurrences with str.find
    # (in C) instead of visiting every word of the article in Python. Every alias was read off this
    # article, so nearly every opening word occurs in it: listing the article's words first to skip the
    # absent ones cost more (a regex pass over the whole text) than the few scans it saved.
    starts: list[tuple[int, str]] = []
    size = len(haystack)
    for first, width in ((word, len(word)) for word in by_first_word):
        at = haystack.find(first)
        while at != -1:
            after = at + width
            before = haystack[at - 1] if at else " "
            following = haystack[after] if after < size else " "
            # Inlined _joins_word / _is_word_char: this loop visits every occurrence of every opening word.
            if not (before == "-" or before == "_" or before.isalnum()) and not (
                following == "_" or following.isalnum()
            ):
                starts.append((at, first))
            at = haystack.find(first, after)
    starts.sort()
    found: list[tuple[int, int, ActorDraft]] = []
    resume = 0
    for start, first in starts:
        if start < resume:
            continue
        for alias in by_first_word[first]:
            end = start + len(alias)
            if haystack[start:end] != alias:
                continue
            if end < len(text) and _joins_word(text[end]):
                continue
            found.append((start, end, owners[alias]))
            resume = end
            break
    return found


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


def _joins_word(char: str) -> bool:
    return char == "-" or _is_word_char(char)


def _alias_spans_by_pattern(
    text: str, owners: dict[str, ActorDraft], *, fold_case: bool
) -> list[tuple[int, int, ActorDraft]]:
    alternation = "|".join(re.escape(alias) for alias in sorted(owners, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE if fold_case else 0)
    return [
        (match.start(), match.end(), owners[match.group(0).lower() if fold_case else match.group(0)])
        for match in pattern.finditer(text)
    ]
