"""Mentions -> actors: titles stripped, surnames and titles resolved, pronouns tied to their antecedents."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING

from extractor.actors.descriptors import after_possessive, described_person, member_word, party_of
from extractor.actors.drafts import ActorDraft, Mention, Roster, slug
from extractor.actors.entities import ENTITY_LABELS, add_entities
from extractor.actors.mentions import find_mentions
from extractor.actors.merging import drop_common_words, join_short_forms
from extractor.actors.restricted import restricted_groups
from extractor.text.candidates import NameCandidate, SentenceInfo
from extractor.text.lexicon import (
    BODY_HEADS,
    COUNTRIES,
    DEMONYMS,
    GOVERNMENT_WORDS,
    GROUP_NOUNS,
    MEDIA_WORDS,
    PERSON_TITLES,
    REPORTING_VERBS,
    SENTENCE_STARTERS,
    SOURCE_DOCUMENTS,
    TITLE_WORDS,
)
from extractor.text.nlp import parse, stop_words
from extractor.text.segments import paragraphs
from extractor.text.tokens import TokenTable, char_tokens, token_table
from schemas import ActorKind

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ActorDraft", "Mention", "Roster", "build_roster", "slug"]

_PREPOSITIONS = frozenset("with by to from of in for on against at about into over under between".split())
_NOT_NAME_TAGS = frozenset("ADJ ADV DET ADP SCONJ CCONJ PART NUM".split())
_BODY_OF_NAME = re.compile(r" (administration|government|campaign)\b")


# "NEW ORLEANS (Reuters) - ", "WASHINGTON — ": where a wire story was filed, before its first sentence.
_DATELINE = re.compile(r"[A-Z][A-Z.,'’ -]*[A-Z.](?:\s*\([^()\n]{1,40}\))?\s*[-—–]+\s")
_NEXT_WORD = re.compile(r"\s+(?:has\s+|had\s+|also\s+)?([a-z]+)")


def _title_before(text: str, start: int, sentence_start: int) -> str | None:
    """The title words written right before a name ("former National Security Advisor").

    A title touches its name: punctuation between words ends it (``Act,” Justice Sonia Sotomayor``) except
    the comma of a title word in apposition (``its President, Gustavo Petro``), and
    a capitalised word that is a sentence starter or a stop word ("But Chief Justice John Roberts") is
    not part of it.
    """
    words = list(re.finditer(r"[\w.’'-]+", text[sentence_start:start]))
    taken: list[re.Match[str]] = []
    next_start = start - sentence_start
    for word in reversed(words):
        token = word.group(0)
        lowered = token.lower()
        gap = text[sentence_start + word.end() : sentence_start + next_start].strip()
        if gap and not (
            gap == "," and not taken and lowered in TITLE_WORDS
        ):  # "its President, Gustavo Petro"
            break
        next_start = word.start()
        if (
            lowered in TITLE_WORDS
            or lowered in DEMONYMS
            or (token[:1].isupper() and lowered not in SENTENCE_STARTERS and lowered not in stop_words())
        ):
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
    """Kind from the words alone; False for non-actors; None when the entity recogniser must decide."""
    lowered = name.lower()
    words = lowered.replace("-", " ").split()
    if lowered in COUNTRIES:
        return "country"
    if lowered in DEMONYMS or lowered in TITLE_WORDS:
        return False
    if any(w in MEDIA_WORDS for w in words):
        return "media"
    if any(w in GOVERNMENT_WORDS for w in words):
        return "government"
    return None


def build_roster(text: str, infos: list[SentenceInfo]) -> Roster:
    """Assemble actors from name candidates and group nouns, then find every mention of each."""
    actors: dict[str, ActorDraft] = {}
    singles: list[tuple[NameCandidate, SentenceInfo]] = []
    # (start, end, end of the person's name, the descriptor's last token) of "North Carolina Republican".
    descriptors: list[tuple[int, int, int, int]] = []
    name_ends: dict[int, ActorDraft] = {}
    doc = parse(text)
    table = token_table(doc)
    entities = _Entities(
        [
            (table.idx[start], table.end[end - 1])
            for start, end, label in table.entities
            if label in ENTITY_LABELS
        ]
    )
    for info in infos:
        for name in (part for whole in info.names for part in _split_at_entities(whole, entities)):
            words = name.text.split()
            if name.sentence_initial and len(words) > 1 and _opens_with_modifier(doc, table, name.start):
                words = words[1:]  # "Top Trump administration officials": capitalised by position only
            while (
                len(words) > 1
                and (words[0].lower() in TITLE_WORDS or words[0].lower() in DEMONYMS)
                and words[-1].lower() not in BODY_HEADS
            ):
                words = words[1:]  # "Chief Justice John Roberts", but "Justice Department" is one name
            if len(words) > 1 and words[-1] == "I" and _is_pronoun(doc, table, name.end - 1):
                words = words[:-1]  # "unlike Lyin' Ted Cruz I do not": the speaker's "I" opens the clause
            canonical = " ".join(words)
            if text.startswith("$", name.end):
                continue  # "US$ 20,000": a currency
            start = name.start + name.text.find(canonical)
            # The name's tokens, looked up once for the two readings of the words beside it.
            tokens = char_tokens(doc, start, start + len(canonical))
            descriptor = described_person(table, tokens)
            if descriptor is not None:
                descriptors.append((start, start + len(canonical), table.end[descriptor[0]], descriptor[1]))
                continue
            owner = after_possessive(table, tokens)
            if owner is not None:
                # "California’s Xavier Becerra": the possessor places the person and is no part of the name.
                canonical = text[owner : start + len(canonical)]
                words = canonical.split()
                start = owner
            classified = _classify(canonical)
            if classified is False or classified is True:
                continue
            kind: ActorKind | None = classified
            body = _BODY_OF_NAME.match(text, start + len(canonical)) if kind is None else None
            if body is not None:
                # "the Trump administration", "the Clinton campaign": a body named after a person acts and
                # speaks as itself, not as the person.
                canonical = f"{canonical} {body.group(1)}"
                words = canonical.split()
                named = _classify(canonical)
                kind = named if isinstance(named, str) else "organization"
            if len(words) == 1 and kind is None:
                singles.append(
                    (NameCandidate(start, start + len(canonical), canonical, name.sentence_initial), info)
                )
                continue
            key = canonical.lower() if kind != "country" else COUNTRIES[canonical.lower()].lower()
            if key not in actors:
                title = None if owner is not None else _title_before(text, start, info.segment.start)
                written = text[start - len(title) - 1 : start + len(canonical)] if title else canonical
                if title and not written.startswith(title):
                    written = canonical
                resolved = COUNTRIES[canonical.lower()] if kind == "country" else canonical
                if kind is None and len(words) > 1 and _is_person_title(title):
                    kind = "person"
                actors[key] = ActorDraft(
                    canonical=resolved,
                    written=written,
                    kind=kind,
                    title=title,
                    affiliation=_affiliation(title),
                )
            actors[key].aliases.add(canonical)
            name_ends[start + len(canonical)] = actors[key]
            if actors[key].kind in (None, "person") and len(words) > 1:
                whole = _one_entity_other_than_person(doc, table, start, start + len(canonical))
                actors[key].aliases.update(_short_names(words, organisation_or_place=whole))
    described: list[tuple[int, int, ActorDraft]] = []
    for start, end, person_end, last in descriptors:
        member = name_ends.get(person_end)
        if member is not None:
            described.append((start, end, member))
            member.affiliation = member.affiliation or party_of(table, last)
    alias_owner = {alias.lower(): actor for actor in actors.values() for alias in actor.aliases}
    mid_sentence = {candidate.text.lower() for candidate, _ in singles if not candidate.sentence_initial}
    for candidate, _info in singles:
        key = candidate.text.lower()
        if key in alias_owner:
            # "PENCE:" in a transcript is the same person as "Pence".
            alias_owner[key].aliases.add(candidate.text)
            continue
        if member_word(doc, table, candidate):
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
    for start, end in restricted_groups(doc, table):
        phrase = text[start:end]
        group = actors.setdefault(
            f"group:{phrase.lower()}", ActorDraft(canonical=phrase, written=phrase, kind="group")
        )
        group.aliases.add(phrase)
    add_entities(text, doc, infos, actors)
    drop_common_words(text, doc, actors)
    join_short_forms(actors)
    roster = Roster(actors=list(actors.values()), mentions=[])
    find_mentions(text, roster, described)
    _leave_out_dateline(text, roster)
    return roster


def _leave_out_dateline(text: str, roster: Roster) -> None:
    """A place in the dateline says where the story was filed: it is no mention of an actor."""
    body = next((paragraph for paragraph in paragraphs(text) if not paragraph.headline), None)
    dateline = _DATELINE.match(text, body.start) if body is not None else None
    if dateline is None:
        return
    start, end = dateline.span()
    roster.mentions = [mention for mention in roster.mentions if not start <= mention.start < end]
    for actor in roster.actors:
        actor.mentions = [(first, last) for first, last in actor.mentions if not start <= first < end]


class _Entities:
    """The entities' ``(start, end)`` offsets, in text order and disjoint (as the recogniser tags them)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = spans
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]

    def touching(self, start: int, end: int) -> list[tuple[int, int]]:
        """The entities that share a character with ``[start, end)``, in text order."""
        return self._spans[bisect_right(self._ends, start) : bisect_left(self._starts, end)]


