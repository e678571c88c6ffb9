"""The text-layer and embedded-model sections at smoke size, and the pieces they are built from."""

from __future__ import annotations

import json

import httpx
import pytest

from benchmarks.fake_openai_server import FakeServer
from benchmarks.model_meter import ModelMeter, RequestTime, summarize_requests
from benchmarks.peer_scoring import PeerClaim, score, seed_gold, to_extraction
from benchmarks.peers_embedded import run_peers_embedded
from benchmarks.positions_round import run_positions_round
from benchmarks.rest_parts import rest_parts
from benchmarks.seed import run_seed
from benchmarks.text_cpu import text_cpu


def test_a_peer_answering_the_seed_expectation_scores_full_marks() -> None:
    gold = seed_gold()
    expected = gold["claims"]
    text = gold["text"]
    claims = [
        PeerClaim(claim["speaker_name"], text[claim["content"]["start"] : claim["content"]["end"]])
        for claim in expected
    ]
    extraction = to_extraction(text, [], claims, peer="oracle", article_id="seed")

    assert all(claim.quote is not None and claim.quote.grounded for claim in extraction.claims)
    scored = score([(extraction, gold)])
    assert scored["claims_with_speaker"]["f1"] == 1.0
    assert scored["quotes_verbatim"] == scored["quotes"] == len(expected)


def test_peer_speakers_become_actors_mentioned_wherever_their_name_or_surname_stands() -> None:
    text = 'Mayor Ana Ruiz spoke first. "Water is coming," Ruiz said. "No," said someone.'
    extraction = to_extraction(
        text,
        [("Ana Ruiz", "person"), ("City Council", "not-a-kind")],
        [
            PeerClaim("Ana Ruiz", "Water is coming"),
            PeerClaim("unknown", "No"),
            PeerClaim("X", "absent words"),
        ],
        peer="test",
        article_id="t",
    )
    ruiz = next(actor for actor in extraction.actors if actor.name == "Ana Ruiz")
    assert [text[m.start : m.end] for m in ruiz.mentions if m.start is not None] == ["Ana Ruiz", "Ruiz"]
    assert next(a for a in extraction.actors if a.name == "City Council").kind == "other"
    first, second, third = extraction.claims
    assert first.speaker_id == ruiz.id and first.quote is not None and first.quote.alignment == "exact"
    assert second.attribution == "unattributed" and second.speaker_id is None
    assert third.content.alignment == "ungrounded"


def test_the_meter_takes_model_time_from_llama_server_timings_and_wall_time_otherwise() -> None:
    with FakeServer(latency_ms=1) as server, ModelMeter(server.base_url) as meter:
        answer = httpx.post(
            f"{meter.base_url}/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "hello"}]},
            timeout=10,
        )
        assert answer.status_code == 200 and answer.json()["choices"]
        (record,) = meter.take()
    assert record.model_s == record.wall_s > 0 and record.prompt_tokens > 0
    assert meter.take() == []

    from benchmarks.model_meter import _request_time

    body = {
        "usage": {"prompt_tokens": 90, "completion_tokens": 7},
        "timings": {"prompt_ms": 1500.0, "predicted_ms": 500.0, "cache_n": 40},
    }
    timed = _request_time(200, 9.0, json.dumps(body).encode())
    assert timed == RequestTime(9.0, 2.0, 90, 40, 7, 200)
    assert summarize_requests([timed, timed])["model_s"] == 4.0
    asked = {"response_format": {"type": "json_schema", "json_schema": {"name": "PairStance", "schema": {}}}}
    stance = _request_time(200, 9.0, json.dumps(body).encode(), json.dumps(asked).encode())
    assert stance.response_model == "PairStance" and timed.response_model == ""
    totals = summarize_requests([timed, stance, stance])
    assert totals["model_s_by_response_model"] == {"": 2.0, "PairStance": 4.0}
    assert summarize_requests([timed, stance], only=frozenset({"PairStance"}))["requests"] == 1
    question = {"role": "user", "content": "q"}
    opened = {"messages": [question, {"role": "assistant", "content": '{"speaker": "'}]}
    prefilled = _request_time(200, 9.0, json.dumps(body).encode(), json.dumps(opened).encode())
    assert prefilled.response_model == "SpeakerChoice"
    opened["messages"][-1]["content"] = '{"topics": [{"label": "'
    topics = _request_time(200, 9.0, json.dumps(body).encode(), json.dumps(opened).encode())
    assert topics.response_model == "TopicNames"


def test_seed_section_times_a_new_then_a_repeated_article() -> None:
    with FakeServer(latency_ms=2) as server:
        rows = run_seed(server.base_url)
    assert rows["new"]["requests"] >= 1 and rows["repeated"]["requests"] >= 1
    assert rows["new_seconds"] > 0 and rows["repeated_seconds"] > 0
    assert 0 < rows["new_model_s"] <= rows["new_seconds"]  # the fake server's wall time, metered


def test_positions_round_section_meters_the_topics_and_stance_questions_apart() -> None:
    with FakeServer(latency_ms=20) as server:
        rows = run_positions_round(server.base_url, limit=0)
    assert rows["articles"] == ["seed"]
    positions, everything = rows["positions"], rows["all_requests"]
    # The seed's positions round: one topics question, then stance questions.
    assert positions["requests"] >= 2 and positions["model_s"] > 0
    assert positions["requests"] <= everything["requests"] and positions["model_s"] <= everything["model_s"]
    assert set(rows["model_s_by_response_model"]) >= {"TopicNames", "PairStance"}
    assert rows["per_article_positions_model_s"]["seed"] == pytest.approx(positions["model_s"], abs=0.01)


@pytest.mark.slow
def test_text_cpu_reports_parse_and_rest_per_10kb() -> None:
    rows = text_cpu(1)
    assert rows["parse_cpu_ms_per_10kb"] > 0 and rows["rest_cpu_ms_per_article"] > 0
    assert rows["parses_during_extraction"] == 0
    assert "parser" in rows["pipeline"] and "ner" in rows["pipeline"]


@pytest.mark.slow
def test_rest_parts_split_the_rest_into_parts_that_leave_the_stages_a_share() -> None:
    rows = rest_parts(1, rounds=1)
    parts = rows["ms_per_article"]
    assert parts["rest"] > 0 and parts["parse_read"] > 0 and parts["output_validation"] > 0
    # The door runs for every question asked, and the smallest article still asks some.
    assert parts["model_door"] > 0
    # The stages are the remainder: a part counted twice (the door's fake answers, a parse inside the
    # extraction) would leave them nothing.
    assert parts["stages"] > 0
    assert set(rows["share_of_rest"]) == {"parse_read", "model_door", "output_validation", "stages"}


@pytest.mark.slow
def test_peers_embedded_section_runs_every_client_on_the_same_documents() -> None:
    # 20 ms a request, so a client's mean model time survives the report's rounding to 10 ms.
    with FakeServer(latency_ms=20) as server:
        rows = run_peers_embedded(dev_docs=0, base_url=server.base_url)
    assert rows["documents"] == ["seed"]
    for name, client in rows["clients"].items():
        document = client["per_document"]["seed"]
        assert document["requests"] >= 1, name
        assert client["mean_model_s"] > 0 and "claims_with_speaker" in client
        assert client["quotes_verbatim"] <= client["quotes"]
