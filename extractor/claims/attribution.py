"""Claim candidates from quotes and cue sentences, with the speaker code can read off the syntax.

Code settles the common patterns (``X said``, ``said X``, ``according to X``, a participle cue after the
sentence subject, a pronoun subject tied to the previous sentence's subject, ``the President`` tied to the
latest actor with that title). What code cannot settle is left for a small, constrained model decision.
"""

from __future__ import annotations

import re

from extractor.actors.resolver import MentionResolver
from extractor.actors.roster import ActorDraft, Mention, Roster
from extractor.claims.candidate import ClaimCandidate, kind_of_cue, modality_of
from extractor.claims.syntactic import reporting_quote, syntactic_claims, titled_name
from extractor.text.candidates import Cue, Quote, SentenceInfo
from extractor.text.lexicon import TITLE_ABBREVIATIONS, TITLE_WORDS
from extractor.text.nlp import parse
from extractor.text.segments import paragraphs
from extractor.text.syntax import AttributionReader

__all__ = ["ClaimCandidate", "find_claims"]

_PARTIAL_QUOTE_WORDS = 5
# Words a title leaves in lower case ("Meet the Press").
_TITLE_MINOR_WORDS = frozenset({"and", "of", "the", "a", "an", "in", "on", "for", "to", "with"})
_MIN_CONTENT_WORDS = 4
_INVERSION_LEAD = re.compile(r"(?:[,;:\"“”'’—–-]|^)\s*$")
_PUNCTUATION = re.compile(r"[,;:.\"“”]")
# "said Mr. Burman": the title's dot is not punctuation between the cue and the speaker.
_ABBREVIATION = re.compile(r"\b(?:" + "|".join(a.title() for a in sorted(TITLE_ABBREVIATIONS)) + r")\.")
# An appositive describes: it opens with a lowercase word ("the", "director"), a possessive or a title.
_DESCRIPTION_START = re.compile(r"[a-z]|(?:[A-Z][\w.]+ )?[A-Z][\w.]+['’]s\b")
# "X, who argued": a relative pronoun up to two words before the cue (\b"who", written as TITLE_NP is).
_RELATIVE_LEAD = re.compile(r"w(?<!\ww)h(?:o|ich)\s+(?:\w+\s+){0,2}$")


def _speaker_for(resolver: MentionResolver, info: SentenceInfo, cue: Cue) -> Mention | None:
    text = resolver.text
    if cue.text.lower() == "according to":
        after = [m for m in resolver.roster.in_range(cue.end, info.segment.end) if m.start - cue.end < 40]
        return after[0] if after else None
    subjects = resolver.subjects(info, cue.start)
    relative = _RELATIVE_LEAD.search(text[info.segment.start : cue.start])
    if relative and subjects:
        # "X, who argued ..." : the relative pronoun stands for the nearest mention before it.
        anchor = info.segment.start + relative.start()
        earlier = [m for m in subjects if m.end <= anchor]
        if earlier:
            return earlier[-1]
    head = _appositive_head(text, subjects, cue.start)
    if head is not None:
        return head
    if subjects and text[info.segment.start : cue.start].rstrip().endswith(" and"):
        # "Cruz exhorted Republicans to ... and said": a coordinated verb shares the sentence subject.
        return subjects[0]
    if subjects:
        # A participle cue (", insisting ...") belongs to the sentence subject, not the nearest noun.
        return subjects[0] if cue.text.lower().endswith("ing") else subjects[-1]
    if not _INVERSION_LEAD.search(text[info.segment.start : cue.start]):
        # "said X" inverts only after the content ("...,'' said X"); "Y said X does" has X as content.
        return None
    following = [
        m
        for m in resolver.roster.in_range(cue.end, info.segment.end)
        if not _PUNCTUATION.search(_ABBREVIATION.sub("", text[cue.end : m.start]))
    ]
    if not following or following[0].start - cue.end > 40:
        return None
    return titled_name(text, following)


