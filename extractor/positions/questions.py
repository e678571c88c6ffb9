"""The two rounds of questions that decide the article's positions, and the plan that holds their answers.

1. **Topics** (one request): code's topic candidates (:mod:`.candidates`) are listed with keys; the model
   groups them into the article's topics and labels each. Its answer may only cite the keys listed. A
   topic is discussed in its phrases' sentences and wherever a policy noun of its label occurs.
2. **Stances** (one small request per pair): for each plausible (actor, topic) pair, the sentences that
   mention both (or hold the actor's claim and the topic) are shown and the model picks ``support``,
   ``oppose``, ``mixed`` or ``none``. A sentence that mentions an actor beside a topic rarely says what
   the actor thinks of it, yet the embedded model seldom answers ``none`` (5 of the 122 pairs asked on
   SEESAW dev): which pairs are asked (holders acting in the topic's sentences, at most
   :data:`MAX_PAIRS`, the best evidenced first) is what keeps most such mentions from becoming positions.

Any actor of the roster may hold a position, not only speakers: narration states positions too ("the
House passed a measure to end the war"). Questions run through the pipeline's round runner; their answers
land in the :class:`PositionPlan` (warnings in the pipeline's ``Decisions``).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.drafts import PairStanceValue, pair_stance_model, topic_names_model
from extractor.llm.questions import Question, ScoredAnswer
from extractor.positions.candidates import (
    PolicyNouns,
    SentenceMap,
    TopicCandidate,
    sentence_bounds,
    topic_candidates,
)
from extractor.positions.explicit import explicit_stance
from extractor.positions.holders import acting_sentences
from extractor.positions.polarity import path_stance
from extractor.positions.stances import CALIBRATION_BATCH, StanceAnswer, lexical_stance, support_margin
from extractor.settings import Settings
from extractor.text.lexicon import SOURCE_DOCUMENTS
from extractor.text.tokens import token_table
from prompts import render
from schemas import Actor, Claim

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["MAX_PAIRS", "Pair", "PlannedTopic", "PositionPlan", "plan_positions"]

MAX_PAIRS = 12
"""Stance questions asked at most per article, the pairs with the most shared sentences first."""
_MAX_TOPICS = 5
_FALLBACK_TOPICS = 3
_ALWAYS_TOPICS = 2
_SENTENCES_SHOWN = 4
_SENTENCE_CHARS = 400
_TOPICS_PASSAGE_CHARS = 3000
_HOLDER_KINDS = frozenset({"person", "government", "organization", "country", "group", "media"})
# Documents and informants: what a view is read in or heard from, not who holds it ("two sources",
# "Justice Department guidelines").
_DOCUMENTS = SOURCE_DOCUMENTS | frozenset(
    """evidence decision document documents reports guidelines rules records data figures source
    sources""".split()
)


@dataclass(frozen=True)
class PlannedTopic:
    """A topic as the model named it: its label and the sentences (indexes) that discuss it."""

    label: str
    sentences: tuple[int, ...]
    heads: frozenset[str] = frozenset()
    """Head lemmas of the candidate phrases the topic covers."""


@dataclass(frozen=True)
class Pair:
    """An (actor, topic) pair worth a stance question: the sentences that show both, its claims."""

    actor_id: str
    topic: int
    sentences: tuple[int, ...]
    claim_ids: tuple[str, ...]


@dataclass
class PositionPlan:
    """Code's candidates for one article and, as the rounds are answered, the topics and stances."""

    text: str
    sentences: SentenceMap
    candidates: list[TopicCandidate]
    actors: list[Actor]
    claims: list[Claim]
    acting: dict[str, dict[int, list[str]]]
    """Holder id -> the sentences where it acts (subject, agent, possessor, speaker) -> its claims there.

    The holders are the actors that can hold a position: people and bodies, not documents or places.
    """
    doc: Doc | None = None
    """The article's parse, for the stances it states outright."""
    policy_nouns: PolicyNouns = field(default_factory=lambda: PolicyNouns({}))
    """Where the article's policy nouns occur, for the sentences a topic's label names."""
    topics: list[PlannedTopic] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    stances: dict[int, PairStanceValue] = field(default_factory=dict)
    """Pair index -> the stance decided for it."""
    answers: dict[int, StanceAnswer] = field(default_factory=dict)
    """Pair index -> the model's answer and code's witnesses, for the pairs asked."""

    def calibrate_stances(self) -> None:
        """Settle the asked pairs' directions against the article's own bias (call after the stance round).

        The small model leans to ``support`` whatever the sentences say; how far it leans differs by
        article. Batch calibration (Zhou et al., 2024) takes the article's support-over-oppose margins as
        that lean and judges each answer by its margin above or below it. The lean is their median: one
        answer the model is very sure of would drag a mean across the others. With few answers the lean
        is the answers themselves, so calibration waits for :data:`CALIBRATION_BATCH`.
        """
        margins = [a.margin for a in self.answers.values() if a.margin is not None]
        lean = statistics.median(margins) if len(margins) >= CALIBRATION_BATCH else None
        for index, answer in self.answers.items():
            self.stances[index] = answer.settled(lean)

    def topic_questions(self) -> list[Question]:
        """The one request that names the article's topics (none when code found no candidate)."""
        if not self.candidates:
            return []
        listed = [{"key": c.key, "phrase": c.phrase} for c in self.candidates]
        guess = {"topics": [{"label": _label(c.phrase), "covers": [c.key]} for c in self._fallback()]}
        messages = render("topics", article=self._passage_of_candidates(), candidates=listed)
        model = topic_names_model([c.key for c in self.candidates], guess)
        return [Question(messages, model, 60 * _MAX_TOPICS, self._record_topics, self._topics_failed)]

    def stance_questions(self) -> list[Question]:
        """One stance request per plausible (actor, topic) pair; call after the topics are recorded.

        Stances the parse states outright are recorded without a request and do not count toward
        :data:`MAX_PAIRS`. A country holds a position only when the parse states it: its name is far more
        often where a policy happens, or whom it targets, than who takes a stance.
        """
        actors = {actor.id: actor for actor in self.actors}
        mentions = {
            actor.id: [(m.start, m.end) for m in actor.mentions if m.start is not None and m.end is not None]
            for actor in self.actors
        }
        # The words that make a sentence the topic's are the words read in it for the stance.
        topic_words = [topic.heads | self.policy_nouns.nouns_in(topic.label) for topic in self.topics]
        self.pairs = []
        asked: list[tuple[int, Pair, PairStanceValue | None]] = []
        for pair in self._pairs():
            bounds = [self.sentences.bounds[s] for s in pair.sentences]
            holder, heads = mentions[pair.actor_id], topic_words[pair.topic]
            stated = None if self.doc is None else explicit_stance(self.doc, bounds, holder, heads)
            if stated is not None:
                self.stances[len(self.pairs)] = stated
            elif actors[pair.actor_id].kind == "country" or len(asked) >= MAX_PAIRS:
                continue
            else:
                # The parse path's direction settles an answer, so it is read only for the pairs asked.
                direction = None if self.doc is None else path_stance(self.doc, bounds, holder, heads)
                asked.append((len(self.pairs), pair, direction))
            self.pairs.append(pair)
        questions = [
            self._stance_question(index, pair, actors[pair.actor_id].name, direction)
            for index, pair, direction in asked
        ]
        # Questions showing the same sentences go one after another: a server that keeps the prompt it
        # read last (the embedded one does) then reads only what differs. Answers land by pair index.
        return sorted(questions, key=lambda question: question.messages[-1]["content"])

    def _stance_question(
        self, index: int, pair: Pair, actor: str, direction: PairStanceValue | None
    ) -> Question:
        shown = [self._sentence(s)[:_SENTENCE_CHARS] for s in pair.sentences[:_SENTENCES_SHOWN]]
        messages = render(
            "pair_stance", article="\n".join(shown), actor=actor, topic=self.topics[pair.topic].label
        )
        lexical = lexical_stance(" ".join(shown))
        recorders = self._stance_recorders(index, direction, lexical)
        return Question(messages, pair_stance_model(lexical), 16, *recorders, scored=True)

    def _record_topics(self, decisions: Decisions, answer: Any) -> None:
        by_key = {candidate.key: candidate for candidate in self.candidates}
        named_topics = [named for named in answer.topics[:_MAX_TOPICS] if named.label.strip()]
        # A phrase two topics claim goes to the one whose label shares most words with it ("land strikes
        # on drug cartels" to that topic rather than to "a war on drugs"), the earlier one on a tie.
        owner: dict[str, int] = {}
        for key in by_key:
            claims = [i for i, named in enumerate(named_topics) if key in named.covers]
            if claims:
                words = _content_words(by_key[key].phrase)
                labels = [_content_words(named_topics[i].label) for i in claims]
                best = max(range(len(claims)), key=lambda n: (len(words & labels[n]), -n))
                owner[key] = claims[best]
        for index, named in enumerate(named_topics):
            keys = [key for key, topic in owner.items() if topic == index]
            found = sorted({s for key in keys for s in by_key[key].sentences})
            if not found:
                continue
            phrases = [by_key[key].phrase for key in keys]
            label = named.label.strip()
            if not _content_words(label) & _content_words(" ".join(phrases)):
                # A label sharing no word with its phrases is not read off this article (a small model
                # copies the prompt's example): the phrase stands in.
                label = _label(phrases[0])
            heads = frozenset(by_key[key].head for key in keys)
            self.topics.append(self._planned(label, found, heads))
        if not self.topics:
            decisions.warnings.append(
                "no topic named from the candidates; the most discussed phrases are used"
            )
            self._use_fallback()
            return
        # The phrases the article discusses most are topics even when the model's grouping left them out.
        covered = set(owner)
        for candidate in self.candidates[:_ALWAYS_TOPICS]:
            if candidate.key not in covered and len(self.topics) < _MAX_TOPICS:
                self.topics.append(self._candidate_topic(candidate))

    def _topics_failed(self, decisions: Decisions, error: LLMOutputError) -> None:
        decisions.warnings.append(
            f"topics undecided ({error.attempts} attempts); the most discussed phrases are used"
        )
        self._use_fallback()

    def _fallback(self) -> list[TopicCandidate]:
        return self.candidates[:_FALLBACK_TOPICS]

    def _use_fallback(self) -> None:
        self.topics = [self._candidate_topic(candidate) for candidate in self._fallback()]

    def _candidate_topic(self, candidate: TopicCandidate) -> PlannedTopic:
        """One candidate as a topic of its own, labelled by its phrase."""
        return self._planned(_label(candidate.phrase), candidate.sentences, frozenset({candidate.head}))

    def _planned(self, label: str, sentences: Sequence[int], heads: frozenset[str]) -> PlannedTopic:
        """A topic discussed in its phrases' sentences and wherever its label's policy nouns occur.

        The label joins what the article names apart: "the impeachment probe" is also discussed in "their
        impeachment obsession", a sentence whose phrase no candidate holds.
        """
        found = set(sentences) | self.policy_nouns.naming(label)
        return PlannedTopic(label, tuple(sorted(found)), heads)

    def _stance_recorders(
        self, index: int, direction: PairStanceValue | None, lexical: PairStanceValue
    ) -> tuple[Any, Any]:
        def record(decisions: Decisions, answer: Any) -> None:
            scores = answer.choice_logprobs if isinstance(answer, ScoredAnswer) else None
            value: Any = answer.value if isinstance(answer, ScoredAnswer) else answer
            self.answers[index] = StanceAnswer(value.stance, direction, lexical, support_margin(scores))
            self.stances[index] = self.answers[index].settled(None)

        def failed(decisions: Decisions, error: LLMOutputError) -> None:
            pair = self.pairs[index]
            decisions.warnings.append(
                f"stance of {pair.actor_id} on {self.topics[pair.topic].label!r} undecided "
                f"({error.attempts} attempts)"
            )

        return record, failed

    def _pairs(self) -> list[Pair]:
        # Each topic's label and sentences, and each holder's name, are read once, not once per pair.
        named_by = {actor.id: _name_words(actor) for actor in self.actors if actor.id in self.acting}
        pairs = []
        for topic_index, topic in enumerate(self.topics):
            label_words = _content_words(topic.label)
            discussed = set(topic.sentences)
            for actor_id, own in self.acting.items():
                name_words = named_by.get(actor_id)
                if name_words is None or (name_words and name_words <= label_words):
                    continue
                shared = tuple(sorted(discussed.intersection(own)))
                if shared:
                    claims = tuple(dict.fromkeys(c for s in shared for c in own.get(s, [])))
                    pairs.append(Pair(actor_id, topic_index, shared, claims))
        # The pairs with the most shared sentences (and own claims) first; ties by topic rank.
        pairs.sort(key=lambda pair: (-(len(pair.sentences) + len(pair.claim_ids)), pair.topic))
        return pairs

    def _sentence(self, index: int) -> str:
        start, end = self.sentences.bounds[index]
        return self.text[start:end]

    def _passage_of_candidates(self) -> str:
        """The sentences the candidates stand in, each once, in text order, up to a budget.

        What the model reads: it sees how each phrase is used without reading the whole article.
        """
        chosen = sorted({index for c in self.candidates for index in c.sentences})
        kept: list[str] = []
        used = 0
        for index in chosen:
            sentence = self._sentence(index)[:_SENTENCE_CHARS]
            if used + len(sentence) > _TOPICS_PASSAGE_CHARS:
                break
            kept.append(sentence)
            used += len(sentence) + 1
        return "\n".join(kept)


