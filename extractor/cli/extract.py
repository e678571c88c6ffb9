"""``claimscope extract``: one article, a summary for a person or JSON for a program.

Which one is printed follows where stdout goes: a terminal gets the summary (and the full JSON in a
file), anything else (a pipe, a file) gets exactly the JSON it always got, so ``| jq`` keeps working.
"""

from __future__ import annotations

import os
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from extractor.cli.common import ApiBaseOption, ModelOption, StrategyOption, fail, read_input
from extractor.errors import ClaimscopeError, ConfigError, InputError
from schemas import ArticleExtraction

__all__ = ["OutputFormat", "default_json_path", "extract", "stdout_is_terminal"]

JSON_SUFFIX = ".claimscope.json"


class OutputFormat(StrEnum):
    """How ``extract`` prints results."""

    json = "json"
    jsonl = "jsonl"
    summary = "summary"


def stdout_is_terminal() -> bool:
    """Whether a person is likely reading stdout; a function so tests can stand in for a terminal."""
    return sys.stdout.isatty()


def default_json_path(path: str, article_id: str) -> Path:
    """``<article stem>.claimscope.json`` in the current directory; for stdin, named after the id."""
    stem = Path(path).name.removesuffix(Path(path).suffix) if path != "-" else article_id
    # Ids like "sha256:7f52..." or "wire/2024/17" must not become directories or drive letters.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "article"
    return Path(safe + JSON_SUFFIX)


FORMAT_HELP = (
    "summary (a readable digest; the full JSON goes to a file), json (one object) or jsonl (one line). "
    "Default: summary on a terminal, json when stdout is piped or redirected."
)
OUTPUT_HELP = (
    "Write the JSON to this file. With summary the default is ./<article stem>.claimscope.json "
    "(indented); with json/jsonl the default is stdout. -o json and -o jsonl still select the format; "
    "write ./json for a file of that name."
)


def extract(
    path: Annotated[str, typer.Argument(help="Article text file, or - for stdin.")],
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    fmt: Annotated[OutputFormat | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="PATH", help=OUTPUT_HELP)] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON.")] = False,
    strategy: StrategyOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    article_id: Annotated[str | None, typer.Option("--id", help="Article id to report.")] = None,
) -> None:
    """Extract actors, claims and positions from one article.

    On a terminal: a summary (actors, claims with their speakers, positions, warnings), with the full
    JSON written to a file. Piped: the JSON on stdout, unchanged, for jq and scripts.

    Exit codes: 0 ok; 1 the extraction failed; 2 bad input or arguments; 3 model unreachable or failing.
    """
    from extractor.sdk import Extractor

    try:
        fmt, target = _choose(fmt, output)
        if target is not None:
            _check_writable(target)
        data = read_input(path)
        extractor = Extractor(
            model,
            api_base=api_base,
            strategy=strategy,  # type: ignore[arg-type]
            use_cache=False if no_cache else None,
        )
        result = extractor.extract(data, article_id=article_id)
    except ClaimscopeError as error:
        fail(error)
    if fmt is OutputFormat.summary:
        _summary(result, path, target)
        return
    indent = 2 if pretty and fmt is OutputFormat.json else None
    if target is None:
        typer.echo(result.model_dump_json(indent=indent))
        return
    _write(target, result.model_dump_json(indent=indent) + "\n")
    typer.echo(f"wrote {target}", err=True)


def _choose(fmt: OutputFormat | None, output: str | None) -> tuple[OutputFormat, Path | None]:
    """The format and the JSON file (None: stdout, or the default file for a summary)."""
    if output in (OutputFormat.json, OutputFormat.jsonl):
        # -o json / -o jsonl name the format, for scripts written that way.
        legacy = OutputFormat(output)
        if fmt is not None and fmt is not legacy:
            raise ConfigError(f"--format {fmt.value} contradicts -o {output} (a format, not a file)")
        return legacy, None
    if fmt is None:
        fmt = OutputFormat.summary if stdout_is_terminal() else OutputFormat.json
    return fmt, Path(output) if output else None


def _check_writable(target: Path) -> None:
    """Refuse a file in a missing directory before the model is paid for, not after."""
    if target.is_dir():
        raise InputError(f"-o {target} is a directory; give a file name")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {target}: directory {target.parent} does not exist")


def _summary(result: ArticleExtraction, path: str, target: Path | None) -> None:
    from extractor.cli.summary import render_summary, summary_console

    target = target or default_json_path(path, result.article_id)
    _check_writable_or_fail(target)
    _write(target, result.model_dump_json(indent=2) + "\n")
    render_summary(result, summary_console(), json_path=target, article_path=path)


def _check_writable_or_fail(target: Path) -> None:
    try:
        _check_writable(target)
    except InputError as error:
        fail(error)


def _write(target: Path, text: str) -> None:
    """Write whole or not at all, so an interrupted run never leaves half a JSON file behind."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        fail(InputError(f"cannot write {target}: {error.strerror or error}"))