def _appositive_head(text: str, subjects: list[Mention], cue_start: int) -> Mention | None:
    """``Pruitt, the attorney general of Oklahoma, said``: the speaker is the name the appositive describes.

    The nearest mention before the cue is then inside the description (``Oklahoma``), not the speaker.
    """
    # The last non-blank character before the cue, found without copying the article up to it.
    last = cue_start
    while last > 0 and text[last - 1].isspace():
        last -= 1
    if last == 0 or text[last - 1] != ",":
        return None
    for mention in reversed(subjects):
        description = text[mention.end : cue_start].rstrip()
        if (
            mention.via != "pronoun"
            and description.startswith(", ")
            and 4 < len(description) <= 240
            and (
                _DESCRIPTION_START.match(description[2:])
                or description[2:].split(" ", 1)[0].lower() in TITLE_WORDS
            )
        ):
            return mention
    return None


def _colon_speaker(resolver: MentionResolver, info: SentenceInfo, quote: Quote) -> Mention | None:
    """``A lesson from Loretta Lynch: 'Be the voice...'``: a name, a colon, then the quotation."""
    lead = re.search(r":\s*[\"“‘'(]*$", resolver.text[info.segment.start : quote.start])
    if lead is None:
        return None
    colon = info.segment.start + lead.start()
    return next((m for m in resolver.roster.in_range(info.segment.start, colon) if m.end == colon), None)


def _clause_content(
    text: str, info: SentenceInfo, cue: Cue, speaker: Mention | None
) -> tuple[int, int] | None:
    end = info.segment.end
    while end > info.segment.start and text[end - 1] in ".!?\"”’' ":
        end -= 1
    if cue.text.lower() == "according to" and speaker is not None:
        start = speaker.end
    else:
        start = cue.end
    rest = text[start:end]
    lead = re.match(r"^[\s,:;]*(?:that\s+)?", rest)
    start += lead.end() if lead else 0
    if len(text[start:end].split()) >= _MIN_CONTENT_WORDS:
        return start, end
    # "..., X said." puts the content before the speaker.
    # max(): a speaker opening the sentence leaves no head, and a negative end would slice from the back.
    head_end = max(info.segment.start, (speaker.start if speaker else cue.start) - 1)
    while head_end > info.segment.start and text[head_end - 1] in " ,\"”’'":
        head_end -= 1
    begin = info.segment.start
    while begin < head_end and text[begin] in "\"“‘' ":
        begin += 1
    if len(text[begin:head_end].split()) >= _MIN_CONTENT_WORDS:
        return begin, head_end
    return None


def _outside_quotes(info: SentenceInfo) -> list[Cue]:
    return [cue for cue in info.cues if not any(q.start <= cue.start < q.end for q in info.quotes)]


def _cue_for_quote(info: SentenceInfo, quote: Quote) -> Cue | None:
    """The reporting cue of a quotation: the nearest one before it, else the first one after it."""
    cues = _outside_quotes(info)
    before = [cue for cue in cues if cue.end <= quote.start]
    if before:
        return before[-1]
    after = [cue for cue in cues if cue.start >= quote.end]
    return after[0] if after else None


def find_claims(text: str, infos: list[SentenceInfo], roster: Roster) -> list[ClaimCandidate]:
    """Claims from quotations (full ones as content, partial ones inside their clause) and cue sentences."""
    claims = _body_claims(text, infos, roster) + _headline_claims(text, roster)
    # A stable sort on the sentence keeps the order of several claims inside one sentence.
    return _distinct(sorted(claims, key=lambda claim: claim.sentence.segment.start))


def _distinct(claims: list[ClaimCandidate]) -> list[ClaimCandidate]:
    """One claim per quoted clause.

    Several partial quotations of one sentence ("called Trump a 'liar', a 'bully'") share the clause as
    content, and would otherwise repeat it once per quotation.
    """
    kept: list[ClaimCandidate] = []
    for claim in claims:
        start, end = claim.content
        if claim.quote is not None and any(
            k.quote is not None
            and k.sentence is claim.sentence
            and k.cue == claim.cue
            and min(end, k.content[1]) - max(start, k.content[0])
            >= 0.8 * min(end - start, k.content[1] - k.content[0])
            for k in kept[-6:]
        ):
            continue
        kept.append(claim)
    return kept