def plan_positions(
    text: str, doc: Doc, actors: list[Actor], claims: list[Claim], settings: Settings
) -> PositionPlan:
    """Code's part of the positions stage: sentences, topic candidates (not actors' names), holders."""
    sentences = sentence_bounds(doc, text)
    actor_spans = [
        (mention.start, mention.end)
        for actor in actors
        for mention in actor.mentions
        if mention.start is not None and mention.end is not None
    ]
    candidates = topic_candidates(text, doc, sentences, actor_spans)
    common = _common_group_names(doc, actors)
    holders = [actor for actor in actors if _can_hold(actor, common)]
    acting = acting_sentences(doc, sentences, holders, claims)
    return PositionPlan(
        text, sentences, candidates, list(actors), list(claims), acting, doc, PolicyNouns.of(doc, sentences)
    )


def _common_group_names(doc: Doc, actors: list[Actor]) -> set[str]:
    """The capitalised one-word group names the parse reads as common nouns somewhere.

    "Officials" opening a sentence is a common noun; a name written in lower case is common whatever the
    parse says (:func:`_bare_group`).
    """
    names = {
        actor.canonical_name.lower()
        for actor in actors
        if actor.kind == "group"
        and " " not in actor.canonical_name
        and not actor.canonical_name[:1].islower()
    }
    if not names:
        return set()
    table = token_table(doc)
    return {low for low, pos in zip(table.lower, table.pos, strict=True) if low in names and pos == "NOUN"}


