"""Actors from the entity recogniser: kinds for the roster's names, and the named actors it missed.

Reads the parse's entities (PERSON, ORG, GPE, LOC, FAC, and NORP written as a plural noun) in body
sentences; writes kinds onto the draft actors whose words settle none, and adds a draft for every entity
no alias covers. A name's kind is its most frequent label over the article, so one mislabelled mention
("Trump" as ORG once) is outvoted.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from extractor.actors.appositions import describes_a_name, stated_kinds
from extractor.actors.drafts import ActorDraft
from extractor.text.candidates import SentenceInfo
from extractor.text.lexicon import (
    BODY_HEADS,
    COUNTRIES,
    DEMONYMS,
    GOVERNMENT_WORDS,
    MEDIA_WORDS,
    SOURCE_DOCUMENTS,
    TITLE_WORDS,
)
from extractor.text.offsets import OffsetCover
from extractor.text.segments import paragraphs
from extractor.text.tokens import TokenTable, token_table
from schemas import ActorKind

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ENTITY_LABELS", "add_entities", "kind_of_label"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
"""Entity labels that can name an actor. NORP names peoples and parties, mostly as adjectives
("Democratic calls"): only its plural nouns ("Democrats", "Republicans") name a group that acts."""

_NEVER_ACTORS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
_SETTLED_SHARE = 0.75
"""A kind the tagger gives fewer than this share of a name's mentions is disputed."""
_BUILDINGS = frozenset("tower towers building plaza bridge airport stadium".split())
_LEADING = frozenset({"the", "a", "an"})
_LAWS = frozenset("act bill law deal amendment treaty accord programme program initiative".split())
_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest".split())
_LAW_VERBS = frozenset(
    "repeal overturn enact amend implement uphold sever dismantle gut rescind strike".split()
)
_SPEAKING = frozenset("say tell argue announce claim insist state warn vow add explain respond write".split())
_ACTING = frozenset({"nsubj", "csubj"})


def kind_of_label(label: str, name: str) -> ActorKind:
    """The actor kind an entity label gives a name."""
    lowered = name.lower()
    words = set(lowered.replace("-", " ").split())
    if label == "PERSON":
        return "person"
    if label == "ORG":
        if lowered.split()[-1] in _BUILDINGS:
            return "other"  # "the Century City Towers": where things happen, a place
        if words & MEDIA_WORDS:
            return "media"
        return "government" if words & GOVERNMENT_WORDS else "organization"
    if label == "GPE" and lowered in COUNTRIES:
        return "country"
    if label == "NORP":
        return "group"
    return "other"


# One entity of the parse: its token range [start, end) and its label.
_Entity = tuple[int, int, str]
_MEMBERS = frozenset(
    "senator lawmaker legislator member leader representative congressman congresswoman governor "
    "candidate official voter activist strategist operative".split()
)
"""Nouns of the people who act for a party ("Republican senators", "Democratic voters")."""


def _plural_people(table: TokenTable, entity: _Entity) -> bool:
    """A people or party named by a plural noun ("Democrats"), not by an adjective ("Democratic")."""
    start, end, label = entity
    return label == "NORP" and end - start == 1 and table.tag[start] in ("NNPS", "NNS")


def _kind(label: str, name: str, said: ActorKind | None) -> ActorKind:
    """The kind the article states for a name, else the tagger's; a country stays one in any wording."""
    tagged = kind_of_label(label, name)
    return tagged if said is None or tagged == "country" else said


def _token_text(text: str, table: TokenTable, token: int) -> str:
    return text[table.idx[token] : table.end[token]]


def _names_no_actor(text: str, doc: Doc, table: TokenTable, entity: _Entity) -> bool:
    """Entities the tagger labels as names that stand for no actor here.

    "North and South Korea" (two places in one phrase), "the North" (a direction), "US$" (a currency), and
    names of documents or of what a document is about ("the National Iodine Nutrition study"), and names
    of laws and programmes.
    """
    start, end, label = entity
    lower, lemma = table.lower, table.lemma
    following = end if end < len(lower) else None
    if label in ("GPE", "LOC") and any(lower[token] == "and" for token in range(start, end)):
        return True
    if end - start == 1 and lower[start] in _DIRECTIONS:
        return True
    if following is not None and _token_text(text, table, following).startswith("$"):
        return True
    if lemma[end - 1] in SOURCE_DOCUMENTS or lemma[end - 1] in _LAWS:
        return True  # "the Affordable Care Act", "the Green New Deal": what actors act on
    return (
        following is not None
        and lemma[following] in SOURCE_DOCUMENTS
        and _token_text(text, table, following).islower()
        # The lemma as the parse writes it (the table's is lowercased).
        and doc[following].lemma_ in SOURCE_DOCUMENTS
    )