def _headline_claims(text: str, roster: Roster) -> list[ClaimCandidate]:
    """``Pence: Flowers Won't Be at Debate``, ``A lesson from Lynch: ...``: a known name, a colon, a claim."""
    owners = {alias: actor for alias, actor in roster.by_alias().items() if actor.kind != "country"}
    found: list[ClaimCandidate] = []
    for index, paragraph in enumerate(paragraphs(text)):
        match = _HEADLINE_LABEL.match(paragraph.text) if paragraph.headline else None
        if match is None:
            continue
        words = match.group(1).split()
        # The longest run of trailing capitalised words that names a known actor: "from Loretta Lynch".
        owner, label_words = next(
            (
                (owners[" ".join(words[i:]).lower()], words[i:])
                for i in range(len(words))
                if " ".join(words[i:]).lower() in owners
            ),
            (None, []),
        )
        if owner is None:
            continue
        start = paragraph.start + match.end()
        end = paragraph.end
        while end > start and text[end - 1] in ".'’\"” ":
            end -= 1
        if len(text[start:end].split()) < _MIN_CONTENT_WORDS:
            continue
        label_end = paragraph.start + match.end(1)
        label = (label_end - len(" ".join(label_words)), label_end)
        info = SentenceInfo(paragraph, -1, index, (), (), (), (), ())
        colon = Cue(label_end, label_end + 1, ":")
        claim = ClaimCandidate(
            info, (start, end), None, colon, owner, label, modality=modality_of(text[start:end])
        )
        found.append(claim)
    return found


def _body_claims(text: str, infos: list[SentenceInfo], roster: Roster) -> list[ClaimCandidate]:
    resolver = MentionResolver(text, infos, roster)
    reader = AttributionReader(parse(text))
    claims: list[ClaimCandidate] = []
    previous_speaker: ActorDraft | None = None
    transcript_paragraph = -1
    for info in infos:
        if info.paragraph_index == transcript_paragraph:
            continue
        turn = _transcript_turn(text, infos, info, roster)
        if turn is not None:
            claims.append(turn)
            transcript_paragraph = info.paragraph_index
            previous_speaker = turn.speaker
            continue
        if info.quotes:
            sentence_claims = len(claims)
            for quote in info.quotes:
                if _is_title(quote.text):
                    continue  # "Fox News Sunday": the name of a programme or a work, not words said
                # The verb whose complement holds the quotation, else the nearest cue word.
                cue, parsed_speaker, complement = reporting_quote(reader, info, resolver, quote)
                if cue is None:
                    cue = _cue_for_quote(info, quote)
                if cue is None and len(quote.text.split()) < _PARTIAL_QUOTE_WORDS:
                    # A short quotation with no reporting verb is a term or a scare quote, not a claim.
                    continue
                if parsed_speaker is not None:
                    mention: Mention | None = parsed_speaker
                elif cue is not None:
                    mention = _speaker_for(resolver, info, cue)
                else:
                    mention = _colon_speaker(resolver, info, quote)
                content = (quote.start, quote.end)
                if (
                    cue is not None
                    and cue.end <= quote.start
                    and len(quote.text.split()) < _PARTIAL_QUOTE_WORDS
                ):
                    if complement is not None:
                        # The parse bounds the clause ("urged them to 'vote' and said ..." ends at "and").
                        content = (min(complement[0], quote.start), max(complement[1], quote.end))
                    else:
                        content = (_skip_that(text, cue.end), _clause_end(text, quote.end, info.segment.end))
                speaker = mention.actor if mention else None
                if speaker is None and cue is None and previous_speaker is not None:
                    speaker = previous_speaker
                claims.append(
                    ClaimCandidate(
                        sentence=info,
                        content=content,
                        quote=quote,
                        cue=cue,
                        speaker=speaker,
                        speaker_mention=(mention.start, mention.end) if mention else None,
                        kind=kind_of_cue(cue),
                        modality=modality_of(text[content[0] : content[1]]),
                    )
                )
            quoted = claims[sentence_claims:]
            # Reported speech beside the quotation ("exhorted them to 'vote your conscience' and said he
            # was standing on principle") is a claim of its own.
            claims.extend(
                c
                for c in syntactic_claims(reader, info, resolver)
                if not any(_overlaps(c.content, q.content) or c.cue == q.cue for q in quoted)
            )
            if claims:
                previous_speaker = claims[-1].speaker
            continue
        parsed = syntactic_claims(reader, info, resolver)
        if parsed:
            claims.extend(parsed)
            # A pronoun left open does not end the run of a speaker's quotations.
            previous_speaker = parsed[-1].speaker or previous_speaker
            continue
        for cue in _outside_quotes(info):
            mention = _speaker_for(resolver, info, cue)
            if mention is None:
                continue
            clause = _clause_content(text, info, cue, mention)
            if clause is None:
                continue
            content = clause
            claims.append(
                ClaimCandidate(
                    sentence=info,
                    content=content,
                    quote=None,
                    cue=cue,
                    speaker=mention.actor,
                    speaker_mention=(mention.start, mention.end),
                    kind=kind_of_cue(cue),
                    modality=modality_of(text[content[0] : content[1]]),
                )
            )
            previous_speaker = mention.actor
            break
        else:
            previous_speaker = None if info.cues else previous_speaker
    return claims