def _opens_with_modifier(doc: Doc, table: TokenTable, start: int) -> bool:
    """Whether a sentence-initial name opens with a word the tagger reads as no name (``Top``, ``Even``)."""
    tokens = char_tokens(doc, start, start + 1)
    if tokens is None:
        return False
    first = tokens[0]
    return table.pos[first] in _NOT_NAME_TAGS and not table.ent_type[first]


def _is_pronoun(doc: Doc, table: TokenTable, offset: int) -> bool:
    tokens = char_tokens(doc, offset, offset + 1)
    return tokens is not None and table.tag[tokens[0]] == "PRP"


def _short_names(words: list[str], *, organisation_or_place: bool) -> list[str]:
    """The shorter names an article may call an actor by.

    A person: the last word and, from three words on, the last two ("Trump", "López Obrador"). An
    organisation or a place is not called by its last word ("the House" is not the White House, "Virginia"
    not West Virginia), only by its name without a leading country ("Home Office" of "United Kingdom Home
    Office", "Senate" of "United States Senate").
    """
    if not organisation_or_place:
        return [words[-1], " ".join(words[-2:])] if len(words) >= 3 else [words[-1]]
    for size in range(1, len(words)):
        if " ".join(words[:size]).lower() in COUNTRIES:
            return [" ".join(words[size:])]
    return []


