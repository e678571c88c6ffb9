"""A review site for a batch output file: a searchable list of the articles and one page per article.

Layout of the site directory::

    index.html             the list: one row per article (actors, claims, positions), then the failed lines
    articles/<name>.html   one review page per article, linked from the list and linking back

A batch output line carries no article text. Given the texts (matched by id), each page shows its
article shaded; without a text, or with a text whose SHA-256 is not the one extracted, the page shows
only the located spans and says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from extractor.cache import text_sha256
from extractor.errors import ConfigError
from extractor.review.inputs import BatchFailure, BatchOutput, BatchResult, sketch_article
from extractor.review.page import PageDoc, doc_heading, render_page
from extractor.review.templating import render_template

__all__ = ["IndexRow", "SiteSummary", "write_site"]

ARTICLES_DIR = "articles"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class IndexRow:
    """One article in the list."""

    id: str
    heading: str
    href: str
    actors: int
    claims: int
    positions: int
    has_text: bool
    search: str
    """Lower-case words the search box matches: id, title, actor names, claim statements, topics."""


@dataclass(frozen=True)
class SiteSummary:
    """What :func:`write_site` wrote."""

    index: Path
    pages: int
    failures: int
    without_text: int


def _page_name(number: int, article_id: str) -> str:
    # The number keeps names unique whatever the ids; the id part makes them recognisable.
    slug = _UNSAFE.sub("-", article_id).strip("-.")[:60] or "article"
    return f"{number:05d}-{slug}.html"


def _page_doc(result: BatchResult, texts: Mapping[str, str] | None, source: str | None) -> PageDoc:
    extraction = result.extraction
    text = texts.get(result.id) if texts is not None else None
    if text is not None and text_sha256(text) == extraction.text_sha256:
        return PageDoc(text, extraction)
    if texts is None:
        why = "No article texts were given (--articles IN.jsonl)"
    elif text is None:
        why = f"{source or 'The articles file'} has no text with the id {result.id!r}"
    else:
        why = (
            f"The text with the id {result.id!r} in {source or 'the articles file'} is not the one extracted"
        )
    sketch, sketched = sketch_article(extraction, warn=False)
    notice = f"{why}: only the located spans are shown, joined by […]."
    return PageDoc(sketch, sketched, notice=notice)


def _search_words(result: BatchResult) -> str:
    extraction = result.extraction
    words = [result.id, extraction.title or ""]
    words += [
        name for actor in extraction.actors for name in (actor.canonical_name, actor.name, actor.title or "")
    ]
    words += [claim.statement for claim in extraction.claims]
    words += [position.topic for position in extraction.positions]
    return " ".join(word for word in words if word).lower()


def _write(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror or type(error).__name__}") from error


def write_site(
    output: BatchOutput,
    directory: Path,
    *,
    texts: Mapping[str, str] | None = None,
    texts_source: str | None = None,
    title: str = "claimscope review",
) -> SiteSummary:
    """Write the review site of a batch output into ``directory`` (created; pages there are replaced).

    Args:
        output: The results and failures read from the batch output file.
        directory: Where ``index.html`` and ``articles/`` go.
        texts: Article texts by id (the batch input); None when not given.
        texts_source: Where the texts came from, named on pages that could not use them.
        title: The heading of the list.

    Raises:
        ConfigError: the directory or a page cannot be written.
    """
    pages = directory / ARTICLES_DIR
    try:
        pages.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create {pages}: {error.strerror or type(error).__name__}") from error
    rows = []
    for number, result in enumerate(output.results, start=1):
        doc = _page_doc(result, texts, texts_source)
        name = _page_name(number, result.id)
        _write(pages / name, render_page([doc], home="../index.html"))
        extraction = result.extraction
        rows.append(
            IndexRow(
                id=result.id,
                heading=doc_heading(extraction),
                href=f"{ARTICLES_DIR}/{name}",
                actors=len(extraction.actors),
                claims=len(extraction.claims),
                positions=len(extraction.positions),
                has_text=doc.notice is None,
                search=_search_words(result),
            )
        )
    failures: list[BatchFailure] = list(output.failures)
    index = directory / "index.html"
    _write(
        index, render_template("index.html", title=title, window_title=title, rows=rows, failures=failures)
    )
    without_text = sum(not row.has_text for row in rows)
    return SiteSummary(index=index, pages=len(rows), failures=len(failures), without_text=without_text)
