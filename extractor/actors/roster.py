"""Mentions -> actors: titles stripped, surnames and titles resolved, pronouns tied to their antecedents."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.text.candidates import NameCandidate, SentenceInfo
from extractor.text.lexicon import (
    CAPITALS,
    COUNTRIES,
    DEMONYMS,
    GROUP_NOUNS,
    MEDIA_WORDS,
    NON_ACTOR_WORDS,
    ORG_WORDS,
    PERSON_TITLES,
    REPORTING_VERBS,
    SOURCE_DOCUMENTS,
    TITLE_WORDS,
)
from schemas import ActorKind

__all__ = ["ActorDraft", "Mention", "Roster", "build_roster", "slug"]

_PREPOSITIONS = frozenset("with by to from of in for on against at about into over under between".split())
_GOVERNMENT_WORDS = frozenset({"administration", "government", "ministry", "department", "cabinet"})


_NEXT_WORD = re.compile(r"\s+(?:has\s+|had\s+|also\s+)?([a-z]+)")


@lru_cache(maxsize=16384)
def slug(name: str) -> str:
    """A stable, readable id from a name (``Claudia Sheinbaum`` -> ``claudia-sheinbaum``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return (value or "actor")[:60]


@dataclass
class ActorDraft:
    """An actor being assembled from mentions.

    Attributes:
        canonical: Name without titles.
        written: Fullest form as written, title included.
        kind: Decided kind, or None while the model has to decide.
        title: Title or role from the words before the name.
        affiliation: Country from a nationality word or the title.
        aliases: Surface forms that refer to this actor.
        mentions: (start, end) of every reference found.
    """

    canonical: str
    written: str
    kind: ActorKind | None
    title: str | None = None
    affiliation: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable id derived from the canonical name."""
        return slug(self.canonical)


@dataclass(frozen=True)
class Mention:
    """A reference to an actor at a place in the text."""

    start: int
    end: int
    actor: ActorDraft
    via: str  # name, pronoun, title, group


@dataclass
class Roster:
    """All actors of an article and where each is mentioned."""

    actors: list[ActorDraft]
    mentions: list[Mention]
    _start_index: list[int] = field(default_factory=list)

    def by_id(self) -> dict[str, ActorDraft]:
        """Actors keyed by id."""
        return {actor.id: actor for actor in self.actors}

    def by_alias(self) -> dict[str, ActorDraft]:
        """Actors keyed by every lowercased alias; the first actor holding an alias keeps it."""
        owners: dict[str, ActorDraft] = {}
        for actor in self.actors:
            for alias in actor.aliases:
                owners.setdefault(alias.lower(), actor)
        return owners

    def in_range(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)``, in text order (mentions are kept sorted by start)."""
        first = bisect.bisect_left(self._starts(), start)
        found: list[Mention] = []
        for mention in self.mentions[first:]:
            if mention.start >= end:
                break
            if mention.end <= end:
                found.append(mention)
        return found

    def _starts(self) -> list[int]:
        if len(self._start_index) != len(self.mentions):
            self._start_index = [mention.start for mention in self.mentions]
        return self._start_index


def _title_before(text: str, start: int, sentence_start: int) -> str | None:
    words = list(re.finditer(r"[\w.’'-]+", text[sentence_start:start]))
    taken: list[re.Match[str]] = []
    for word in reversed(words):
        token = word.group(0)
        lowered = token.lower()
        if lowered in TITLE_WORDS or lowered in DEMONYMS or (token[:1].isupper() and lowered not in {"the"}):
            if lowered in {"of", "the"} and not taken:
                break
            taken.append(word)
            if len(taken) >= 6:
                break
            continue
        break
    while taken and taken[-1].group(0).lower() in {"of", "the"}:
        taken.pop()
    if not taken:
        return None
    return text[sentence_start + taken[-1].start() : sentence_start + taken[0].end()]


def _is_person_title(title: str | None) -> bool:
    """Whether a title only a person can hold precedes the name (``President``, ``security expert``)."""
    if not title:
        return False
    return any(word.lower() in PERSON_TITLES for word in title.replace(",", " ").split())


def _affiliation(title: str | None) -> str | None:
    if not title:
        return None
    for word in title.replace("-", " ").split():
        country = DEMONYMS.get(word.lower()) or COUNTRIES.get(word.lower())
        if country:
            return country
    return None


@lru_cache(maxsize=16384)
def _classify(name: str) -> ActorKind | None | bool:
    """Kind from the words alone; False for non-actors; None when the model must decide."""
    lowered = name.lower()
    words = lowered.replace("-", " ").split()
    if lowered in COUNTRIES:
        return "country"
    if lowered in CAPITALS:
        return "government"
    if lowered in DEMONYMS or lowered in TITLE_WORDS:
        return False
    if words[-1] in NON_ACTOR_WORDS or any(w in NON_ACTOR_WORDS for w in words[1:]):
        return False
    if any(w in MEDIA_WORDS for w in words):
        return "media"
    if any(w in _GOVERNMENT_WORDS for w in words):
        return "government"
    if any(w in ORG_WORDS for w in words):
        return "organization"
    return None


def build_roster(text: str, infos: list[SentenceInfo]) -> Roster:
    """Assemble actors from name candidates and group nouns, then find every mention of each."""
    actors: dict[str, ActorDraft] = {}
    singles: list[tuple[NameCandidate, SentenceInfo]] = []
    for info in infos:
        for name in info.names:
            words = name.text.split()
            while len(words) > 1 and (words[0].lower() in TITLE_WORDS or words[0].lower() in DEMONYMS):
                words = words[1:]
            canonical = " ".join(words)
            classified = _classify(canonical)
            if classified is False or classified is True:
                continue
            kind: ActorKind | None = classified
            start = name.start + name.text.find(canonical)
            if len(words) == 1 and kind is None:
                singles.append(
                    (NameCandidate(start, start + len(canonical), canonical, name.sentence_initial), info)
                )
                continue
            key = canonical.lower() if kind != "country" else COUNTRIES[canonical.lower()].lower()
            if key not in actors:
                title = _title_before(text, start, info.segment.start)
                written = text[start - len(title) - 1 : start + len(canonical)] if title else canonical
                if title and not written.startswith(title):
                    written = canonical
                resolved = COUNTRIES[canonical.lower()] if kind == "country" else canonical
                if kind is None and len(words) > 1 and _is_person_title(title):
                    kind = "person"
                capital = CAPITALS.get(canonical.lower())
                actors[key] = ActorDraft(
                    canonical=resolved,
                    written=written,
                    kind=kind,
                    title=title,
                    affiliation=capital or _affiliation(title),
                )
            actors[key].aliases.add(canonical)
            if actors[key].kind in (None, "person") and len(words) > 1:
                actors[key].aliases.add(words[-1])
                if len(words) >= 3:
                    actors[key].aliases.add(" ".join(words[-2:]))
    alias_owner = {alias.lower(): actor for actor in actors.values() for alias in actor.aliases}
    mid_sentence = {candidate.text.lower() for candidate, _ in singles if not candidate.sentence_initial}
    for candidate, _info in singles:
        key = candidate.text.lower()
        if key in alias_owner:
            # "PENCE:" in a transcript is the same person as "Pence".
            alias_owner[key].aliases.add(candidate.text)
            continue
        label = _is_transcript_label(text, candidate)
        if (
            candidate.sentence_initial
            and key not in mid_sentence
            and not label
            and not _speaks(text, candidate)
        ):
            continue
        actors[key] = ActorDraft(
            canonical=candidate.text, written=candidate.text, kind="person" if label else None
        )
        actors[key].aliases.add(candidate.text)
        alias_owner[key] = actors[key]
    _add_groups(infos, actors)
    roster = Roster(actors=list(actors.values()), mentions=[])
    _find_mentions(text, roster)
    return roster


def _speaks(text: str, candidate: NameCandidate) -> bool:
    """``McLenney said ...``: a capitalised word opening a sentence and followed by a reporting verb."""
    if candidate.text.lower() in GROUP_NOUNS or candidate.text.lower() in SOURCE_DOCUMENTS:
        return False  # "Analysts say": a group noun, found as a group actor already
    following = _NEXT_WORD.match(text, candidate.end)
    return following is not None and following.group(1).lower() in REPORTING_VERBS


def _is_transcript_label(text: str, candidate: NameCandidate) -> bool:
    """``WALLACE: ...`` opening a paragraph names the person speaking, even if the body never does."""
    line_start = text.rfind("\n", 0, candidate.start) + 1
    return (
        candidate.text.isupper()
        and len(candidate.text) > 2
        and text.startswith(":", candidate.end)
        and text[line_start : candidate.start].strip(' "“') == ""
    )


def _add_groups(infos: list[SentenceInfo], actors: dict[str, ActorDraft]) -> None:
    for info in infos:
        for group in info.groups:
            if not any(cue.start > group.end for cue in info.cues):
                continue
            head = group.text.split()[-1].lower()
            if head not in GROUP_NOUNS:
                continue
            key = f"group:{head}"
            if key not in actors:
                group_kind: ActorKind = "other" if head in SOURCE_DOCUMENTS else "group"
                actors[key] = ActorDraft(canonical=head, written=group.text, kind=group_kind)
            actors[key].aliases.add(group.text)


def _find_mentions(text: str, roster: Roster) -> None:
    """Every mention of every alias, longest first, non-overlapping.

    Names are matched case-sensitively, group nouns case-insensitively; an alias must not touch a word
    character or hyphen on either side.
    """
    spans: list[tuple[int, int, ActorDraft]] = []
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


def preceded_by_preposition(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a preposition (so the mention is not a subject)."""
    before = text[max(0, start - 20) : start].split()
    return bool(before) and before[-1].lower().strip(",") in _PREPOSITIONS


def is_possessive(text: str, end: int) -> bool:
    """Whether the mention ending at ``end`` is followed by ``'s``."""
    return text[end : end + 2] in {"'s", "’s"}
