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


ModelOption = Annotated[
    str | None, typer.Option("--model", "-m", help="litellm model string; default: the embedded model.")
]
ApiBaseOption = Annotated[
    str | None, typer.Option("--api-base", help="Base URL of an OpenAI-compatible server.")
]
StrategyOption = Annotated[str | None, typer.Option(help="pipeline (default) or single.")]
