"""Claims from the parse: a reporting verb with its subject and complement, in a sentence without quotes.

Reads :class:`extractor.text.syntax.AttributionReader`; the speaker is the roster mention, pronoun or title
phrase that the subject phrase holds (resolved by :class:`extractor.actors.MentionResolver`).
"""

from __future__ import annotations

from extractor.actors.resolver import MentionResolver
from extractor.actors.roster import Mention
from extractor.claims.candidate import ClaimCandidate, kind_of_lemma, modality_of
from extractor.text.candidates import Cue, Quote, SentenceInfo
from extractor.text.lexicon import TITLE_WORDS
from extractor.text.syntax import Attribution, AttributionReader
from schemas import ActorKind

__all__ = ["reporting_quote", "syntactic_claims", "titled_name"]

_SUBJECT_KINDS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "country",
    "NORP": "group",
}
# Subjects that name no one who could be asked what they meant.
_NOT_SPEAKERS = frozenset({"it", "this", "that", "which", "what", "there", "one", "i", "we", "you"})


def syntactic_claims(
    reader: AttributionReader, info: SentenceInfo, resolver: MentionResolver
) -> list[ClaimCandidate]:
    """The sentence's reporting constructions whose subject resolves to an actor, one claim each."""
    text = resolver.text
    claims: list[ClaimCandidate] = []
    taken: list[tuple[int, int]] = []
    for found in reader.within(info.segment.start, info.segment.end):
        if not (info.segment.start <= found.content[0] and found.content[1] <= info.segment.end):
            continue
        mention = _speaker(resolver, info, found)
        if mention is None and not _open_pronoun(resolver.text, found):
            continue
        if any(a <= found.cue[0] and found.cue[1] <= b for a, b in taken):
            continue  # a report inside reported words ("she noted that clients demand ...") is content
        taken.append(found.content)
        start, end = found.content
        claims.append(
            ClaimCandidate(
                sentence=info,
                content=found.content,
                quote=None,
                cue=Cue(found.cue[0], found.cue[1], text[found.cue[0] : found.cue[1]]),
                # A pronoun no earlier subject settles is left for the model to attribute.
                speaker=mention.actor if mention else None,
                speaker_mention=_speaker_mention(found, mention),
                kind=kind_of_lemma(found.lemma),
                modality=modality_of(text[start:end]),
            )
        )
    return claims


def _speaker_mention(found: Attribution, mention: Mention | None) -> tuple[int, int] | None:
    if mention is None:
        return None
    # "experts who said ...": the relative pronoun refers to the speaker where the claim is made.
    return found.relative or (mention.start, mention.end)


def reporting_quote(
    reader: AttributionReader, info: SentenceInfo, resolver: MentionResolver, quote: Quote
) -> tuple[Cue | None, Mention | None, tuple[int, int] | None]:
    """The reporting verb whose complement holds ``quote``, its speaker and its complement, if any.

    The innermost such verb: in "told them that she believes X, saying 'Y'", "Y" is what is said.
    """
    holding = [
        found
        for found in reader.within(info.segment.start, info.segment.end)
        if found.content[0] <= quote.start and quote.end <= found.content[1] + 1
    ]
    if not holding:
        return None, None, None
    found = min(holding, key=lambda item: item.content[1] - item.content[0])
    cue = Cue(found.cue[0], found.cue[1], resolver.text[found.cue[0] : found.cue[1]])
    return cue, _speaker(resolver, info, found), found.content


def _open_pronoun(text: str, found: Attribution) -> bool:
    if not found.subject_pronoun or found.subject_head is None:
        return False
    return text[found.subject_head[0] : found.subject_head[1]].lower() in ("he", "she", "they")


def _speaker(resolver: MentionResolver, info: SentenceInfo, found: Attribution) -> Mention | None:
    if found.subject is None:
        return None
    start, end = found.subject
    if found.subject_pronoun and found.subject_head is not None:
        pronoun = resolver.text[found.subject_head[0] : found.subject_head[1]].lower()
        if pronoun in ("he", "she", "they"):
            actor = resolver.antecedent(info, found.subject_head[0], pronoun)
            return Mention(*found.subject_head, actor, "pronoun") if actor is not None else None
    inside = [m for m in resolver.subjects(info, max(end, found.cue[0])) if start <= m.start and m.end <= end]
    modifiers_only = not inside
    if modifiers_only:
        # Names after a preposition or before "'s" in the subject: one of them may still hold its head.
        inside = [m for m in resolver.roster.in_range(start, end)]
    if inside:
        # The mention that holds the subject's head word ("Cruz" of "Sen. Ted Cruz"), else the first.
        if found.subject_head is not None:
            head_start, head_end = found.subject_head
            for mention in inside:
                if mention.start <= head_start and head_end <= mention.end:
                    return mention
        if not (modifiers_only and found.subject_head is not None):
            return titled_name(resolver.text, inside)
        # "A coalition ... led by California's Xavier Becerra": the modifiers' names are not the speaker.
    if found.subject_name is None or found.subject_pronoun:
        return None
    name_start, name_end = found.subject_name
    name = resolver.text[name_start:name_end]
    if name.lower() in _NOT_SPEAKERS or not any(ch.isalpha() for ch in name):
        return None
    kind = _SUBJECT_KINDS.get(found.subject_label) or ("group" if found.subject_plural else "other")
    return resolver.roster.add_subject(name, kind, name_start, name_end)


def titled_name(text: str, mentions: list[Mention]) -> Mention:
    """The first of these mentions (in text order), or the name a title joins it to.

    "the Illinois representative Bobby Rush", "California senator Kamala Harris": a place before a title
    describes the name after it.
    """
    named = mentions[0]
    for later in mentions[1:]:
        between = text[named.end : later.start].split()
        if not between or not all(word.lower() in TITLE_WORDS for word in between):
            break
        named = later
    return named
