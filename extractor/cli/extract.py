"""``claimscope extract``: articles from files, folders or stdin; a summary for a person, JSON for a program.

Which one is printed follows where stdout goes: a terminal gets the summary (and the full JSON in a
file), anything else (a pipe, a file) gets the JSON, so ``| jq`` keeps working. ``--format jsonl`` writes
one line per input in the shape of ``batch`` output (``{"id", "extraction"}`` or an error record), which
``render`` and the other batch tools read.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from extractor.cli.common import (
    ApiBaseOption,
    EncodingOption,
    ModelOption,
    StrategyOption,
    examples,
    fail,
    read_input,
    stdout_is_terminal,
    strategy_name,
)
from extractor.errors import (
    ClaimscopeError,
    ConfigError,
    DecodeError,
    EmbeddedModelError,
    InputError,
    LLMAuthError,
    LLMConnectionError,
    LLMError,
)
from schemas import ArticleExtraction

if TYPE_CHECKING:
    from extractor.sdk import Extractor

__all__ = ["OutputFormat", "default_json_path", "extract", "stdout_is_terminal"]

JSON_SUFFIX = ".claimscope.json"
# Failures every later input would meet too: the run stops at the first.
_FATAL = (LLMConnectionError, LLMAuthError, EmbeddedModelError)


class OutputFormat(StrEnum):
    """How ``extract`` prints results."""

    json = "json"
    jsonl = "jsonl"
    summary = "summary"


@dataclass(frozen=True)
class _Input:
    """One article to read: ``-`` for stdin or a file path, and its id when several are extracted."""

    source: str
    id: str


def default_json_path(path: str, article_id: str, folder: Path | None = None) -> Path:
    """``<article stem>.claimscope.json`` in ``folder`` (default: the current directory); stdin: the id."""
    stem = Path(path).name.removesuffix(Path(path).suffix) if path != "-" else article_id
    return (folder or Path()) / (_file_name(stem) + JSON_SUFFIX)


FORMAT_HELP = (
    "summary (a readable digest; the full JSON goes to a file), json (one object per input) or jsonl "
    "(one {id, extraction} line per input, as batch writes). Default: summary on a terminal, json when "
    "stdout is piped or redirected."
)
OUTPUT_HELP = (
    "Where the JSON goes. One input: a file (default: stdout for json/jsonl, "
    "./<article stem>.claimscope.json for summary). Several inputs: a folder for json/summary (one "
    "<stem>.claimscope.json per input, default the current folder), a file for jsonl (default stdout)."
)
EXAMPLES = examples(
    "claimscope extract article.txt",
    "claimscope extract article.txt | jq '.claims[].statement'",
    "claimscope extract - --format json --pretty < article.txt",
    "claimscope extract a.txt b.txt --format jsonl -o results.jsonl",
    "claimscope extract articles/ --format json -o out/",
    "claimscope extract latin1.txt --encoding latin-1",
    "claimscope extract article.txt --model openai/gpt-4o-mini --strategy single",
)


def extract(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="ARTICLE...", help="Text files, folders (their .txt files), - = stdin."),
    ],
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    fmt: Annotated[OutputFormat | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="PATH", help=OUTPUT_HELP)] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON (format json).")] = False,
    strategy: StrategyOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    article_id: Annotated[str | None, typer.Option("--id", help="Article id to report (one input).")] = None,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Extract actors, claims and positions from articles.

    On a terminal: a summary (actors, claims with their speakers, positions, warnings), with the full
    JSON written to a file. Piped: the JSON on stdout, for jq and scripts. Several inputs are extracted
    one after the other; an input that fails is reported and the rest go on.

    Exit codes: 0 ok; 1 an extraction failed; 2 bad input or arguments; 3 model unreachable or failing
    (with several inputs, the highest code met).
    """
    from extractor.cli.progress import embedded_progress
    from extractor.sdk import Extractor

    try:
        inputs = _expand(paths)
        several = len(inputs) > 1 or any(Path(p).is_dir() for p in paths if p != "-")
        if several and article_id is not None:
            raise ConfigError("--id names one article; drop it when extracting several")
        fmt = fmt or (OutputFormat.summary if stdout_is_terminal() else OutputFormat.json)
        _check_target(output, fmt, several)
        extractor = Extractor(
            model,
            api_base=api_base,
            strategy=strategy_name(strategy),
            use_cache=False if no_cache else None,
        )
    except ClaimscopeError as error:
        fail(error)
    writer = _Writer(fmt, output, several=several, pretty=pretty)
    run = _Run(extractor, encoding, article_id, writer)
    with embedded_progress():
        code = asyncio.run(run.all(inputs))
    writer.close()
    raise typer.Exit(code)


def _expand(paths: list[str]) -> list[_Input]:
    """Every article named: files as given, a folder's ``.txt`` files as ``batch`` reads them, ``-`` once.

    Ids: a file's name without ``.txt``; under a folder its path there without ``.txt`` (``2024/a1``);
    ``stdin`` for ``-``.
    """
    from extractor.batch.sources import TextFolder

    inputs: list[_Input] = []
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            texts = TextFolder(folder, max_chars=0).files()
            if not texts:
                raise InputError(f"{path} holds no .txt files; put one article per .txt file in it")
            inputs += [
                _Input(str(text), text.relative_to(folder).with_suffix("").as_posix()) for text in texts
            ]
        else:
            inputs.append(_Input(path, Path(path).stem if path != "-" else "stdin"))
    if sum(item.source == "-" for item in inputs) > 1:
        raise ConfigError("- (stdin) can be given once")
    names = [_file_name(item.id) for item in inputs]
    if len(inputs) > 1 and len(set(names)) < len(names):
        clash = sorted({item.id for item, name in zip(inputs, names, strict=True) if names.count(name) > 1})
        raise ConfigError(f"the inputs {', '.join(clash)} share a name: their results would collide")
    return inputs


