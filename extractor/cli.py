"""The command line: ``claimscope extract | batch | eval | render | serve | model``.

Commands only parse arguments and call the library; errors become one red line and an exit code:
1 for a failed extraction, 2 for bad input or arguments, 3 for an unreachable or failing model.
"""

from __future__ import annotations

import sys
from enum import Enum, StrEnum
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


class BatchEngine(StrEnum):
    """Where ``batch`` runs the articles."""

    local = "local"
    ray = "ray"


@app.command()
def batch(
    source: Annotated[str, typer.Argument(metavar="IN", help="Input JSONL, or - for stdin.")],
    out: Annotated[str, typer.Argument(metavar="OUT", help="Output JSONL, or - for stdout.")],
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, help="Articles in flight.")] = 8,
    resume: Annotated[bool, typer.Option("--resume", help="Skip ids already in OUT/--errors.")] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="With --resume, redo lines that ended in an error.")
    ] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Empty OUT/--errors first.")] = False,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    strategy: Annotated[str | None, typer.Option(help="pipeline (default) or single.")] = None,
    errors: Annotated[
        str | None, typer.Option("--errors", help="Write error records here instead of into OUT.")
    ] = None,
    budget_tokens: Annotated[
        int | None, typer.Option("--budget-tokens", min=0, help="Stop starting articles once spent.")
    ] = None,
    engine: Annotated[BatchEngine, typer.Option("--engine", help="local or ray.")] = BatchEngine.local,
    ray_address: Annotated[str | None, typer.Option("--ray-address", help="Ray cluster address.")] = None,
    text_field: Annotated[str, typer.Option("--text-field", help="Field with the text (a.b nests).")] = (
        "text"
    ),
    id_field: Annotated[str, typer.Option("--id-field", help="Field with the id (a.b nests).")] = "id",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    summary: Annotated[str | None, typer.Option("--summary", help="Write the job summary JSON here.")] = None,
    attempts: Annotated[
        int, typer.Option("--attempts", min=1, help="Tries per article on timeouts and rate limits.")
    ] = 2,
    fsync_interval: Annotated[
        float, typer.Option("--fsync-interval", min=0, help="Seconds between fsyncs; 0 = every line.")
    ] = 1.0,
) -> None:
    """Extract from every line of a JSONL file ({"id", "text", title?, url?, published?}); resumable.

    Output lines come in completion order, each with its id: {"id", "extraction"}, or for a failed line
    {"id", "line", "error": {"type", "message", "attempts"}}.

    Exit codes: 0 all ok; 1 some lines failed, or the token budget stopped the job; 2 bad arguments;
    3 model unusable (resume later).

    Testing aid: --model fake/latency=0.01,timeout=0.1 runs on the in-process fake model.
    """
    from extractor.batch import BatchOptions
    from extractor.batch_cli import BatchJob, run_job

    try:
        options = BatchOptions(
            concurrency=concurrency,
            resume=resume,
            retry_failed=retry_failed,
            budget_tokens=budget_tokens,
            attempts=attempts,
        )
        job = BatchJob(
            source=source,
            out=out,
            errors=errors,
            options=options,
            model=model,
            api_base=api_base,
            strategy=strategy,
            use_cache=False if no_cache else None,
            engine=engine.value,
            ray_address=ray_address,
            id_field=id_field,
            text_field=text_field,
            overwrite=overwrite,
            summary_path=summary,
            fsync_interval_s=fsync_interval,
        )
        code = run_job(job)
    except ClaimscopeError as error:
        fail(error)
    raise typer.Exit(code)


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
