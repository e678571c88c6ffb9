"""The whole pipeline with the shipped FakeLLM: code decisions, model decisions, failures."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from extractor import Extractor, LLMTimeoutError
from extractor.settings import Settings
from extractor.testing import FakeCall, FakeLLM, minimal_instance
from tests.golden import golden_differences, load_expected


def _extractor(llm: FakeLLM, tmp_path: Any, **settings: Any) -> Extractor:
    return Extractor(llm=llm, settings=Settings(data_dir=tmp_path, cache_enabled=False, **settings))


def _choices(model: Any, *path: str) -> list[str]:
    """The values a JSON schema (a model's, or a bare schema) allows at ``path``, through arrays and refs."""
    schema = model if isinstance(model, dict) else model.model_json_schema()
    node: dict[str, Any] = schema
    for name in path:
        node = node["properties"][name]
        while "$ref" in node or node.get("type") == "array":
            node = node["items"] if "items" in node else schema["$defs"][node["$ref"].split("/")[-1]]
    return list(node["enum"]) if "enum" in node else [node["const"]]


def _decide(call: FakeCall) -> object:
    """Answer like a sensible model: people are people, one topic for the strikes, three stances on it."""
    schema = call.schema
    if "answers" in schema["properties"]:
        names = _choices(call.response_model, "answers", "name")
        return {"answers": [{"name": name, "kind": "person"} for name in names]}
    if "topics" in schema["properties"]:
        listing = call.user_text.split("Phrases:")[1]
        keys = [
            line[2:].split(":")[0]
            for line in listing.splitlines()
            if any(word in line for word in ("strike", "intervention", "military action"))
        ]
        return {"topics": [{"label": "US military strikes on cartels in Mexico", "covers": keys}]}
    if "stance" in schema["properties"]:
        actor = call.user_text.split("Actor: ")[1].split("\n")[0]
        stances = {"Trump": "support", "Sheinbaum": "oppose", "Pérez Ricart": "oppose"}
        return {"stance": next((s for name, s in stances.items() if name in actor), "none")}
    return minimal_instance(call.response_model)


def test_seed_meets_the_reviewed_expectation_with_a_sensible_fake(seed_text: str, tmp_path: Any) -> None:
    llm = FakeLLM(_decide)
    result = _extractor(llm, tmp_path).extract(seed_text)

    assert golden_differences(result, seed_text, load_expected(), positions=True) == []
    assert result.provenance.usage.requests == len(llm.calls)
    assert result.provenance.usage.prompt_tokens == 100 * len(llm.calls)
    asked = [next(iter(call.schema["properties"])) for call in llm.calls]
    assert asked.count("topics") == 1
    assert 1 <= asked.count("stance") <= 14
    assert {"topics", "pair_stance"} <= set(result.provenance.prompts)
    # The model's topic first; the article's most discussed phrase the model left out is a topic too.
    assert [topic.label for topic in result.topics] == [
        "US military strikes on cartels in Mexico",
        "administration's war on drugs",
    ]


def test_model_failures_degrade_to_warnings_and_code_results(seed_text: str, tmp_path: Any) -> None:
    llm = FakeLLM(lambda call: "garbage, not json", max_retries=1)
    result = _extractor(llm, tmp_path).extract(seed_text)

    # Code-found claims and speakers survive; every failed decision is reported, usage counts all attempts.
    assert golden_differences(result, seed_text, load_expected(), positions=False) == []
    assert result.positions == []
    assert any("undecided" in warning for warning in result.provenance.warnings)
    assert result.provenance.usage.requests == len(llm.calls)


def test_a_timeout_propagates_as_a_typed_error(seed_text: str, tmp_path: Any) -> None:
    llm = FakeLLM(lambda call: LLMTimeoutError("no answer", model="fake"))
    with pytest.raises(LLMTimeoutError):
        _extractor(llm, tmp_path).extract(seed_text)


def test_speaker_decisions_are_constrained_to_known_actor_ids(tmp_path: Any) -> None:
    text = (
        "Mayor Lena Ortiz opened the new bridge on Tuesday.\n"
        'The crowd cheered. "This bridge will carry our city for a century."\n'
    )
    seen: list[list[str]] = []

    def decide(call: FakeCall) -> object:
        if "speaker" in call.schema["properties"]:
            options = _choices(call.response_model, "speaker")
            seen.append(options)
            return {"speaker": "lena-ortiz"}
        return minimal_instance(call.response_model)

    result = _extractor(FakeLLM(decide), tmp_path).extract(text)
    assert seen and "lena-ortiz" in seen[0] and "author" in seen[0]
    claim = result.claims[0]
    assert claim.speaker_id == "lena-ortiz"
    assert claim.quote is not None and text[claim.quote.start : claim.quote.end] == claim.quote.text


def test_long_articles_are_windowed_and_merged(tmp_path: Any) -> None:
    paragraph = "Senator Ada Moss said the harbour tax must be repealed before the winter session begins.\n"
    filler = "The committee met again and reviewed shipping figures for the quarter in great detail.\n"
    text = paragraph + filler * 120 + 'Moss added: "We will not give up on this repeal."\n'
    llm = FakeLLM(_decide)
    result = _extractor(llm, tmp_path, window_chars=2000, window_overlap_chars=200).extract(text)
    speakers = {claim.speaker_id for claim in result.claims}
    assert speakers == {"ada-moss"}
    assert len(result.claims) == 2
    assert [a.id for a in result.actors].count("ada-moss") == 1


def test_single_strategy_grounds_quotes_and_drops_invented_ones(seed_text: str, tmp_path: Any) -> None:
    draft = {
        "actors": [{"name": "Claudia Sheinbaum", "kind": "person", "title": "President"}],
        "claims": [
            {
                "speaker": "Sheinbaum",
                "quote": "“organised crime is not taken care with (foreign military) intervention”",
                "statement": "Military intervention does not solve organised crime.",
            },
            {"speaker": "Trump", "quote": "we will invade on Tuesday", "statement": "An invented quote."},
        ],
        "positions": [
            {
                "actor": "Claudia Sheinbaum",
                "topic": "foreign military intervention",
                "stance": "oppose",
                "evidence": "categorically rejecting intervention in other nations' internal affairs",
            }
        ],
    }
    extractor = _extractor(FakeLLM(lambda call: draft), tmp_path)
    extractor.strategy = "single"
    result = extractor.extract(seed_text)

    quoted = [claim for claim in result.claims if claim.quote is not None]
    assert len(quoted) == 1
    quote = quoted[0].quote
    assert quote is not None and quote.alignment == "exact"
    assert (
        seed_text[quote.start : quote.end]
        == "organised crime is not taken care with (foreign military) intervention"
    )
    assert quoted[0].speaker_id == "claudia-sheinbaum"
    assert any("not found in the article" in warning for warning in result.provenance.warnings)
    position = result.positions[0]
    assert position.evidence[0].alignment == "exact"


def test_independent_decisions_share_one_round_trip(tmp_path: Any) -> None:
    # Questions at 0.2 s each: an unattributed quote's speaker (and the kinds of names the tagger disputes)
    # share the first round, the topics question is the second, the stance questions share the third.
    text = (
        'The crowd cheered at the opening. "This plant will carry our town for a century and more."\n'
        "Mayor Lena Ortiz said the plant tax would bring four hundred jobs to Vantor.\n"
        "Governor Sam Reyes said the state would block the plant tax.\n"
    )
    llm = FakeLLM(latency_s=0.2)
    result = _extractor(llm, tmp_path).extract(text)
    asked = [next(iter(call.schema["properties"])) for call in llm.calls]
    assert (asked.count("speaker"), asked.count("topics")) == (1, 1)
    assert asked.count("stance") >= 2
    assert result.provenance.latency_s < 0.75
    # The fake answers code's guess: "block" is opposition; "would bring" shows no stance word.
    assert ("sam-reyes", "oppose") in [(p.actor_id, p.stance) for p in result.positions]
    assert "lena-ortiz" not in [p.actor_id for p in result.positions]
    # Answers are recorded in question order, whichever arrives first, so the output is deterministic.
    again = _extractor(FakeLLM(latency_s=0.01), tmp_path).extract(text)
    assert again.model_dump(exclude={"provenance"}) == result.model_dump(exclude={"provenance"})


def test_one_invalid_answer_does_not_cost_the_other_questions_of_its_round(tmp_path: Any) -> None:
    text = (
        'The crowd cheered at the opening. "This plant will carry our town for a century and more."\n'
        "Mayor Lena Ortiz said the plant tax would bring four hundred jobs to Vantor.\n"
        "Governor Sam Reyes said the state would block the plant tax.\n"
    )

    class SlowKinds(FakeLLM):
        """The speaker answer fails at once; a later round's answers still come."""

        async def complete(
            self, messages: Any, response_model: Any, *, max_tokens: int = 1024, **_: Any
        ) -> Any:
            if "answers" in response_model.model_json_schema()["properties"]:
                await asyncio.sleep(0.1)
            return await super().complete(messages, response_model, max_tokens=max_tokens)

    def decide(call: FakeCall) -> object:
        if "speaker" in call.schema["properties"]:
            return "not json at all"
        return minimal_instance(call.response_model)

    llm = SlowKinds(decide, max_retries=0)
    result = _extractor(llm, tmp_path).extract(text)
    assert any("speaker of claim 1 undecided" in w for w in result.provenance.warnings)
    assert not any("actor kinds undecided" in w for w in result.provenance.warnings)
    asked = [next(iter(call.schema["properties"])) for call in llm.calls]
    # Speaker, topics and every stance question: nothing dropped.
    assert result.provenance.usage.requests == len(asked) and asked.count("stance") >= 2
    assert ("sam-reyes", "oppose") in [(p.actor_id, p.stance) for p in result.positions]


def test_each_stance_question_shows_the_window_of_its_evidence(tmp_path: Any) -> None:
    filler = "The committee met again and reviewed shipping figures for the quarter in great detail.\n"
    text = (
        "Senator Ada Moss said the harbour tax must be repealed before the winter session begins.\n"
        "Mayor Lena Ortiz said the city would oppose any repeal of the harbour tax.\n"
        + filler * 40
        + "Governor Sam Reyes said the state would back the harbour tax.\n"
    )
    llm = FakeLLM()
    result = _extractor(llm, tmp_path, window_chars=2000, window_overlap_chars=200).extract(text)
    stance_calls = [call for call in llm.calls if "stance" in call.schema["properties"]]
    reyes = next(call for call in stance_calls if "Actor: Governor Sam Reyes" in call.user_text)
    article = reyes.user_text.split("</article>")[0]
    assert "Governor Sam Reyes" in article and "Senator Ada Moss" not in article
    on_tax = [p for p in result.positions if p.topic == "harbour tax"]
    assert {("ada-moss", "oppose"), ("sam-reyes", "support")} <= {(p.actor_id, p.stance) for p in on_tax}


def test_only_long_articles_are_analysed_off_the_event_loop(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.pipeline import run as pipeline

    offloaded: list[int] = []
    real_to_thread = asyncio.to_thread

    async def counting_to_thread(func: Any, /, *args: Any, **kwargs: Any) -> Any:
        offloaded.append(len(args[0]))
        return await real_to_thread(func, *args, **kwargs)

    monkeypatch.setattr(pipeline.asyncio, "to_thread", counting_to_thread)
    sentence = "Senator Ada Moss said the harbour tax must be repealed before the winter session begins.\n"
    short = sentence * (pipeline.INLINE_ANALYSIS_CHARS // len(sentence))
    long = sentence * (pipeline.INLINE_ANALYSIS_CHARS // len(sentence) + 1)
    extractor = _extractor(FakeLLM(_decide), tmp_path)
    results = [extractor.extract(text) for text in (short, long)]
    # The long article alone went to a worker thread (analysis and parse); both were analysed alike.
    assert offloaded and set(offloaded) == {len(long)}
    assert [result.actors[0].id for result in results] == ["ada-moss", "ada-moss"]