def _file_name(article_id: str) -> str:
    # Ids like "sha256:7f52..." or "wire/2024/17" must not become directories or drive letters.
    return re.sub(r"[^A-Za-z0-9._-]+", "-", article_id).strip("-.") or "article"


def _check_target(output: Path | None, fmt: OutputFormat, several: bool) -> None:
    """Refuse an output in a missing directory (or of the wrong kind) before the model is paid for."""
    if output is None:
        return
    if several and fmt is not OutputFormat.jsonl:
        if not output.is_dir():
            raise InputError(f"-o {output} must be an existing folder: one JSON file is written per input")
        return
    if output.is_dir():
        raise InputError(f"-o {output} is a directory; give a file name")
    if not output.parent.is_dir():
        raise InputError(f"cannot write {output}: directory {output.parent} does not exist")


def _read(item: _Input, encoding: str) -> str:
    data = read_input(item.source)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        name = "UTF-8" if encoding == "utf-8" else encoding
        raise DecodeError(
            f"{item.source} is not {name} (first bad byte at offset {error.start}); give its encoding with "
            "--encoding (e.g. --encoding latin-1) or convert it to UTF-8"
        ) from error


def _code(error: BaseException) -> int:
    if isinstance(error, InputError | ConfigError):
        return 2
    return 3 if isinstance(error, LLMError | EmbeddedModelError) else 1


class _Run:
    """The inputs one after the other through one extractor, each failure reported and counted."""

    def __init__(self, extractor: Extractor, encoding: str, article_id: str | None, writer: _Writer) -> None:
        self.extractor, self.encoding, self.article_id, self.writer = extractor, encoding, article_id, writer

    async def all(self, inputs: list[_Input]) -> int:
        """Extract every input; the exit code is the highest any failure calls for."""
        code = 0
        try:
            for number, item in enumerate(inputs, start=1):
                try:
                    result = await self.one(item)
                except ClaimscopeError as error:
                    code = max(code, _code(error))
                    self.writer.error(item, number, error)
                    if isinstance(error, _FATAL) or not self.writer.several:
                        break
                    continue
                self.writer.result(item, result)
        finally:
            await self.extractor.aclose()
        return code

    async def one(self, item: _Input) -> ArticleExtraction:
        """One input read, checked and extracted."""
        from extractor.sdk import prepare_article

        article = prepare_article(
            _read(item, self.encoding),
            max_chars=self.extractor.settings.max_article_chars,
            article_id=self.article_id or (item.id if self.writer.several else None),
        )
        return await self.extractor.aextract(article)


class _Writer:
    """Puts each result where the format and ``-o`` say, whole or not at all."""

    def __init__(self, fmt: OutputFormat, output: Path | None, *, several: bool, pretty: bool) -> None:
        self.fmt, self.output, self.several, self.pretty = fmt, output, several, pretty
        self._lines = None if fmt is not OutputFormat.jsonl or output is None else _open_lines(output)

    def result(self, item: _Input, result: ArticleExtraction) -> None:
        from extractor.batch.jsonl import result_line

        if self.fmt is OutputFormat.jsonl:
            self._line(result_line(result.article_id, result))
            return
        indent = 2 if self.pretty or self.fmt is OutputFormat.summary else None
        if self.fmt is OutputFormat.json and not self.several and self.output is None:
            typer.echo(result.model_dump_json(indent=indent))
            return
        target = self._target(item, result)
        _write(target, result.model_dump_json(indent=indent) + "\n")
        if self.fmt is OutputFormat.summary:
            from extractor.cli.summary import render_summary, summary_console

            render_summary(result, summary_console(), json_path=target, article_path=item.source)
        else:
            typer.echo(f"wrote {target}", err=True)

    def error(self, item: _Input, number: int, error: ClaimscopeError) -> None:
        from extractor.batch.jsonl import error_line
        from extractor.batch.records import ErrorRecord

        where = f"{item.source}: " if self.several else ""
        typer.secho(f"error: {where}{type(error).__name__}: {error}", fg=typer.colors.RED, err=True)
        if self.fmt is OutputFormat.jsonl and self.several:
            self._line(error_line(ErrorRecord.from_error(error, id=item.id, line=number)))

    def _target(self, item: _Input, result: ArticleExtraction) -> Path:
        if self.output is not None and not self.several:
            return self.output
        if self.several:
            return default_json_path("-", item.id, self.output)
        return default_json_path(item.source, result.article_id, self.output)

    def _line(self, line: bytes) -> None:
        if self._lines is None:
            typer.echo(line.decode("utf-8").rstrip("\n"))
        else:
            self._lines.write(line)
            self._lines.flush()

    def close(self) -> None:
        if self._lines is not None:
            self._lines.close()
            typer.echo(f"wrote {self.output}", err=True)


def _open_lines(output: Path) -> BinaryIO:
    try:
        return output.open("wb")
    except OSError as error:
        fail(InputError(f"cannot write {output}: {error.strerror or error}"))


def _write(target: Path, text: str) -> None:
    """Write whole or not at all, so an interrupted run never leaves half a JSON file behind."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        fail(InputError(f"cannot write {target}: {error.strerror or error}"))