def _enacted_names(text: str, table: TokenTable) -> set[str]:
    """Organisation names the article treats as laws: repealed or upheld more often than they speak.

    "tried to repeal Obamacare", "the ACA was struck down": the tagger often labels a law's nickname ORG,
    and as an actor it would hold stances on itself. A law may bar or require things in the parse, but it
    does not say, argue or announce them.
    """
    enacted: Counter[str] = Counter()
    speaking: Counter[str] = Counter()
    for (start, end, label), root in zip(table.entities, table.entity_roots, strict=True):
        if label not in ("ORG", "PRODUCT", "NORP"):
            continue
        key = text[table.idx[start] : table.end[end - 1]].lower().removeprefix("the ")
        dep, head_lemma = table.dep[root], table.lemma[table.head[root]]
        if dep in _ACTING and head_lemma in _SPEAKING:
            speaking[key] += 1
        elif dep in ("dobj", "nsubjpass") and head_lemma in _LAW_VERBS:
            enacted[key] += 1
    return {name for name, count in enacted.items() if count > speaking[name]}


def _name(text: str, table: TokenTable, entity: _Entity) -> tuple[int, int] | None:
    """The entity without a leading article, a title or a trailing possessive."""
    start, end, _ = entity
    lower = table.lower
    # "World Health Organisation (WHO": the entity ran into a parenthesised abbreviation. An opening
    # bracket has no case, so its lowercased text is its text.
    end = next((t for t in range(start, end) if lower[t] in "([{"), end)
    body = start < end and lower[end - 1] in BODY_HEADS  # "the Justice Department" keeps "Justice"
    while start < end and (
        lower[start] in _LEADING
        or (lower[start].rstrip(".") in TITLE_WORDS and not (body and end - start > 1))
    ):
        start += 1
    while start < end and (table.punct[end - 1] or lower[end - 1] in ("'s", "’s")):
        end -= 1
    tokens = _within_one_name(text, table, list(range(start, end)))
    if not tokens or not any(ch.isupper() for ch in _token_text(text, table, tokens[0])):
        return None
    return table.idx[tokens[0]], table.end[tokens[-1]]


def _within_one_name(text: str, table: TokenTable, tokens: list[int]) -> list[int]:
    """The entity's tokens up to where it ran on past its name.

    "According to Rathbun the Scientology property": an article right after a capitalised word starts
    another phrase ("Bank of the West" keeps its "the"). "Scientology on French television": a name does
    not end in an adjective, so the entity ends before the lowercase word that led into it.
    """
    for position in range(1, len(tokens)):
        before = _token_text(text, table, tokens[position - 1])
        if table.lower[tokens[position]] == "the" and not before.islower():
            return tokens[:position]
    if len(tokens) > 1 and table.pos[tokens[-1]] == "ADJ":
        lowercase = [p for p in range(len(tokens)) if _token_text(text, table, tokens[p]).islower()]
        if lowercase:
            return tokens[: lowercase[-1]]
    return tokens


