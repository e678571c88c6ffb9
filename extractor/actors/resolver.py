"""Subject mentions -> actors: names, pronouns tied to an earlier subject, "the president" to its holder.

The claims stage asks it who a cue's subject is; it answers from the roster alone, in text order.
"""

from __future__ import annotations

import re

from extractor.actors.roster import ActorDraft, Mention, Roster, is_possessive, preceded_by_preposition
from extractor.text.candidates import SentenceInfo
from extractor.text.lexicon import TITLE_WORDS

__all__ = ["TITLE_NP", "MentionResolver"]

# \b"the", written so that re can skip to each "t" (see extractor.text.patterns).
TITLE_NP = re.compile(r"[Tt](?<!\w[Tt])he\s+((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+|[a-z]+)\b")


class MentionResolver:
    """Resolves subject mentions (names, pronouns, title phrases) to actors, in text order."""

    def __init__(self, text: str, infos: list[SentenceInfo], roster: Roster) -> None:
        self.text = text
        self.infos = infos
        self.roster = roster
        # Pronoun antecedents ask for the same earlier sentences' subjects again and again.
        self._subjects: dict[tuple[int, int], list[Mention]] = {}
        # A sentence is asked for its subjects before each of its cues; its title phrases are read once.
        self._title_phrases: dict[int, list[tuple[int, int, str]]] = {}

    def subjects(self, info: SentenceInfo, before: int) -> list[Mention]:
        """Mentions before offset ``before`` in the sentence that can be a grammatical subject.

        The list is shared between callers asking the same question: read it, do not change it.
        """
        key = (info.index, before)
        known = self._subjects.get(key)
        if known is None:
            known = self._subjects[key] = self._find_subjects(info, before)
        return known

    def _find_subjects(self, info: SentenceInfo, before: int) -> list[Mention]:
        text, quotes = self.text, info.quotes
        found: list[Mention] = []
        for mention in self.roster.in_range(info.segment.start, before):
            if quotes and any(q.start <= mention.start < q.end for q in quotes):
                continue
            if preceded_by_preposition(text, mention.start) or is_possessive(text, mention.end):
                continue
            found.append(mention)
        # The roster's mentions come in text order: only pronouns and titles need sorting in.
        named = len(found)
        for pronoun in info.pronouns:
            if pronoun.end <= before and not any(q.start <= pronoun.start < q.end for q in quotes):
                actor = self.antecedent(info, pronoun.start, pronoun.text.lower())
                if actor is not None:
                    found.append(Mention(pronoun.start, pronoun.end, actor, "pronoun"))
        for start, end, word in self._titles_in(info):
            if start < before:
                actor = self.latest_with_title(word, start)
                if actor is not None:
                    found.append(Mention(start, end, actor, "title"))
        if len(found) > named:
            found.sort(key=lambda mention: mention.start)
        return found

    def _titles_in(self, info: SentenceInfo) -> list[tuple[int, int, str]]:
        """The sentence's subject-like title phrases ("the president"): offsets and the title word."""
        known = self._title_phrases.get(info.index)
        if known is None:
            known = self._title_phrases[info.index] = []
            for match in TITLE_NP.finditer(info.segment.text):
                start = info.segment.start + match.start()
                word = match.group(1).split()[-1].lower()
                if word in TITLE_WORDS and not preceded_by_preposition(self.text, start):
                    known.append((start, info.segment.start + match.end(), word))
        return known

    def antecedent(self, info: SentenceInfo, offset: int, pronoun: str) -> ActorDraft | None:
        """The actor a he/she/they pronoun most likely refers to: the nearest earlier sentence's subject."""
        wanted = {"group", "organization", "government", "country"} if pronoun == "they" else {"person", None}
        for earlier in reversed(self.infos[: info.index + 1]):
            limit = offset if earlier is info else earlier.segment.end
            if earlier is info and pronoun != "they":
                continue
            for mention in self.subjects(earlier, limit) if earlier is not info else []:
                if mention.actor.kind in wanted:
                    return mention.actor
            if info.index - earlier.index > 3:
                break
        return None

    def latest_with_title(self, word: str, offset: int) -> ActorDraft | None:
        """The actor most recently mentioned before ``offset`` whose title contains ``word``."""
        best: tuple[int, ActorDraft] | None = None
        for actor in self.roster.actors:
            if actor.title and word in actor.title.lower().split():
                earlier = [start for start, _ in actor.mentions if start < offset]
                if earlier and (best is None or max(earlier) > best[0]):
                    best = (max(earlier), actor)
        return best[1] if best else None
