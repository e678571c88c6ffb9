"""The review page's HTML: self-contained, faithful to the text, keyed for clicks, eval marks."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extractor.review
from extractor.errors import InputError
from extractor.eval.scoring import score_document
from extractor.review.inputs import load_extraction, sketch_article
from extractor.review.page import PageDoc, render_page
from schemas import Actor, Span
from tests.unit.eval.evalkit import ARTICLE, actor, claim, extraction, gold_claim, gold_doc, gspan, span
from tests.unit.review.reviewkit import QUOTE, article_text, keys_in_article, sample


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


def test_heading_is_the_title_else_the_id_and_the_id_shows_once() -> None:
    untitled = sample().model_copy(update={"article_id": "sha256:7f52aa"})
    page = render_page([PageDoc(ARTICLE, untitled)])
    assert "<h2>sha256:7f52aa</h2>" in page and page.count("sha256:7f52aa") == 2  # the heading and <title>
    titled = untitled.model_copy(update={"title": "Bridge to <reopen>"})
    page = render_page([PageDoc(ARTICLE, titled)])
    assert "<h2>Bridge to &lt;reopen&gt;</h2>" in page and "<title>Bridge to &lt;reopen&gt;</title>" in page
    assert re.search(r'<p class="facts">sha256:7f52aa · model', page)


def test_actors_are_listed_by_canonical_name_with_their_title() -> None:
    expert = Actor(
        id="david-saucedo",
        name="Mexican security expert David Saucedo",
        canonical_name="David Saucedo",
        kind="person",
        title="security expert",
        mentions=[span("Mayor Lena Ortiz")],
    )
    result = extraction([expert], [claim("c1", "david-saucedo", span(QUOTE))])
    page = render_page([PageDoc(ARTICLE, result)])
    item = re.search(r'<li class="item"[^>]*data-key="d0-a-david-saucedo">(.*?)</li>', page)
    assert item is not None
    assert (
        '<span class="name" title="written: Mexican security expert David Saucedo">David Saucedo</span>'
        in (item.group(1))
    )
    assert '<span class="role">security expert</span>' in item.group(1)
    claim_item = re.search(r'data-key="d0-c-c1">(.*?)</li>', page)
    assert claim_item is not None and '<span class="name">David Saucedo</span>:' in claim_item.group(1)


def test_every_value_is_escaped_by_the_templates() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    result = sample()
    result = result.model_copy(
        update={
            "title": hostile,
            "article_id": hostile,
            "actors": [result.actors[0].model_copy(update={"canonical_name": hostile, "title": hostile})],
            "provenance": result.provenance.model_copy(update={"warnings": [hostile], "model": hostile}),
        }
    )
    page = render_page(
        [PageDoc(ARTICLE, result, notice=hostile)], title=hostile, summary=hostile, home=hostile
    )
    assert "<img" not in page and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


def test_review_modules_build_no_html_in_python() -> None:
    # The markup lives in the templates: no string in the package's code opens or closes a tag.
    tag = re.compile(r"</?[a-z][a-z0-9]*[\s>/]")
    package = Path(extractor.review.__file__).parent
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not tag.search(node.value), f"{module.name}: {node.value!r}"


def test_the_positions_partial_is_where_the_list_is_drawn() -> None:
    templates = Path(extractor.review.__file__).parent / "templates"
    assert '{% include "_positions.html" %}' in (templates / "_side.html").read_text(encoding="utf-8")
    page = render_page([PageDoc(ARTICLE, sample())])
    assert "<h3>Positions (1)</h3>" in page and 'data-key="d0-p-p1"' in page


def test_every_template_ships_as_package_data() -> None:
    root = Path(extractor.review.__file__).parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["extractor.review"]
    templates = Path(extractor.review.__file__).parent / "templates"
    for path in templates.iterdir():
        assert any(fnmatch(f"templates/{path.name}", pattern) for pattern in patterns), path.name