def add_entities(text: str, doc: Doc, infos: list[SentenceInfo], actors: dict[str, ActorDraft]) -> None:
    """Give undecided drafts the kind the tagger votes for; add drafts for entities nobody names."""
    body = [(info.segment.start, info.segment.end) for info in infos]
    # Title-case lines that end a sentence are captions and credits ("Image: Brian Burnell."), not
    # headlines: their names are named actors too.
    body += [(p.start, p.end) for p in paragraphs(text) if p.headline and p.text.rstrip()[-1:] in ".!?"]
    in_body = OffsetCover(body)
    votes: dict[str, Counter[str]] = {}
    written: dict[str, str] = {}
    # Entities read once as token ranges; their words come from the parse's token table.
    table = token_table(doc)
    entities = table.entities
    not_actors: set[str] = _enacted_names(text, table)
    for entity in entities:
        start, end, label = entity
        if label in _NEVER_ACTORS:
            not_actors.add(text[table.idx[start] : table.end[end - 1]].lower())
            continue
        if label not in ENTITY_LABELS and not _plural_people(table, entity):
            continue
        if table.idx[start] not in in_body:
            continue
        span = _name(text, table, entity)
        described = describes_a_name(text, table, start, end)
        if span is None or described or _names_no_actor(text, doc, table, entity):
            not_actors.add(text[table.idx[start] : table.end[end - 1]].lower())
            if span is not None:
                not_actors.add(text[span[0] : span[1]].lower())
            continue
        name = text[span[0] : span[1]]
        if name.lower() in not_actors:
            continue
        votes.setdefault(name.lower(), Counter())[label] += 1
        written.setdefault(name.lower(), name)
    for key, actor in list(actors.items()):
        name = actor.canonical.lower()
        if actor.kind is None and name in not_actors and name not in votes:
            del actors[key]  # "Thursday", "March": dates and numbers capitalised like names
    owners = {alias.lower(): actor for actor in actors.values() for alias in actor.aliases}
    stated = stated_kinds(text, table)
    for actor in actors.values():
        if actor.kind is not None:
            continue
        names = (actor.canonical, *sorted(actor.aliases))
        said = next((stated[name.lower()] for name in names if name.lower() in stated), None)
        # The full name decides; a surname alone ("Paris" of "Valeska Paris") is often another entity.
        counts: Counter[str] = Counter(votes.get(actor.canonical.lower(), Counter()))
        if not counts:
            for alias in actor.aliases:
                counts.update(votes.get(alias.lower(), Counter()))
        if counts:
            (label, top), *_ = counts.most_common(1)
            actor.kind = _kind(label, actor.canonical, said)
            kinds = {kind_of_label(other, actor.canonical) for other in counts}
            disputed = len(kinds) > 1 and top < _SETTLED_SHARE * sum(counts.values())
            actor.kind_disputed = disputed and said is None
        elif said is not None:
            actor.kind = said
    for key, counts in votes.items():
        if key in owners or key in actors:
            continue
        name = written[key]
        label = counts.most_common(1)[0][0]
        words = name.split()
        surname_owner = owners.get(words[-1].lower()) if label == "PERSON" and len(words) > 1 else None
        if surname_owner is not None and surname_owner.kind in (None, "person"):
            # "Donald Trump" after "Trump" was listed alone: one person.
            surname_owner.aliases.add(name)
            surname_owner.kind = "person"
            owners[key] = surname_owner
            continue
        draft = ActorDraft(canonical=name, written=name, kind=_kind(label, name, stated.get(key)))
        draft.aliases.add(name)
        if label == "PERSON" and len(words) > 1:
            draft.aliases.add(words[-1])
            owners.setdefault(words[-1].lower(), draft)
        actors[key] = draft
        owners[key] = draft
    _party_members_join_their_party(text, table, actors)


def _party_members_join_their_party(text: str, table: TokenTable, actors: dict[str, ActorDraft]) -> None:
    """Office holders named by a party adjective act for the party the article names by its plural.

    "Republican senators" and "Democratic lawmakers" act for "Republicans" and "Democrats".

    A party adjective before a plural noun of office holders becomes an alias of the group the article
    names by the plural; with no such group it names no actor. A nationality is no party: "Mexican
    officials" act for Mexico's government, not for "Mexicans".
    """
    groups = {
        actor.canonical.lower().removesuffix("s"): actor
        for actor in actors.values()
        if actor.kind == "group" and actor.canonical.endswith("s")
    }
    if not groups:
        return
    for start, end, label in table.entities:
        member = end
        if label != "NORP" or end - start != 1 or member >= len(table.lemma):
            continue
        if table.head[start] != member or table.tag[member] != "NNS" or table.lemma[member] not in _MEMBERS:
            continue
        adjective = table.lower[start]
        if adjective in DEMONYMS:
            continue
        party = next((group for stem, group in groups.items() if adjective.startswith(stem)), None)
        if party is not None:
            party.aliases.add(text[table.idx[start] : table.end[member]])