def _can_hold(actor: Actor, common_nouns: set[str]) -> bool:
    """Whether an actor can hold a position: people and organisations, not documents or places.

    ``other`` holds places acting as jurisdictions and the sources code found speaking ("the report"):
    in policy news they are what a policy is about far more often than who takes a stance on it.
    """
    words = actor.canonical_name.split()
    head = words[-1].lower() if words else ""
    return (
        actor.kind in _HOLDER_KINDS and head not in _DOCUMENTS and not _bare_group(actor, words, common_nouns)
    )


def _bare_group(actor: Actor, words: list[str], common_nouns: set[str]) -> bool:
    """A group named by one common noun ("officials", "analysts", "critics"): whose view it is, is unsaid.

    Policy news states the stances of named people and bodies; "experts say" reports an analysis, and a
    small model asked about it invents a support. A one-word group is common when it is ever written in
    lower case or the parse reads it as a common noun (a capital opening a sentence); "Democrats" is
    neither.
    """
    if actor.kind != "group" or len(words) != 1:
        return False
    if words[0][:1].islower() or words[0].lower() in common_nouns:
        return True
    return any(mention.text[:1].islower() for mention in actor.mentions)


def _name_words(actor: Actor) -> set[str]:
    """The words of an organisation's or a country's name ("Russia" of "the Russia probe").

    A topic whose label holds them all is about the actor, not one it holds a stance on. A person may
    hold a stance on their own policy ("Trump's emergency declaration"): a person or group names none.
    """
    if actor.kind in ("person", "group"):
        return set()
    return _content_words(actor.canonical_name)


def _content_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]{3,}", text.lower()) if word not in _FUNCTION_WORDS}


_FUNCTION_WORDS = frozenset("the and for with from that this its their his her our on of in to a an".split())


def _label(phrase: str) -> str:
    label = phrase.strip()[:80]
    return label if len(label) >= 3 else f"{label} policy"
