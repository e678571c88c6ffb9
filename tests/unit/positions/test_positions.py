"""The positions stage: topic candidates from the parse, the two rounds of questions, grounded positions."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from extractor import Extractor
from extractor.decisions import Decisions
from extractor.errors import LLMOutputError
from extractor.llm.drafts import DraftPosition
from extractor.pipeline.run import prompts_in_use
from extractor.positions import build_positions, drafted_positions, lexical_stance, plan_positions
from extractor.positions.questions import PositionPlan
from extractor.settings import EMBEDDED_MODEL, Settings
from extractor.testing import FakeCall, FakeLLM, minimal_instance
from extractor.text.grounding import Grounder, exact_span
from extractor.text.nlp import parse
from schemas import Actor, ArticleExtraction, Claim, PolicyPosition, Provenance, Topic, Usage

TEXT = (
    "Council Weighs Water Tax\n"
    "Mayor Lena Ortiz has proposed a water tax to pay for new pipes.\n"
    "The Farmers Union has repeatedly tried to block the water tax.\n"
    "Councillor Tom Reyes said the water tax would hurt families.\n"
    "Analyst Mia Chen described the debate over the tax as a budget fight.\n"
    "The council will vote on the tax in May."
)


def _actor(actor_id: str, name: str, kind: str, *words: str) -> Actor:
    mentions = [exact_span(TEXT, m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), TEXT)]
    return Actor(id=actor_id, name=name, canonical_name=name, kind=kind, mentions=mentions)  # type: ignore[arg-type]


ACTORS = [
    _actor("lena-ortiz", "Mayor Lena Ortiz", "person", "Mayor Lena Ortiz"),
    _actor("farmers-union", "The Farmers Union", "organization", "Farmers Union"),
    _actor("tom-reyes", "Councillor Tom Reyes", "person", "Councillor Tom Reyes"),
    _actor("mia-chen", "Analyst Mia Chen", "person", "Analyst Mia Chen"),
]
_QUOTE = TEXT.index("the water tax would hurt families")
CLAIMS = [
    Claim(
        id="c1",
        speaker_id="tom-reyes",
        statement="The water tax would hurt families.",
        content=exact_span(TEXT, _QUOTE, _QUOTE + len("the water tax would hurt families")),
    )
]


def _plan() -> PositionPlan:
    return plan_positions(TEXT, parse(TEXT), ACTORS, CLAIMS, Settings())


def _answer(question: Any, answer: dict[str, Any]) -> None:
    question.on_answer(Decisions(), question.response_model.model_validate(answer))


def test_candidates_group_phrases_by_head_and_skip_actor_names() -> None:
    plan = _plan()
    heads = {candidate.head: candidate for candidate in plan.candidates}
    assert "tax" in heads
    # Every sentence that mentions the tax, the headline's title-case "Tax" included.
    assert len(heads["tax"].sentences) >= 5
    assert not any(
        "Ortiz" in candidate.phrase or "Union" in candidate.phrase for candidate in plan.candidates
    )


def test_the_topics_question_may_only_cover_the_keys_listed() -> None:
    plan = _plan()
    (question,) = plan.topic_questions()
    assert "Phrases:" in question.messages[1]["content"]
    with pytest.raises(ValidationError):
        question.response_model.model_validate({"topics": [{"label": "a water tax", "covers": ["k99"]}]})


def _decide(stances: dict[str, str]) -> tuple[list[Topic], list[PolicyPosition]]:
    plan = _plan()
    (question,) = plan.topic_questions()
    tax = next(c.key for c in plan.candidates if c.head == "tax")
    _answer(question, {"topics": [{"label": "a water tax", "covers": [tax]}]})
    for stance_question in plan.stance_questions():
        asked = stance_question.messages[1]["content"].split("Actor: ")[1].splitlines()[0]
        actor = next(a for a in ACTORS if a.name == asked)
        _answer(stance_question, {"stance": stances.get(actor.id, "none")})
    plan.calibrate_stances()
    return build_positions(plan)


def test_narrated_and_quoted_positions_share_one_topic() -> None:
    topics, positions = _decide({"lena-ortiz": "support", "farmers-union": "oppose", "tom-reyes": "oppose"})
    assert [topic.label for topic in topics] == ["a water tax"]
    held = {(p.actor_id, p.stance) for p in positions}
    assert held == {("lena-ortiz", "support"), ("farmers-union", "oppose"), ("tom-reyes", "oppose")}
    assert {p.topic_id for p in positions} == {"t1"}
    reyes = next(p for p in positions if p.actor_id == "tom-reyes")
    assert reyes.claim_ids == ["c1"]
    for position in positions:
        for span in position.evidence:
            assert TEXT[span.start : span.end] == span.text
            assert "tax" in span.text.lower()


def test_no_stance_leaves_no_position_and_stances_the_parse_states_need_no_question() -> None:
    topics, positions = _decide({})
    # "has proposed a water tax", "tried to block the water tax": stated outright, never asked.
    assert len(topics) == 1
    assert {(p.actor_id, p.stance) for p in positions} == {
        ("lena-ortiz", "support"),
        ("farmers-union", "oppose"),
    }
    plan = _plan()
    (question,) = plan.topic_questions()
    tax = next(c.key for c in plan.candidates if c.head == "tax")
    _answer(question, {"topics": [{"label": "a water tax", "covers": [tax]}]})
    asked = {q.messages[1]["content"].split("Actor: ")[1].splitlines()[0] for q in plan.stance_questions()}
    assert "Mayor Lena Ortiz" not in asked and "The Farmers Union" not in asked


def test_a_failed_topics_question_falls_back_to_the_most_discussed_phrases() -> None:
    plan = _plan()
    (question,) = plan.topic_questions()
    decisions = Decisions()
    question.on_failure(
        decisions, LLMOutputError("bad", attempts=3, model="m", last_output="", usage=Usage())
    )
    assert plan.topics and "undecided" in decisions.warnings[0]


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("She rejected the tax and warned against it.", "oppose"),
        ("He has proposed the tax and backs it.", "support"),
        ("The council will vote on the tax in May.", "none"),
    ],
)
def test_lexical_stance(sentence: str, stance: str) -> None:
    assert lexical_stance(sentence) == stance


def test_the_pipeline_fills_topics_and_positions_from_the_fake_model() -> None:
    def handler(call: FakeCall) -> object:
        if "Phrases:" in call.user_text:
            key = re.search(r"- (k\d+): .*water tax", call.user_text, re.IGNORECASE)
            assert key is not None
            return {"topics": [{"label": "a water tax", "covers": [key.group(1)]}]}
        if "Actor: " in call.user_text:
            return {"stance": "support" if "Actor: Mayor Lena Ortiz" in call.user_text else "none"}
        return minimal_instance(call.response_model)

    result = Extractor(llm=FakeLLM(handler), settings=Settings(cache_enabled=False)).extract(TEXT)
    ortiz = [
        p for p in result.positions if "Ortiz" in next(a.name for a in result.actors if a.id == p.actor_id)
    ]
    assert [(p.stance, p.topic) for p in ortiz] == [("support", "a water tax")]
    assert result.topics[0].label == "a water tax"
    assert set(result.provenance.prompts) >= {"topics", "pair_stance"}


def test_prompts_in_use_by_strategy() -> None:
    assert set(prompts_in_use("pipeline", EMBEDDED_MODEL, Settings())) == {
        "actor_kinds",
        "attribute_speaker",
        "topics",
        "pair_stance",
    }
    assert prompts_in_use("single", EMBEDDED_MODEL, Settings()) == {"extract_all": "v2"}


def test_drafted_positions_share_topics_and_drop_ungrounded_evidence() -> None:
    drafts = [
        DraftPosition(
            actor="Ortiz", topic="water tax", stance="support", evidence="a water tax to pay for new pipes"
        ),
        DraftPosition(
            actor="Reyes", topic="Water Tax", stance="oppose", evidence="the water tax would hurt families"
        ),
        DraftPosition(
            actor="Chen", topic="water tax", stance="support", evidence="words that are not there at all"
        ),
        DraftPosition(actor="Ortiz", topic="new pipes", stance="support", evidence="The council will vote"),
    ]
    ids = {"Ortiz": "lena-ortiz", "Reyes": "tom-reyes", "Chen": "mia-chen"}
    warnings: list[str] = []
    topics, positions = drafted_positions(Grounder(TEXT), ["water tax"], drafts, CLAIMS, ids.get, warnings)
    assert [t.label for t in topics] == ["water tax"]
    assert [(p.actor_id, p.stance, p.topic_id) for p in positions] == [
        ("lena-ortiz", "support", "t1"),
        ("tom-reyes", "oppose", "t1"),
    ]
    assert positions[1].claim_ids == ["c1"]
    assert len(warnings) == 2


def test_a_position_must_name_a_known_topic() -> None:
    position = PolicyPosition(id="p1", actor_id="lena-ortiz", topic_id="t2", topic="x", stance="support")
    with pytest.raises(ValidationError, match="unknown topic"):
        ArticleExtraction(
            article_id="a",
            text_sha256="0" * 64,
            actors=ACTORS,
            topics=[Topic(id="t1", label="a water tax")],
            positions=[position],
            provenance=Provenance(model="m", strategy="pipeline"),
        )


def test_stances_are_asked_only_once_topics_are_named() -> None:
    assert _plan().stance_questions() == []


def test_an_actor_holds_positions_where_it_acts_not_where_it_is_acted_on() -> None:
    from extractor.positions.candidates import sentence_bounds
    from extractor.positions.holders import acting_sentences

    text = (
        "The Assembly passed a ban on drilling. Critics of the ban attacked the Assembly.\n"
        "Assembly Rejects Ban"
    )
    assembly = Actor(
        id="assembly",
        name="The Assembly",
        canonical_name="Assembly",
        kind="government",
        mentions=[exact_span(text, m.start(), m.end()) for m in re.finditer("Assembly", text)],
    )
    doc = parse(text)
    acting = acting_sentences(doc, sentence_bounds(doc, text), [assembly], [])
    # Subject of the first sentence, object of the second, the opening name of the headline.
    assert sorted(acting["assembly"]) == [0, 2]


@pytest.mark.parametrize(
    ("sentence", "acts"),
    [
        ("Critics attacked the Assembly's ban on drilling.", True),
        ("The Assembly's statement drew criticism.", True),
        ("Reporters asked about the Assembly's lawyers.", False),
        ("Critics condemned the Assembly's dissolution.", False),
        ("The ban would fail if the Assembly voted again.", False),
        ("Officials said that the Assembly had voted for the ban.", True),
        ("There is no evidence that the Assembly voted for the ban.", False),
        ("Nor is there any sign that the Assembly will vote again.", False),
        ("Officials denied that the Assembly had voted for the ban.", False),
        ("She did not say that the Assembly had voted for the ban.", False),
    ],
)
def test_a_possessor_acts_through_what_it_does_or_says_and_no_one_acts_in_a_condition_or_a_denial(
    sentence: str, acts: bool
) -> None:
    from extractor.positions.candidates import sentence_bounds
    from extractor.positions.holders import acting_sentences

    assembly = Actor(
        id="assembly",
        name="Assembly",
        canonical_name="Assembly",
        kind="government",
        mentions=[exact_span(sentence, sentence.index("Assembly"), sentence.index("Assembly") + 8)],
    )
    doc = parse(sentence)
    acting = acting_sentences(doc, sentence_bounds(doc, sentence), [assembly], [])
    assert (0 in acting["assembly"]) is acts


def test_stance_questions_go_in_the_order_of_their_passages_and_answers_find_their_pairs() -> None:
    plan = _plan()
    (question,) = plan.topic_questions()
    tax = next(c.key for c in plan.candidates if c.head == "tax")
    _answer(question, {"topics": [{"label": "a water tax", "covers": [tax]}]})
    questions = plan.stance_questions()
    contents = [q.messages[-1]["content"] for q in questions]
    assert len(contents) >= 2 and contents == sorted(contents)
    for stance_question in questions:
        _answer(
            stance_question,
            {"stance": "oppose" if "Tom Reyes" in stance_question.messages[-1]["content"] else "none"},
        )
    asked = {
        plan.pairs[index].actor_id: stance for index, stance in plan.stances.items() if index in plan.answers
    }
    assert asked["tom-reyes"] == "oppose" and set(asked.values()) <= {"oppose", "none"}


def test_a_topic_is_asked_about_where_its_label_names_it_and_no_candidate_phrase_does() -> None:
    text = (
        "The House opened an impeachment inquiry into Governor Ray Lund on Monday.\n"
        '"Democrats are wasting time with their impeachment circus," said Senator Ann Bell.'
    )
    bell = Actor(
        id="ann-bell",
        name="Senator Ann Bell",
        canonical_name="Ann Bell",
        kind="person",
        mentions=[exact_span(text, text.index("Senator Ann Bell"), len(text) - 1)],
    )
    plan = plan_positions(text, parse(text), [bell], [], Settings())
    assert [c.head for c in plan.candidates] == ["inquiry"]
    (question,) = plan.topic_questions()
    _answer(question, {"topics": [{"label": "the impeachment inquiry", "covers": ["k1"]}]})
    (stance_question,) = plan.stance_questions()
    assert "impeachment circus" in stance_question.messages[1]["content"]
    # The label's noun is read for the direction where it names the topic: a disparaging name opposes.
    _answer(stance_question, {"stance": "support"})
    assert plan.stances == {0: "oppose"}


@pytest.mark.parametrize(
    ("answered", "direction", "lexical", "kept"),
    [
        # The sentences' stance words overrule a "support", and only a "support".
        ("support", None, "oppose", "oppose"),
        ("support", None, "support", "support"),
        ("oppose", None, "support", "oppose"),
        # The parse path's direction overrules the model's, but not its "none".
        ("support", "oppose", "none", "oppose"),
        ("oppose", "support", "none", "support"),
        ("none", "oppose", "none", "none"),
    ],
)
def test_a_recorded_answer_takes_its_direction_from_code_witnesses(
    answered: str, direction: str | None, lexical: str, kept: str
) -> None:
    plan = _plan()
    record, _ = plan._stance_recorders(0, direction, lexical)  # type: ignore[arg-type]
    record(Decisions(), SimpleNamespace(stance=answered))
    assert plan.stances[0] == kept


@pytest.mark.parametrize(
    ("name", "asked"),
    [("Officials", False), ("two sources", False), ("Department guidelines", False), ("Democrats", True)],
)
def test_common_nouns_documents_and_informants_hold_no_position(name: str, asked: bool) -> None:
    text = f"{name} said the water tax would hurt families.\nThe council will vote on the water tax in May."
    group = Actor(
        id="group",
        name=name,
        canonical_name=name,
        kind="group",
        mentions=[exact_span(text, 0, len(name))],
    )
    plan = plan_positions(text, parse(text), [group], [], Settings())
    (question,) = plan.topic_questions()
    tax = next(c.key for c in plan.candidates if c.head == "tax")
    _answer(question, {"topics": [{"label": "a water tax", "covers": [tax]}]})
    assert bool(plan.stance_questions()) is asked
