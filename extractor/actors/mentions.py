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


def _alias_spans(
    text: str, owners: dict[str, ActorDraft], *, fold_case: bool
) -> list[tuple[int, int, ActorDraft]]:
    r"""Where the aliases occur, scanning left to right and taking the longest alias at each word start.

    This is what one ``(?<![\w-])(?:longest|...|shortest)(?![\w-])`` alternation finds, without
    compiling a pattern of every alias for every article (that compile was the roster's largest cost).
    Each alias is looked for whole with ``str.find`` (in C); searching by an alias's first word instead
    visits every "the" of the article for a group alias such as "the officials".
    """
    haystack = text.lower() if fold_case else text
    if len(haystack) != len(text):
        # A few characters lower-case to two ("İ"); offsets into the lowered text would drift.
        return _alias_spans_by_pattern(text, owners, fold_case=fold_case)
    size = len(haystack)
    places: list[tuple[int, int, str]] = []
    for alias in owners:
        if _FIRST_TOKEN.match(alias) is None:
            # Cannot happen for names and group nouns (they start with a letter); stay correct anyway.
            return _alias_spans_by_pattern(text, owners, fold_case=fold_case)
        width = len(alias)
        at = haystack.find(alias)
        while at != -1:
            end = at + width
            before = haystack[at - 1] if at else " "
            # The character before is tested inline: this loop visits every occurrence of every alias.
            if not (before == "-" or before == "_" or before.isalnum()) and not (
                end < size and _joins_word(text[end])
            ):
                places.append((at, -width, alias))
            at = haystack.find(alias, at + 1)
    # In text order, the longest alias first where several start at one place.
    places.sort()
    found: list[tuple[int, int, ActorDraft]] = []
    resume = 0
    for start, negative_width, alias in places:
        if start < resume:
            continue
        resume = start - negative_width
        found.append((start, resume, owners[alias]))
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
