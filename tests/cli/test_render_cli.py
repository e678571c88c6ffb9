"""``claimscope render``: one extraction to a page, a batch output file to a review site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli.app import app
from tests.unit.eval.evalkit import ARTICLE
from tests.unit.review.reviewkit import article_text, sample

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("isolated_settings")


def test_one_extraction_becomes_one_page(tmp_path: Path) -> None:
    result = sample()
    source = tmp_path / "extraction.json"
    source.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page = tmp_path / "page.html"
    done = runner.invoke(app, ["render", str(source), "--article", str(article), "-o", str(page)])
    assert done.exit_code == 0, done.stderr
    assert article_text(page.read_text(encoding="utf-8")) == ARTICLE
    to_stdout = runner.invoke(app, ["render", str(source)])
    assert to_stdout.exit_code == 0 and "No article text was given (--article FILE)" in to_stdout.stdout
    line = json.dumps({"id": "a1", "extraction": result.model_dump(mode="json")})
    one_line = runner.invoke(app, ["render", "-"], input=line + "\n")
    assert one_line.exit_code == 0 and one_line.stdout.startswith("<!DOCTYPE html>")
    article.write_text(ARTICLE + " edited", encoding="utf-8")
    wrong = runner.invoke(app, ["render", str(source), "--article", str(article), "-o", str(page)])
    assert wrong.exit_code == 2 and "not the text this extraction was made from" in wrong.stderr
    source.write_text("[]", encoding="utf-8")
    bad = runner.invoke(app, ["render", str(source), "--article", str(article)])
    assert bad.exit_code == 2 and "not an extraction" in bad.stderr


def test_a_batch_output_file_needs_a_directory_and_its_texts_by_articles(tmp_path: Path) -> None:
    result = sample()
    lines = [json.dumps({"id": f"a{n}", "extraction": result.model_dump(mode="json")}) for n in (1, 2)]
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    no_dir = runner.invoke(app, ["render", str(out)])
    assert no_dir.exit_code == 2 and "name its directory with -o DIR" in no_dir.stderr
    wrong_flag = runner.invoke(app, ["render", str(out), "--article", "a.txt", "-o", str(tmp_path / "s")])
    assert wrong_flag.exit_code == 2 and "--articles IN.jsonl, not --article" in wrong_flag.stderr
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("not json\n", encoding="utf-8")
    no_texts = runner.invoke(app, ["render", str(out), "--articles", str(inputs), "-o", str(tmp_path / "s")])
    assert no_texts.exit_code == 2 and "no line holds an id and a 'text' text" in no_texts.stderr
    # One result line still becomes a site when -o names a directory or the texts are given.
    out.write_text(lines[0] + "\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    done = runner.invoke(app, ["render", str(out), "-o", str(site)])
    assert done.exit_code == 0 and (site / "index.html").is_file()
    assert "1 article pages, 1 without their text, 0 failed lines" in done.stderr


def test_batch_then_render_gives_a_review_site_with_the_texts(tmp_path: Path) -> None:
    texts = {
        "bridge": "Mayor Jane Doe said the bridge will reopen in May. Minister Bob Roe disagreed.",
        "ferry": 'Harbour master Ines Calloway said "the ferry will run all winter" on Tuesday.',
    }
    source = tmp_path / "in.jsonl"
    records = [{"id": ident, "body": text} for ident, text in texts.items()] + [{"id": "empty", "body": ""}]
    source.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["batch", str(source), str(out), "--model", "fake/latency=0", "--text-field", "body", "-c", "1"]
    batch = runner.invoke(app, args)
    assert batch.exit_code == 1, batch.stderr  # the empty article fails
    site = tmp_path / "review"
    args = ["render", str(out), "--articles", str(source), "--text-field", "body", "-o", str(site)]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.stderr
    assert done.stderr.strip() == f"wrote {site / 'index.html'}: 2 article pages, 1 failed lines"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "empty_article" in index and re.search(r"<td>empty</td>", index)
    for href in re.findall(r'<a href="(articles/[^"]+)">', index):
        page = (site / href).read_text(encoding="utf-8")
        assert article_text(page) in texts.values() and 'class="notice"' not in page
