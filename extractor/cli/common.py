"""What every command shares: turning errors into exit codes, reading input, the model options.

Exit codes: 0 ok, 1 a failed extraction (or any other claimscope error), 2 bad input or arguments,
3 an unreachable or failing model.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from extractor.errors import ConfigError, EmbeddedModelError, InputError, LLMError

__all__ = ["ApiBaseOption", "ModelOption", "StrategyOption", "fail", "read_input"]


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
StrategyOption = Annotated[str | None, typer.Option(help="pipeline (default) or single.")]
