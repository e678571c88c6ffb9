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
    """Answer like a sensible model: people are people, positions name the first claim."""
    schema = call.schema
    if "answers" in schema["properties"]:
        names = _choices(call.response_model, "answers", "name")
        return {"answers": [{"name": name, "kind": "person"} for name in names]}
    if "topic" in schema["properties"]:
        speaker = call.user_text.split("Speaker: ")[1].split("\n")[0]
        return _position(speaker, _choices(call.response_model, "claims"))
    if "positions" in schema["properties"]:
        asked = schema["properties"]["positions"]["properties"]
        listing = call.user_text.split("Speakers and their claims:")[1]
        names = dict(line.split(": ", 1) for line in listing.splitlines() if line[:1] == "s")
        return {"positions": {key: _position(names[key], _choices(asked[key], "claims")) for key in asked}}
    return minimal_instance(call.response_model)


def _position(speaker: str, claim_ids: list[str]) -> dict[str, object]:
    if "Trump" in speaker:
        return {"topic": "US land strikes on Mexican cartels", "stance": "support", "claims": claim_ids[:2]}
    if "Sheinbaum" in speaker:
        return {"topic": "foreign military intervention", "stance": "oppose", "claims": claim_ids[-1:]}
    return {"topic": "other matters", "stance": "neutral", "claims": claim_ids[:1]}


@pytest.mark.parametrize(("grouping", "position_requests"), [("speaker", 6), ("window", 1)])
def test_seed_meets_the_reviewed_expectation_with_a_sensible_fake(
    seed_text: str, tmp_path: Any, grouping: str, position_requests: int
) -> None:
    llm = FakeLLM(_decide)
    result = _extractor(llm, tmp_path, positions_grouping=grouping).extract(seed_text)

    assert golden_differences(result, seed_text, load_expected(), positions=True) == []
    assert result.provenance.usage.requests == len(llm.calls)
    assert result.provenance.usage.prompt_tokens == 100 * len(llm.calls)
    asked = [next(iter(call.schema["properties"])) for call in llm.calls]
    assert asked.count("topic") + asked.count("positions") == position_requests
    prompt = "positions" if grouping == "speaker" else "window_positions"
    assert prompt in result.provenance.prompts
    unused = "window_positions" if grouping == "speaker" else "positions"
    assert unused not in result.provenance.prompts


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


@pytest.mark.parametrize(
    ("grouping", "questions"),
    [("speaker", ["speaker", "topic", "topic"]), ("window", ["positions", "speaker"])],
)
def test_independent_decisions_share_one_round_trip(
    tmp_path: Any, grouping: str, questions: list[str]
) -> None:
    # Two or three questions (an unattributed quote's speaker, two speakers' positions) at 0.2 s each: one
    # after another they take 0.4-0.6 s; the speaker, then both positions together, 0.4 s.
    text = (
        'The crowd cheered at the opening. "This plant will carry our town for a century and more."\n'
        "Mayor Lena Ortiz said the plant would bring four hundred jobs to Vantor.\n"
        "Governor Sam Reyes said the state would pay for the new roads.\n"
    )
    llm = FakeLLM(latency_s=0.2)
    result = _extractor(llm, tmp_path, positions_grouping=grouping).extract(text)
    asked = [next(iter(call.schema["properties"])) for call in llm.calls]
    assert sorted(asked) == questions
    assert result.provenance.latency_s < 0.55
    assert len(result.positions) == 2
    # Answers are recorded in question order, whichever arrives first, so the output is deterministic.
    again = _extractor(FakeLLM(latency_s=0.01), tmp_path, positions_grouping=grouping).extract(text)
    assert again.model_dump(exclude={"provenance"}) == result.model_dump(exclude={"provenance"})


