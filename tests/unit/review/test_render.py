"""The review page's HTML: self-contained, faithful to the text, keyed for clicks, eval marks; the CLI."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor.cli.app import app
from extractor.errors import InputError
from extractor.eval.scoring import score_document
from extractor.review.inputs import load_extraction, sketch_article
from extractor.review.page import PageDoc, render_page
from schemas import PolicyPosition, Span
from tests.unit.eval.evalkit import ARTICLE, actor, claim, extraction, gold_claim, gold_doc, gspan, span

QUOTE = '"We are ahead of schedule and under budget,"'


def sample():
    ortiz = actor("ortiz", "Lena Ortiz", "person", span("Mayor Lena Ortiz"), span("Ortiz", 1))
    council = actor("council", "Harbor Council", "organization", span("Harbor Council"))
    claims = [
        claim("c1", "ortiz", span(QUOTE), quote=span(QUOTE), cue=span("told")),
        claim(
            "c2",
            "council",
            span("inspections had not finished"),
            evidence=[span("The Harbor Council disputed")],
        ),
        claim("c3", "ortiz", Span(text="words nowhere in the article", alignment="ungrounded")),
        claim("c4", None, span("the steel deck still needs work")),
    ]
    positions = [
        PolicyPosition(
            id="p1",
            actor_id="council",
            topic_id="t1",
            topic="bridge timeline",
            stance="oppose",
            evidence=[span("disputed the timeline")],
        )
    ]
    return extraction([ortiz, council], claims, positions)


def article_text(page: str, number: int = 0) -> str:
    body = re.search(
        rf'<section class="doc" id="d{number}".*?<article class="article">(.*?)</article>', page, re.S
    )
    assert body is not None
    return html.unescape(re.sub(r"<[^>]+>", "", body.group(1)))


def keys_in_article(page: str) -> set[str]:
    return {key for found in re.findall(r'data-keys="([^"]+)"', page) for key in found.split()}


def test_page_is_self_contained() -> None:
    page = render_page([PageDoc(ARTICLE, sample())])
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "<script>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:""", page)


def test_article_text_survives_segmentation_and_escaping() -> None:
    text = ARTICLE + " <script>alert('x')</script> & done"
    page = render_page([PageDoc(text, sample())])
    assert article_text(page) == text
    assert "<script>alert" not in page


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab <&\"'\n"), min_size=1, max_size=60),
    cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6),
)
def test_any_overlapping_spans_keep_the_text(text: str, cuts: list[tuple[int, int]]) -> None:
    mentions = [
        Span(start=min(a, b), end=max(a, b), text=text[min(a, b) : max(a, b)])
        for a, b in cuts
        if max(a, b) <= len(text)
    ]
    result = extraction([actor("x", "X", "person", *mentions)], text=text)
    assert article_text(render_page([PageDoc(text, result)])) == text


def test_every_located_item_has_segments_and_colours_differ() -> None:
    page = render_page([PageDoc(ARTICLE, sample())])
    keys = keys_in_article(page)
    for item in ("d0-a-ortiz", "d0-a-council", "d0-c-c1", "d0-c-c2", "d0-c-c4", "d0-p-p1"):
        assert item in keys and f'data-key="{item}"' in page
    assert "d0-c-c3" not in keys and "not located in text" in page
    # The quote's segments carry both the claim and (where they meet) nothing of other claims.
    quote_segment = re.search(r'<span class="([^"]*\bq\b[^"]*)" data-keys="([^"]*)"', page)
    assert quote_segment is not None and "d0-c-c1" in quote_segment.group(2).split()
    hues = set(re.findall(r"--ul:hsl\((\d+) ", page))
    assert len(hues) == 2
    assert "author" in page  # the author's claim is listed under its attribution


