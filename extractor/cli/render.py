"""``claimscope render``: the review page of one extraction, or the review site of a batch output file.

One extraction (the JSON of ``extract``, or a single batch result line) becomes one HTML page, written to
``-o FILE`` or stdout. A batch output file (several lines, any error line, ``--articles``, or ``-o`` naming
an existing directory) becomes a site in ``-o DIR``: ``index.html`` lists the articles with their counts
and a search box, ``articles/*.html`` holds a page per article (see :mod:`extractor.review.site`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from extractor.cli.common import fail, read_input
from extractor.errors import ClaimscopeError, ConfigError, InputError
from schemas import ArticleExtraction

if TYPE_CHECKING:
    from extractor.review.inputs import BatchOutput

__all__ = ["render"]


def render(
    extraction: Annotated[
        str,
        typer.Argument(
            metavar="IN",
            help="Output of `extract`, or a batch output file (JSONL); - = stdin.",
        ),
    ],
    article: Annotated[
        str | None,
        typer.Option("--article", "-a", help="One extraction: the article text file the offsets refer to."),
    ] = None,
    articles: Annotated[
        str | None,
        typer.Option(
            "--articles", help="A batch output: the batch's input JSONL, for the texts (matched by id)."
        ),
    ] = None,
    text_field: Annotated[
        str, typer.Option("--text-field", help="With --articles: field with the text (a.b nests).")
    ] = "text",
    id_field: Annotated[
        str, typer.Option("--id-field", help="With --articles: field with the id (a.b nests).")
    ] = "id",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="One extraction: HTML file (default stdout). A batch: site directory."
        ),
    ] = None,
) -> None:
    """Write a self-contained HTML review page of an extraction, or a review site of a batch output file.

    A batch output file (several lines, an error line, --articles, or -o naming an existing directory)
    becomes a site in -o DIR: index.html lists the articles with their counts and a search box, and
    articles/ holds one page per article. Pages whose article text is missing show the located spans only.

    Examples:
      claimscope render extraction.json --article article.txt -o page.html

      claimscope render results.jsonl --articles articles.jsonl -o review/
    """
    try:
        data = read_input(extraction)
        single = _single_extraction(data, extraction)
        if single is not None and articles is None and not (output is not None and output.is_dir()):
            _render_page(single, article, output)
            return
        from extractor.review.inputs import load_batch_output

        batch = load_batch_output(data, source=extraction)
        if article is not None:
            raise InputError(
                f"{extraction} is a batch output: give the texts as --articles IN.jsonl, not --article"
            )
        if output is None:
            raise InputError("a batch output becomes a review site: name its directory with -o DIR")
        _render_site(batch, articles, output, id_field=id_field, text_field=text_field)
    except ClaimscopeError as error:
        fail(error)


def _single_extraction(data: bytes, source: str) -> ArticleExtraction | None:
    """The extraction when the data is one (a JSON document or one batch result line), else None.

    Raises:
        InputError: one line that is neither an extraction nor a batch line.
    """
    import json

    from pydantic import ValidationError

    from extractor.review.inputs import load_extraction

    try:
        return ArticleExtraction.model_validate_json(data)
    except ValidationError:
        pass
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) != 1:
        return None
    try:
        record = json.loads(lines[0])
    except ValueError:
        record = None
    if isinstance(record, dict) and isinstance(record.get("error"), dict):
        return None
    return load_extraction(data, source=source)


def _render_page(result: ArticleExtraction, article: str | None, output: Path | None) -> None:
    from extractor.review.inputs import sketch_article
    from extractor.review.page import PageDoc, render_page

    if article is None:
        text, result = sketch_article(result, warn=False)
        notice = (
            "No article text was given (--article FILE): only the located spans are shown, joined by […]."
        )
        doc = PageDoc(text, result, notice=notice)
    else:
        doc = PageDoc(_article_text(read_input(article), article, result.text_sha256), result)
    page = render_page([doc])
    if output is None:
        typer.echo(page)
        return
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or type(error).__name__}") from error
    typer.echo(f"wrote {output}", err=True)


def _article_text(data: bytes, path: str, sha256: str) -> str:
    """The article's text, checked against the hash the extraction's offsets were computed on."""
    from extractor.cache import text_sha256
    from extractor.sdk import prepare_article

    text = prepare_article(data, max_chars=len(data) + 1).text
    if text_sha256(text) != sha256:
        raise InputError(f"{path} is not the text this extraction was made from (its SHA-256 differs)")
    return text


def _article_texts(path: str, *, id_field: str, text_field: str) -> dict[str, str]:
    """The texts of a batch input JSONL by id, read by the rules ``batch`` reads them with."""
    from extractor.batch.lines import RecordParser
    from extractor.batch.records import InputLine

    parser = RecordParser(id_field=id_field, text_field=text_field, max_chars=2**62)
    texts = {}
    for number, raw in enumerate(read_input(path).splitlines(), start=1):
        record = parser.parse_raw(raw, number)
        if isinstance(record, InputLine):
            texts[record.id] = record.text
    if not texts:
        raise InputError(
            f"{path}: no line holds an id and a {text_field!r} text; pass the input JSONL of the batch"
        )
    return texts


def _render_site(
    batch: BatchOutput, articles: str | None, output: Path, *, id_field: str, text_field: str
) -> None:
    from extractor.review.site import write_site

    texts = _article_texts(articles, id_field=id_field, text_field=text_field) if articles else None
    summary = write_site(batch, output, texts=texts, texts_source=articles)
    note = f", {summary.without_text} without their text" if summary.without_text else ""
    typer.echo(
        f"wrote {summary.index}: {summary.pages} article pages{note}, {summary.failures} failed lines",
        err=True,
    )
