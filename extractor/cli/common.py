"""What every command shares: turning errors into exit codes, reading input, the model options.

Exit codes: 0 ok, 1 a failed extraction (or any other claimscope error), 2 bad input or arguments,
3 an unreachable or failing model.
"""

from __future__ import annotations

import codecs
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, NoReturn

import typer

from extractor.errors import ConfigError, EmbeddedModelError, InputError, LLMError

__all__ = [
    "ApiBaseOption",
    "EncodingOption",
    "ModelOption",
    "Strategy",
    "StrategyOption",
    "check_encoding",
    "examples",
    "fail",
    "read_input",
    "stdout_is_terminal",
    "strategy_name",
]


def fail(error: BaseException) -> NoReturn:
    """Print a one-line error on stderr and exit with the code matching its kind."""
    code = 1
    if isinstance(error, InputError | ConfigError):
        code = 2
    elif isinstance(error, LLMError | EmbeddedModelError):
        code = 3
    name = type(error).__name__
    typer.secho(f"error: {name}: {error}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def read_input(path: str) -> bytes:
    """Bytes of a file, or of stdin for ``-``; a missing file is an InputError."""
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.is_file():
        raise InputError(f"no such file: {path}")
    return file.read_bytes()


def check_model(value: str | None) -> str | None:
    """Refuse a ``provider/model`` string no provider serves as the option is parsed (exit 2, one line).

    Bare names are left alone: with ``--api-base`` they go to an OpenAI-compatible server as they are.
    """
    if not value or "/" not in value or value.startswith(("fake/", "embedded/", "openai/")):
        return value
    from extractor.llm.client import provider_known

    if not provider_known(value):
        fail(
            ConfigError(f"no litellm provider serves {value!r}; use e.g. openai/gpt-4o-mini or ollama/llama3")
        )
    return value


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", "-m", help="litellm model string; default: the embedded model.", callback=check_model
    ),
]
ApiBaseOption = Annotated[
    str | None, typer.Option("--api-base", help="Base URL of an OpenAI-compatible server.")
]


class Strategy(StrEnum):
    """How the model is asked: small constrained decisions, or one request for everything."""

    pipeline = "pipeline"
    single = "single"


StrategyOption = Annotated[
    Strategy | None, typer.Option("--strategy", help="pipeline (default; best on small models) or single.")
]


def strategy_name(strategy: Strategy | None) -> Literal["pipeline", "single"] | None:
    """The SDK's name for a ``--strategy`` choice (None: the settings decide)."""
    if strategy is None:
        return None
    return "single" if strategy is Strategy.single else "pipeline"


def check_encoding(value: str) -> str:
    """Refuse an encoding Python does not know as the option is parsed (exit 2, one line)."""
    try:
        name = codecs.lookup(value).name
    except LookupError:
        fail(ConfigError(f"unknown encoding {value!r}; use e.g. utf-8, latin-1 or cp1252"))
    # Lines are split on the newline byte: encodings that spell it otherwise (UTF-16, UTF-32) cannot be.
    if "\n".encode(name) != b"\n":
        fail(ConfigError(f"--encoding {value} is not ASCII-compatible; convert the file to UTF-8 first"))
    return name


EncodingOption = Annotated[
    str,
    typer.Option(
        "--encoding",
        help="Encoding of the input files (utf-8, latin-1, cp1252, ...); the text is read as UTF-8 after.",
        callback=check_encoding,
    ),
]


def stdout_is_terminal() -> bool:
    """Whether a person is likely reading stdout; a function so tests can stand in for a terminal."""
    return sys.stdout.isatty()


def examples(*lines: str) -> str:
    """A command's ``--help`` epilog: its example invocations, one per line."""
    from rich.markup import escape

    # The help is rich markup: brackets in an example (jq '.claims[]') must print as written.
    return "Examples:\n" + "\n".join(escape(f"  $ {line}") for line in lines)
