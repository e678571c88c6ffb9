"""The terminal summary's content: header, actors, claims with speakers, coloured stances, warnings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from extractor.cli.summary import render_summary, summary_console
from schemas import Actor, ArticleExtraction, Claim, PolicyPosition, Provenance, Span, Topic, Usage

LONG = "the bridge will be finished by spring " * 10


def span(text: str, start: int = 0) -> Span:
    return Span(start=start, end=start + len(text), text=text)


def extraction(*, claims: int = 0, warnings: tuple[str, ...] = ()) -> ArticleExtraction:
    extra = [
        Claim(id=f"c{10 + i}", speaker_id="jane-doe", statement=f"extra claim {i}", content=span("x"))
        for i in range(claims)
    ]
    return ArticleExtraction(
        article_id="bridge-1",
        title="Town fights over a [bold]bridge[/bold]",
        text_sha256="0" * 64,
        actors=[
            Actor(id="jane-doe", name="Mayor Jane Doe", canonical_name="Jane Doe", kind="person"),
            Actor(id="bob-roe", name="Bob Roe", canonical_name="Bob [sic] Roe", kind="government"),
        ],
        claims=[
            Claim(
                id="c1",
                speaker_id="jane-doe",
                statement="Doe promised the bridge",
                content=span("we will build the bridge"),
                quote=span("we will build the bridge"),
            ),
            Claim(id="c2", speaker_id="bob-roe", statement=LONG.strip(), content=span("Roe disagreed")),
            Claim(id="c3", attribution="author", statement="The bridge is late", content=span("late")),
            *extra,
        ],
        topics=[Topic(id="t1", label="the bridge")],
        positions=[
            PolicyPosition(id="p1", actor_id="jane-doe", topic_id="t1", topic="the bridge", stance="support"),
            PolicyPosition(id="p2", actor_id="bob-roe", topic_id="t1", topic="the bridge", stance="oppose"),
        ],
        provenance=Provenance(
            model="fake/seed=1",
            strategy="pipeline",
            usage=Usage(prompt_tokens=1200, completion_tokens=345, requests=3),
            latency_s=2.345,
            warnings=list(warnings),
        ),
    )


def render(result: ArticleExtraction, **kwargs: object) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=120)
    render_summary(result, console, **kwargs)  # type: ignore[arg-type]
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def plain(result: ArticleExtraction, **kwargs: object) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    render_summary(result, console, **kwargs)  # type: ignore[arg-type]
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def row(text: str, *cells: str) -> bool:
    """Whether one line of the output holds all the cells, in order."""
    for line in text.splitlines():
        positions = [line.find(cell) for cell in cells]
        if all(p >= 0 for p in positions) and positions == sorted(positions):
            return True
    return False


def test_the_header_names_article_model_latency_and_tokens() -> None:
    first, second = plain(extraction()).splitlines()[:2]
    assert first == "bridge-1  Town fights over a [bold]bridge[/bold]"
    assert "model fake/seed=1" in second
    assert "2.35 s" in second
    assert "1,545 tokens (1,200 in, 345 out, 3 requests)" in second
    assert "2 actors, 3 claims, 2 positions" in second


def test_actors_are_listed_with_kind_and_their_number_of_claims() -> None:
    text = plain(extraction(claims=2))
    assert row(text, "Jane Doe", "person", "3")
    # Brackets from the data print as written, not as rich markup.
    assert row(text, "Bob [sic] Roe", "government", "1")


def test_claims_show_the_speaker_and_a_shortened_quote_or_statement() -> None:
    text = plain(extraction())
    assert row(text, "c1", "Jane Doe", "“we will build the bridge”")
    assert row(text, "c3", "(author)", "The bridge is late")
    c2 = next(line for line in text.splitlines() if line.startswith("c2"))
    assert "Bob [sic] Roe" in c2
    assert "the bridge will be finished by spring" in text
    assert "…" in text
    assert text.count("finished by spring") < LONG.count("finished by spring")


def test_claims_beyond_the_limit_are_counted_not_listed() -> None:
    text = plain(extraction(claims=5), max_claims=4)
    assert row(text, "c10", "extra claim 0")
    assert "extra claim 1" not in text
    assert "… and 4 more claims in the JSON" in text


def test_stances_are_coloured_on_a_terminal() -> None:
    text = render(extraction())
    assert "\x1b[1;32msupport" in text
    assert "\x1b[1;31moppose" in text


def test_no_color_keeps_the_stance_bold_but_drops_the_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    console = summary_console()
    console.file = io.StringIO()
    render_summary(extraction(), console)
    text = console.file.getvalue()
    assert "\x1b[1msupport" in text
    assert "\x1b[31m" not in text and "\x1b[32m" not in text and ";31m" not in text


def test_warnings_and_the_json_file_are_named_last() -> None:
    text = plain(
        extraction(warnings=("claim c9 dropped: quote not found",)),
        json_path=Path("a.claimscope.json"),
        article_path="a.txt",
    )
    lines = text.splitlines()
    assert "1 warning(s):" in lines
    assert "  ! claim c9 dropped: quote not found" in lines
    assert lines[-2] == "full JSON: a.claimscope.json"
    assert lines[-1] == "review page: claimscope render a.claimscope.json --article a.txt -o review.html"


def test_no_warning_section_and_no_render_hint_for_stdin() -> None:
    text = plain(extraction(), json_path=Path("x.claimscope.json"), article_path="-")
    assert "warning" not in text
    assert "review page" not in text
    assert text.splitlines()[-1] == "full JSON: x.claimscope.json"
