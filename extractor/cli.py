"""The command line: ``claimscope extract | batch | eval | render | serve | model``.

Commands only parse arguments and call the library; errors become one red line and an exit code:
1 for a failed extraction, 2 for bad input or arguments, 3 for an unreachable or failing model.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from extractor.errors import ClaimscopeError, ConfigError, EmbeddedModelError, InputError, LLMError

app = typer.Typer(
    name="claimscope",
    help="Extract actors, attributed claims and policy positions from news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
model_app = typer.Typer(help="Manage the embedded local model (llama.cpp server + weights).", no_args_is_help=True)
app.add_typer(model_app, name="model")


class OutputFormat(str, Enum):
    """How ``extract`` prints results."""

    json = "json"
    jsonl = "jsonl"


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
ApiBaseOption = Annotated[str | None, typer.Option("--api-base", help="Base URL of an OpenAI-compatible server.")]


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="Article text file, or - for stdin.")],
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="json or jsonl.")] = OutputFormat.json,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON.")] = False,
    strategy: Annotated[str | None, typer.Option(help="pipeline (default) or single.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    article_id: Annotated[str | None, typer.Option("--id", help="Article id to report.")] = None,
) -> None:
    """Extract actors, claims and positions from one article and print them as JSON."""
    from extractor.sdk import Extractor

    try:
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
    indent = 2 if pretty and output is OutputFormat.json else None
    typer.echo(result.model_dump_json(indent=indent))


@model_app.command("install")
def model_install() -> None:
    """Build llama-server and fetch the weights (cached under the data directory)."""
    from extractor import embedded
    from extractor.settings import get_settings

    try:
        paths = embedded.install(get_settings(), log=lambda line: typer.echo(line, err=True))
    except ClaimscopeError as error:
        fail(error)
    typer.echo(f"binary:  {paths.binary}\nweights: {paths.weights}")


@model_app.command("status")
def model_status() -> None:
    """Say whether the embedded model is installed and whether its server is running."""
    from extractor import embedded
    from extractor.settings import get_settings

    typer.echo(embedded.status(get_settings()).model_dump_json(indent=2))


@model_app.command("serve")
def model_serve() -> None:
    """Start the embedded model server in the background (reused by later calls) and print its URL."""
    from extractor import embedded
    from extractor.settings import get_settings

    try:
        typer.echo(embedded.ensure_server(get_settings()))
    except ClaimscopeError as error:
        fail(error)


@model_app.command("stop")
def model_stop() -> None:
    """Stop the embedded model server."""
    from extractor import embedded
    from extractor.settings import get_settings

    stopped = embedded.stop_server(get_settings())
    typer.echo("stopped" if stopped else "not running")


def main() -> None:
    """Console-script entry point."""
    app()
