"""The benchmark suite still runs: smoke sizes end to end, plus the fake server's own contract.

Figures are checked for shape and sanity only; speed is the benchmarks' business, not the tests'.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, Field

from benchmarks.articles import article, quoted_article
from benchmarks.fake_openai_server import FakeServer
from benchmarks.report import TARGETS

ROOT = Path(__file__).resolve().parents[2]


class _Choice(BaseModel):
    id: str = Field(pattern=r"^c[0-9]{1,5}$")
    speaker: str
    names: list[str] = Field(min_length=2, max_length=2)


def _chat(server: FakeServer, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=10)


def test_fake_server_answers_schema_tool_and_errors() -> None:
    schema = _Choice.model_json_schema()
    messages = [{"role": "user", "content": '"We will win," said Mayor Ana Ruiz.'}]
    with FakeServer(latency_ms=1) as server:
        by_schema = _chat(
            server,
            {
                "model": "m",
                "messages": messages,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "Choice", "schema": schema},
                },
            },
        ).json()
        _Choice.model_validate_json(by_schema["choices"][0]["message"]["content"])
        assert (
            by_schema["usage"]["total_tokens"]
            == (by_schema["usage"]["prompt_tokens"] + by_schema["usage"]["completion_tokens"])
            > 0
        )

        tool = {"type": "function", "function": {"name": "Choice", "parameters": schema}}
        by_tool = _chat(server, {"model": "m", "messages": messages, "tools": [tool]}).json()
        call = by_tool["choices"][0]["message"]["tool_calls"][0]["function"]
        assert call["name"] == "Choice"
        _Choice.model_validate_json(call["arguments"])

        server.configure(error_429=1.0, retry_after_s=2)
        limited = _chat(server, {"model": "m", "messages": messages})
        assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
        server.configure(error_429=0.0, error_500=1.0)
        assert _chat(server, {"model": "m", "messages": messages}).status_code == 500

        stats = server.stats()
        assert stats["requests"] == 4
        assert stats["statuses"] == {"200": 2, "429": 1, "500": 1}
        server.reset()
        assert server.stats()["requests"] == 0


def test_synthetic_articles_have_quotes_and_sizes() -> None:
    text = article(3, 2000)
    assert len(text) >= 2000 and '"' in text and " said" in text
    long_text, quotes = quoted_article(50, 10_000)
    assert len(quotes) == 50 and all(quote in long_text for quote in quotes)


@pytest.mark.slow
def test_smoke_suite_writes_latest_json_shape(tmp_path: Path) -> None:
    output = tmp_path / "latest.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(output.read_text())

    assert result["mode"] == "smoke"
    assert result["machine"]["cores"] >= 1 and result["date"]
    for key in TARGETS:
        assert key in result
    for key in ("batch_100k_peak_rss_mb", "embedded_f1_per_model_s_vs_best_peer"):  # full run only
        assert result[key] is None
    assert "peers_embedded" not in result["details"]  # asked for by name only: it needs the embedded model
    assert "instructions" not in result["details"]  # asked for by name only: minutes under valgrind
    assert "positions_round" not in result["details"]  # asked for by name only: minutes of model time
    assert "throughput_ratio_ideal_64" not in result
    assert result["vs_instructor_ratio"] > 0
    assert result["vs_langextract_ratio"] is None or result["vs_langextract_ratio"] > 0
    assert result["cpu_ms_per_10kb"] > 0
    assert result["parse_cpu_ms_per_10kb"] > 0 and result["rest_cpu_ms_per_10kb"] > 0
    assert result["embedded_seed_seconds"] > 0  # the smoke size sends the seed to the fake server
    assert result["grounding_100kb_ms"] > 0
    assert result["cache_hit_speedup"] > 1

    runs = result["details"]["throughput"]
    assert [run["concurrency"] for run in runs] == [1, 8, 64]
    for run in runs:
        assert run["failed"] == 0 and run["ok"] == run["articles"]
        assert run["requests_per_article"] >= 1
        assert run["articles_per_s"] > 0 and run["wall_s"] > 0
        assert 0.015 < run["mean_latency_s"] < 0.03  # the smoke server's 20 ms +- 2 ms
    processes = result["details"]["throughput_processes"]  # the same articles, one worker per core
    assert processes["ok"] == processes["articles"] == 8 and processes["failed"] == 0
    # The fake server's topics answer is random, and it decides how many stance questions follow: the
    # same articles ask about as many questions through either engine, not exactly as many.
    assert processes["requests_per_article"] == pytest.approx(
        next(r for r in runs if r["concurrency"] == 8)["requests_per_article"], rel=0.5
    )
    door = result["details"]["door"]
    assert door["requests"] == 40 and door["plain_ms_per_request"] > 0 and door["narrowed_ms_per_request"] > 0
    grounding = result["details"]["grounding"]["scales"][-1]
    assert grounding["quotes"] == 500 and grounding["alignment"]["exact"] > 0