def _one_entity_other_than_person(doc: Doc, table: TokenTable, start: int, end: int) -> bool:
    """Whether the recogniser tags the whole name as one entity, of another type than a person.

    A name the recogniser cuts in two ("Valeska" and "Paris", each tagged a place) is not one.
    """
    tokens = char_tokens(doc, start, end)
    if tokens is None:
        return False
    first, stop = tokens
    label = table.ent_type[first]
    # The entity may open with the article ("the White House" is tagged whole).
    opens_here = not table.ent_inside[first] or (first > 0 and table.pos[first - 1] == "DET")
    return (
        bool(label)
        and label != "PERSON"
        and opens_here
        and all(table.ent_type[i] == label and table.ent_inside[i] for i in range(first + 1, stop))
    )


def _split_at_entities(name: NameCandidate, all_entities: _Entities) -> list[NameCandidate]:
    """A capitalised run cut in two where an entity that opens it ends, or one that closes it starts.

    "the Refugee Council Enver Solomon" is an organisation (an entity) and a person (the rest). A cut
    that leaves a one-word piece is not made: that is where the small tagger's boundaries go wrong
    ("Valeska" of "Valeska Paris").
    """
    entities = all_entities.touching(name.start, name.end)
    cuts = [end for start, end in entities if start <= name.start < end < name.end]
    cuts += [start for start, end in entities if name.start < start < name.end <= end]
    for cut in cuts:
        head = name.text[: cut - name.start].rstrip()
        tail = name.text[cut - name.start :].lstrip()
        if len(head.split()) < 2 or len(tail.split()) < 2 or not tail[:1].isupper():
            continue
        tail_start = name.end - len(tail)
        return [
            NameCandidate(name.start, name.start + len(head), head, name.sentence_initial),
            NameCandidate(tail_start, name.end, tail, False),
        ]
    return [name]


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


def preceded_by_preposition(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a preposition (so the mention is not a subject)."""
    before = text[max(0, start - 20) : start].split()
    return bool(before) and before[-1].lower().strip(",") in _PREPOSITIONS


def is_possessive(text: str, end: int) -> bool:
    """Whether the mention ending at ``end`` is followed by ``'s``."""
    return text[end : end + 2] in {"'s", "’s"}
