"""The review site of a batch output: reading the file, the list with counts and failures, a page each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.review import BatchFailure, load_batch_output, write_site
from schemas import ArticleExtraction
from tests.unit.eval.evalkit import ARTICLE, ARTICLE_2, actor, claim, extraction, span
from tests.unit.review.reviewkit import article_text, sample


def second() -> ArticleExtraction:
    quist = actor("quist", "Amara Quist", "person", span("Governor Amara Quist", text=ARTICLE_2))
    said = claim("c1", "quist", span("the new toll would fund the rail line", text=ARTICLE_2))
    return extraction([quist], [said], text=ARTICLE_2, article_id="toll-2").model_copy(
        update={"title": "Toll to fund the rail line"}
    )


def batch_file(*extra: bytes) -> bytes:
    bridge = sample().model_copy(update={"article_id": "bridge-1"})
    lines = [
        json.dumps({"id": "bridge-1", "extraction": bridge.model_dump(mode="json")}).encode(),
        json.dumps({"id": "toll-2", "extraction": second().model_dump(mode="json")}).encode(),
        json.dumps(
            {
                "id": "late-3",
                "line": 3,
                "error": {"type": "llm_timeout", "message": "timed out", "attempts": 2},
            }
        ).encode(),
        *extra,
    ]
    return b"\n".join(lines) + b"\n"


def test_a_batch_output_reads_into_results_and_failures() -> None:
    output = load_batch_output(batch_file(b"", b'{"id": "cut-4", "extrac'))
    assert [result.id for result in output.results] == ["bridge-1", "toll-2"]
    assert output.failures[0] == BatchFailure("late-3", 3, "llm_timeout", "timed out", 2)
    assert output.failures[1].type == "unreadable_output_line" and output.failures[1].line == 5
    with pytest.raises(InputError, match="neither an extraction nor a batch output file"):
        load_batch_output(b'{"id": "a", "text": "an input line, not an output line"}\n', source="in.jsonl")
    with pytest.raises(InputError, match="neither"):
        load_batch_output(b"")


def test_the_site_lists_every_article_with_counts_and_links_its_pages(tmp_path: Path) -> None:
    output = load_batch_output(batch_file())
    summary = write_site(output, tmp_path / "site", texts={"bridge-1": ARTICLE, "toll-2": ARTICLE_2})
    assert (summary.pages, summary.failures, summary.without_text) == (2, 1, 0)
    index = summary.index.read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-search="([^"]*)"><td><a href="([^"]+)">([^<]+)</a>(.*?)</tr>', index)
    assert [(heading, href) for _, href, heading, _ in rows] == [
        ("bridge-1", "articles/00001-bridge-1.html"),
        ("Toll to fund the rail line", "articles/00002-toll-2.html"),
    ]
    counts = [re.findall(r'<td class="n">(\d+)</td>', rest) for *_, rest in rows]
    assert counts == [["2", "4", "1"], ["1", "1", "0"]]
    assert "amara quist" in rows[1][0] and "the new toll would fund the rail line" in rows[1][0]
    assert '<input id="search" type="search"' in index and "2 articles · 1 failed line" in index
    assert re.search(
        r"<td>late-3</td><td><b class=\"badge bad\">llm_timeout</b> <small>2 attempts</small>", index
    )
    assert "<td>timed out</td>" in index
    page = (tmp_path / "site" / "articles" / "00002-toll-2.html").read_text(encoding="utf-8")
    assert article_text(page) == ARTICLE_2 and 'href="../index.html"' in page
    assert "<h2>Toll to fund the rail line</h2>" in page and 'class="notice"' not in page


def test_pages_without_their_text_show_the_spans_and_say_why(tmp_path: Path) -> None:
    output = load_batch_output(batch_file())
    summary = write_site(output, tmp_path, texts={"bridge-1": ARTICLE + " edited"}, texts_source="in.jsonl")
    assert summary.without_text == 2
    bridge = (tmp_path / "articles" / "00001-bridge-1.html").read_text(encoding="utf-8")
    assert "is not the one extracted: only the located spans are shown" in bridge
    toll = (tmp_path / "articles" / "00002-toll-2.html").read_text(encoding="utf-8")
    assert "in.jsonl has no text with the id &#39;toll-2&#39;" in toll and "[…]" in article_text(toll)
    assert "Governor Amara Quist" in article_text(toll)
    index = summary.index.read_text(encoding="utf-8")
    assert index.count('<b class="badge warn">spans only</b>') == 2
    write_site(output, tmp_path / "bare")
    assert (
        "No article texts were given" in (tmp_path / "bare" / "articles" / "00001-bridge-1.html").read_text()
    )


def test_page_names_are_safe_and_unique_whatever_the_ids(tmp_path: Path) -> None:
    result = sample()
    lines = [
        json.dumps({"id": ident, "extraction": result.model_dump(mode="json")}).encode()
        for ident in ("../../etc/passwd", "a b", "a?b", "")
    ]
    summary = write_site(load_batch_output(b"\n".join(lines)), tmp_path)
    names = sorted(path.name for path in (tmp_path / "articles").iterdir())
    assert names == ["00001-etc-passwd.html", "00002-a-b.html", "00003-a-b.html", "00004-article.html"]
    assert summary.pages == 4 and not list(tmp_path.parent.glob("etc"))