def test_one_invalid_answer_does_not_cost_the_other_questions_of_its_round(tmp_path: Any) -> None:
    text = (
        'The crowd cheered at the opening. "This plant will carry our town for a century and more."\n'
        "Mayor Lena Ortiz said the plant would bring four hundred jobs to Vantor.\n"
        "Governor Sam Reyes said the state would pay for the new roads.\n"
    )

    class SlowSecondPosition(FakeLLM):
        """The first position answer fails at once; the second one of the same round comes later."""

        async def complete(self, messages: Any, response_model: Any, *, max_tokens: int = 1024) -> Any:
            if "Sam Reyes\nClaims:" in messages[-1]["content"]:
                await asyncio.sleep(0.1)
            return await super().complete(messages, response_model, max_tokens=max_tokens)

    def decide(call: FakeCall) -> object:
        if "topic" in call.schema["properties"] and "Lena Ortiz\nClaims:" in call.user_text:
            return "not json at all"
        return minimal_instance(call.response_model)

    llm = SlowSecondPosition(decide, max_retries=0)
    result = _extractor(llm, tmp_path, positions_grouping="speaker").extract(text)
    assert result.provenance.usage.requests == 3  # speaker, two positions: nothing dropped
    assert [p.actor_id for p in result.positions] == ["sam-reyes"]


def test_positions_are_asked_once_per_window_for_all_its_speakers(tmp_path: Any) -> None:
    filler = "The committee met again and reviewed shipping figures for the quarter in great detail.\n"
    text = (
        "Senator Ada Moss said the harbour tax must be repealed before the winter session begins.\n"
        "Mayor Lena Ortiz said the city would oppose any repeal of the harbour tax.\n"
        + filler * 40
        + "Governor Sam Reyes said the state would build a second harbour by next spring.\n"
    )
    llm = FakeLLM(_decide)
    settings = {"window_chars": 2000, "window_overlap_chars": 200, "positions_grouping": "window"}
    result = _extractor(llm, tmp_path, **settings).extract(text)
    position_calls = [call for call in llm.calls if "positions" in call.schema["properties"]]
    listed = [call.user_text.split("Speakers and their claims:")[1].split() for call in position_calls]
    # Moss and Ortiz open the first window, Reyes the second: two requests, not one per speaker.
    assert [[word for word in words if word[:1] == "s" and word.endswith(":")] for words in listed] == [
        ["s1:", "s2:"],
        ["s1:"],
    ]
    # Claim keys run on across one question's speakers; each answer maps back to its own speaker's claims.
    assert [
        _choices(call.schema["properties"]["positions"], "s2", "claims") for call in position_calls[:1]
    ] == [["c2"]]
    holders = {position.actor_id: position.claim_ids for position in result.positions}
    speaker_of = {claim.id: claim.speaker_id for claim in result.claims}
    assert sorted(holders) == ["ada-moss", "lena-ortiz", "sam-reyes"]
    assert all(speaker_of[claim] == holder for holder, claims in holders.items() for claim in claims)


def test_a_failed_window_question_names_every_speaker_it_left_undecided(tmp_path: Any) -> None:
    text = (
        "Mayor Lena Ortiz said the plant would bring four hundred jobs to Vantor.\n"
        "Governor Sam Reyes said the state would pay for the new roads.\n"
    )

    def decide(call: FakeCall) -> object:
        if "positions" in call.schema["properties"]:
            # Both speakers answered, but Reyes with Ortiz's claim: the validator re-asks, then gives up.
            return {
                "positions": {
                    "s1": {"topic": "the plant", "stance": "support", "claims": ["c1"]},
                    "s2": {"topic": "new roads", "stance": "support", "claims": ["c1"]},
                }
            }
        return minimal_instance(call.response_model)

    llm = FakeLLM(decide, max_retries=1)
    result = _extractor(llm, tmp_path, positions_grouping="window").extract(text)
    assert result.positions == []
    assert any(
        w.startswith("positions of lena-ortiz, sam-reyes undecided (2 attempts)")
        for w in result.provenance.warnings
    )
    assert sum("positions" in call.schema["properties"] for call in llm.calls) == 2


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
    # The long article alone went to a worker thread; both were analysed alike.
    assert offloaded == [len(long)]
    assert [result.actors[0].id for result in results] == ["ada-moss", "ada-moss"]