def _is_title(quoted: str) -> bool:
    words = 0
    # Word by word: most quotations are sentences, settled by their first lowercase word.
    for word in quoted.strip(" ,.!?“”\"'’‘").split():
        if word[:1].isalpha():
            words += 1
            if words == _PARTIAL_QUOTE_WORDS or not (word[0].isupper() or word in _TITLE_MINOR_WORDS):
                return False
    return words > 0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _skip_that(text: str, offset: int) -> int:
    lead = re.match(r"^[\s,:;]*(?:that\s+)?", text[offset:])
    return offset + (lead.end() if lead else 0)


def _clause_end(text: str, offset: int, limit: int) -> int:
    end = offset
    while end < limit and text[end] in "\"”’'":
        end += 1
    match = re.search(r"[,;.!?]", text[end:limit])
    stop = end + match.start() if match else limit
    while stop > end and text[stop - 1] == " ":
        stop -= 1
    return stop


_HEADLINE_LABEL = re.compile(
    r"^(?:[^:]{0,60}?\s|[\"“])?((?:[A-Z][\w.’'-]+ ){0,2}[A-Z][\w.’'-]+):\s+[\"“‘']?(?=\w)"
)
_TURN = re.compile(r"^[\"“]?([A-Z][A-Za-z.’'-]+(?: [A-Z][A-Za-z.’'-]+){0,2}):\s+\S")


def _transcript_turn(
    text: str, infos: list[SentenceInfo], info: SentenceInfo, roster: Roster
) -> ClaimCandidate | None:
    """``PENCE: Well, the question ...``: an interview turn, the whole paragraph attributed to the name."""
    first = info.index == 0 or infos[info.index - 1].paragraph_index != info.paragraph_index
    match = _TURN.match(info.segment.text) if first else None
    if match is None:
        return None
    label = match.group(1).lower()
    label_start = info.segment.start + match.start(1)
    speaker = next(
        (
            m
            for m in roster.in_range(label_start, info.segment.start + match.end(1))
            if m.start == label_start
        ),
        None,
    )
    owner = speaker.actor if speaker else roster.by_alias().get(label)
    if owner is None:
        return None
    end = max(i.segment.end for i in infos if i.paragraph_index == info.paragraph_index)
    start = info.segment.start + match.end(1) + 1
    while text[start] == " ":
        start += 1
    colon = Cue(info.segment.start + match.end(1), info.segment.start + match.end(1) + 1, ":")
    return ClaimCandidate(
        sentence=info,
        content=(start, end),
        quote=None,
        cue=colon,
        speaker=owner,
        speaker_mention=(label_start, info.segment.start + match.end(1)),
        modality=modality_of(text[start:end]),
    )
