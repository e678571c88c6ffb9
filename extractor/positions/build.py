"""The public topics and positions: planned stances grounded by code, and a model's drafted ones.

Every evidence span is an article sentence located by code. In the pipeline each evidence sentence is one
where the topic's phrases occur, so a position never rests on a sentence that does not mention its topic;
a ``none`` answer leaves no position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractor.llm.drafts import DraftPosition
from extractor.positions.questions import PositionPlan
from extractor.text.grounding import Grounder, exact_span
from schemas import Claim, PolicyPosition, Span, Topic

__all__ = ["build_positions", "drafted_positions"]

_EVIDENCE = 5


def build_positions(plan: PositionPlan) -> tuple[list[Topic], list[PolicyPosition]]:
    """The article's topics and the positions the settled stances decided (``none`` leaves none).

    Call after :meth:`PositionPlan.calibrate_stances`: the stances are read as they are settled.
    """
    # Topics and positions cite the same sentences again and again; a span is immutable, so one serves all.
    spans: dict[int, Span] = {}

    def sentence_span(index: int) -> Span:
        span = spans.get(index)
        if span is None:
            start, end = plan.sentences.bounds[index]
            span = spans[index] = exact_span(plan.text, start, end)
        return span

    topics = [
        Topic(
            id=f"t{index + 1}",
            label=topic.label[:200],
            evidence=[sentence_span(s) for s in topic.sentences[:20]],
        )
        for index, topic in enumerate(plan.topics)
    ]
    positions: list[PolicyPosition] = []
    decided = [
        (index, pair) for index, pair in enumerate(plan.pairs) if plan.stances.get(index, "none") != "none"
    ]
    # Grouped by topic, then in the order of the article's actors, so the matrix reads row by row.
    order = {actor.id: rank for rank, actor in enumerate(plan.actors)}
    decided.sort(key=lambda item: (item[1].topic, order.get(item[1].actor_id, 0)))
    for index, pair in decided:
        topic = topics[pair.topic]
        stance = plan.stances[index]
        assert stance != "none"  # filtered above; narrows the type
        positions.append(
            PolicyPosition(
                id=f"p{len(positions) + 1}",
                actor_id=pair.actor_id,
                topic_id=topic.id,
                topic=topic.label,
                stance=stance,
                evidence=[sentence_span(s) for s in pair.sentences[:_EVIDENCE]],
                claim_ids=list(pair.claim_ids[:20]),
            )
        )
    return topics, positions


def drafted_positions(
    grounder: Grounder,
    labels: Sequence[str],
    drafts: Sequence[DraftPosition],
    claims: list[Claim],
    actor_id: Callable[[str], str | None],
    warnings: list[str],
) -> tuple[list[Topic], list[PolicyPosition]]:
    """Topics and positions from a model's drafts (the ``single`` strategy), evidence grounded by code.

    A position's topic is the listed topic of the same label (case aside), else a topic of its own; a
    position whose evidence does not ground, or does not share a word with its topic, is dropped.
    """
    by_label: dict[str, int] = {}
    topic_labels: list[str] = []
    topic_evidence: list[list[Span]] = []

    def topic_of(label: str) -> int:
        key = " ".join(label.lower().split())
        if key not in by_label:
            by_label[key] = len(topic_labels)
            topic_labels.append(label.strip()[:200])
            topic_evidence.append([])
        return by_label[key]

    for label in labels:
        if label.strip():
            topic_of(label)
    kept: list[tuple[str, int, DraftPosition, Span]] = []
    for item in drafts:
        holder_id = actor_id(item.actor)
        if holder_id is None:
            warnings.append(f"dropped position of unknown actor {item.actor!r}")
            continue
        evidence = grounder.locate(item.evidence) if item.evidence.strip() else None
        if evidence is None or not evidence.grounded:
            warnings.append(
                f"dropped position of {holder_id} on {item.topic!r}: its evidence is not in the article"
            )
            continue
        if not _shares_word(item.topic, evidence.text):
            warnings.append(
                f"dropped position of {holder_id} on {item.topic!r}: its evidence does not mention it"
            )
            continue
        topic = topic_of(item.topic)
        topic_evidence[topic].append(evidence)
        kept.append((holder_id, topic, item, evidence))
    used = sorted({topic for _, topic, _, _ in kept})
    ids = {topic: f"t{rank}" for rank, topic in enumerate(used, start=1)}
    topics = [Topic(id=ids[t], label=topic_labels[t], evidence=topic_evidence[t][:20]) for t in used]
    positions: list[PolicyPosition] = []
    for holder_id, topic, item, evidence in kept:
        cited = [
            claim.id
            for claim in claims
            if claim.speaker_id == holder_id and _overlaps(claim.content, evidence)
        ]
        positions.append(
            PolicyPosition(
                id=f"p{len(positions) + 1}",
                actor_id=holder_id,
                topic_id=ids[topic],
                topic=topic_labels[topic],
                stance=item.stance,
                evidence=[evidence],
                claim_ids=cited[:20],
            )
        )
    return topics, positions


_STOP = frozenset("the a an of on in to for and or with by at from us his her their its".split())


def _shares_word(topic: str, sentence: str) -> bool:
    words = {w for w in topic.lower().replace("-", " ").split() if w not in _STOP and len(w) > 2}
    text = sentence.lower()
    # Prefix match so "strikes" in the topic finds "strike" in the sentence, and "Mexican" finds "Mexico".
    return any(word[: max(4, len(word) - 3)] in text for word in words)


def _overlaps(span: Span, other: Span) -> bool:
    if span.start is None or span.end is None or other.start is None or other.end is None:
        return False
    return span.start < other.end and other.start < span.end