def test_eval_marks_missed_spurious_and_wrong_speaker() -> None:
    gold = gold_doc(
        claims=[
            gold_claim("g1", QUOTE, gspan("Ortiz", 1)),
            gold_claim("g2", "inspections had not finished", "Mayor Lena Ortiz"),
            gold_claim("g3", "the Elm Street bridge will reopen in May", "Mayor Lena Ortiz"),
        ]
    )
    result = sample()
    page = render_page([PageDoc(ARTICLE, result, gold, score_document(result, gold))])
    keys = keys_in_article(page)
    assert "d0-g-g3" in keys and re.search(r'class="[^"]*\bx\b[^"]*" data-keys="d0-g-g3"', page)
    assert "missed g3" in page and "Missed gold claims (1)" in page
    assert "speaker ✓" in page and "speaker ✗" in page  # c1 right, c2 given to the council
    assert page.count(">spurious<") == 2  # c3 (ungrounded) and c4 have no gold claim
    assert re.search(r'class="[^"]*\bsp\b[^"]*" data-keys="[^"]*d0-c-c4', page)
    assert "claims F1 0.57" in page


def test_eval_marks_missed_actors_and_stances() -> None:
    gold = gold_doc(
        layers={"claims": "absent", "actors": "exhaustive: named", "stances": "partial: bias"},
        actors=[
            {
                "id": "a0",
                "name": "Lena Ortiz",
                "type": "person",
                "named": True,
                "mentions": [gspan("Lena Ortiz")],
            },
            {
                "id": "a1",
                "name": "Millbrook",
                "type": "place",
                "named": True,
                "mentions": [gspan("Millbrook")],
            },
        ],
        stances=[
            {
                "holder": "Harbor Council",
                "target": "Lena Ortiz",
                "stance": "oppose",
                "evidence": gspan("disputed"),
            },
            {
                "holder": "Lena Ortiz",
                "target": "Harbor Council",
                "stance": "oppose",
                "evidence": gspan("detour"),
            },
        ],
    )
    result = sample()
    page = render_page([PageDoc(ARTICLE, result, gold, score_document(result, gold))])
    assert "Missed gold actors (1)" in page and "d0-ga-a1" in keys_in_article(page)
    assert "Gold stances (2)" in page and "no position on this evidence" in page
    assert {"d0-gs-0", "d0-gs-1"} <= keys_in_article(page)


def test_several_documents_get_a_picker_and_distinct_keys() -> None:
    page = render_page([PageDoc(ARTICLE, sample()), PageDoc(ARTICLE, sample())], summary="table here")
    assert 'id="picker"' in page and page.count("<option") == 2
    assert re.search(r'<section class="doc" id="d1" hidden>', page)
    assert {"d0-c-c1", "d1-c-c1"} <= keys_in_article(page)
    assert "table here" in page


def test_sketch_keeps_spans_aligned_without_the_article() -> None:
    text, sketched = sketch_article(sample())
    assert "[…]" in text
    for item in sketched.claims:
        for part in (item.content, item.quote, item.cue):
            if part is not None and part.start is not None:
                assert text[part.start : part.end] == part.text
    for mention in sketched.actors[0].mentions:
        assert text[mention.start : mention.end] == mention.text
    assert any("article text not given" in w for w in sketched.provenance.warnings)


def test_load_extraction_accepts_plain_and_batch_lines() -> None:
    result = sample()
    assert load_extraction(result.model_dump_json()) == result
    line = json.dumps({"id": "a1", "extraction": result.model_dump(mode="json")})
    assert load_extraction(line) == result
    with pytest.raises(InputError, match="not an extraction"):
        load_extraction('{"hello": 1}', source="x.json")
    with pytest.raises(InputError, match="not an extraction"):
        load_extraction("not json at all")


def test_cli_render(tmp_path: Path) -> None:
    result = sample()
    source = tmp_path / "extraction.json"
    source.write_text(result.model_dump_json(), encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page = tmp_path / "page.html"
    runner = CliRunner()
    done = runner.invoke(app, ["render", str(source), "--article", str(article), "-o", str(page)])
    assert done.exit_code == 0, done.stderr
    assert article_text(page.read_text(encoding="utf-8")) == ARTICLE
    to_stdout = runner.invoke(app, ["render", str(source)])
    assert to_stdout.exit_code == 0 and "article text not given" in to_stdout.stdout
    article.write_text(ARTICLE + " edited", encoding="utf-8")
    wrong = runner.invoke(app, ["render", str(source), "--article", str(article), "-o", str(page)])
    assert wrong.exit_code == 2 and "not the text this extraction was made from" in wrong.stderr
    source.write_text("[]", encoding="utf-8")
    bad = runner.invoke(app, ["render", str(source), "--article", str(article)])
    assert bad.exit_code == 2 and "not an extraction" in bad.stderr
