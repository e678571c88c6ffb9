"""The command line: ``claimscope extract | batch | export | eval | render | serve | model``.

Commands only parse arguments and call the library; errors become one red line and an exit code:
1 for a failed extraction, 2 for bad input or arguments, 3 for an unreachable or failing model.
``extract`` and its terminal summary live in ``extract.py`` and ``summary.py``, the ``model`` sub-commands
in ``model.py``, what ``batch`` does in ``batch.py``, ``eval`` in ``evaluate.py``, ``export`` in
``export.py``, ``render`` in ``render.py``; the rest are here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from extractor.cli.common import (
    ApiBaseOption,
    EncodingOption,
    ModelOption,
    StrategyOption,
    examples,
    fail,
    read_input,
)
from extractor.cli.evaluate import EXAMPLES as EVAL_EXAMPLES
from extractor.cli.evaluate import eval_command
from extractor.cli.export import export
from extractor.cli.extract import EXAMPLES as EXTRACT_EXAMPLES
from extractor.cli.extract import extract
from extractor.cli.model import model_app
from extractor.cli.render import render
from extractor.errors import ClaimscopeError, ConfigError

__all__ = ["app", "fail", "main", "read_input"]

app = typer.Typer(
    name="claimscope",
    help="Extract actors, attributed claims and policy positions from news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    epilog=examples(
        "claimscope extract article.txt",
        "claimscope batch articles.jsonl results.jsonl --concurrency 8",
        "claimscope export results.jsonl -o tables/",
        "claimscope model status",
        "claimscope --version",
    ),
)
app.command(epilog=EXTRACT_EXAMPLES)(extract)
app.command(
    epilog=examples(
        "claimscope export results.jsonl -o tables/",
        "claimscope export results.jsonl --format csv -o tables/",
    )
)(export)
app.command("eval", epilog=EVAL_EXAMPLES)(eval_command)
app.add_typer(model_app, name="model")


def _print_version(value: bool) -> None:
    if value:
        from extractor import __version__

        typer.echo(f"claimscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """Extract actors, attributed claims and policy positions from news articles."""


class BatchEngine(StrEnum):
    """Where ``batch`` runs the articles."""

    local = "local"
    processes = "processes"
    ray = "ray"


@app.command(
    epilog=examples(
        "claimscope batch articles.jsonl results.jsonl --concurrency 8 --summary summary.json",
        "claimscope batch articles.jsonl results.jsonl --resume --retry-failed",
        "claimscope batch articles/ results.jsonl",
        "claimscope batch table.csv results.jsonl --text-column body --id-column key",
        "claimscope batch - - --text-field body --id-field meta.id < in.jsonl > out.jsonl",
        "claimscope batch latin1.jsonl results.jsonl --encoding latin-1",
        "claimscope batch big.jsonl out.jsonl --engine processes --model openai/gpt-4o-mini",
    )
)
def batch(
    source: Annotated[
        str,
        typer.Argument(
            metavar="IN", help="Input JSONL (- for stdin), a folder of .txt files, or a .csv/.parquet."
        ),
    ],
    out: Annotated[str, typer.Argument(metavar="OUT", help="Output JSONL, or - for stdout.")],
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, help="Articles in flight.")] = 8,
    resume: Annotated[bool, typer.Option("--resume", help="Skip ids already in OUT/--errors.")] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="With --resume, redo lines that ended in an error.")
    ] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Empty OUT/--errors first.")] = False,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    strategy: StrategyOption = None,
    errors: Annotated[
        str | None, typer.Option("--errors", help="Write error records here instead of into OUT.")
    ] = None,
    budget_tokens: Annotated[
        int | None, typer.Option("--budget-tokens", min=0, help="Stop starting articles once spent.")
    ] = None,
    engine: Annotated[
        BatchEngine,
        typer.Option("--engine", help="local (one process), processes (one per core) or ray."),
    ] = BatchEngine.local,
    ray_address: Annotated[str | None, typer.Option("--ray-address", help="Ray cluster address.")] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes (processes) or actors (ray); default: cores."),
    ] = None,
    text_field: Annotated[
        str, typer.Option("--text-field", "--text-column", help="JSONL field (a.b nests) or table column.")
    ] = "text",
    id_field: Annotated[
        str, typer.Option("--id-field", "--id-column", help="JSONL field (a.b nests) or table column.")
    ] = "id",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    summary: Annotated[str | None, typer.Option("--summary", help="Write the job summary JSON here.")] = None,
    attempts: Annotated[
        int, typer.Option("--attempts", min=1, help="Tries per article on timeouts and rate limits.")
    ] = 2,
    fsync_interval: Annotated[
        float, typer.Option("--fsync-interval", min=0, help="Seconds between fsyncs; 0 = every line.")
    ] = 1.0,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Extract from every line of a JSONL file ({"id", "text", title?, url?, published?}); resumable.

    IN may also be a folder of .txt files (id: the path under the folder without .txt) or a CSV/Parquet
    table with a text column (--text-column, --id-column; Parquet needs pip install 'claimscope[tables]').

    Output lines come in completion order, each with its id: {"id", "extraction"}, or for a failed line
    {"id", "line", "error": {"type", "message", "attempts"}}.

    Exit codes: 0 all ok; 1 some lines failed, or the token budget stopped the job; 2 bad arguments;
    3 model unusable (resume later).

    Testing aid: --model fake/latency=0.01,timeout=0.1 runs on the in-process fake model.
    """
    from extractor.batch.records import BatchOptions
    from extractor.cli.batch import BatchJob, run_job

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
            strategy=strategy.value if strategy else None,
            use_cache=False if no_cache else None,
            engine=engine.value,
            ray_address=ray_address,
            workers=workers,
            id_field=id_field,
            text_field=text_field,
            overwrite=overwrite,
            summary_path=summary,
            fsync_interval_s=fsync_interval,
            encoding=encoding,
        )
        code = run_job(job)
    except ClaimscopeError as error:
        fail(error)
    raise typer.Exit(code)


@app.command(
    epilog=examples(
        "claimscope serve",
        "claimscope serve --host 0.0.0.0 --port 8080 --workers 2 --model openai/gpt-4o-mini",
        "CLAIMSCOPE_API_KEYS=secret claimscope serve --no-start-model",
    )
)
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    start_model: Annotated[
        bool,
        typer.Option("--start-model/--no-start-model", help="Start the embedded model first (if used)."),
    ] = True,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="Comma-separated proxy addresses trusted for X-Forwarded-*; default none.")
    ] = "",
) -> None:
    """Run the HTTP service under uvicorn (docs at /docs, schema at /openapi.json).

    Configure it with CLAIMSCOPE_* variables (CLAIMSCOPE_API_KEYS, CLAIMSCOPE_API_RATE_LIMIT_PER_MINUTE, ...).
    """
    import os

    from pydantic import ValidationError

    from extractor.settings import EMBEDDED_MODEL, get_settings

    # Through the environment, so that every worker process (a fresh interpreter) sees them too.
    if model:
        os.environ["CLAIMSCOPE_MODEL"] = model
    if api_base:
        os.environ["CLAIMSCOPE_API_BASE"] = api_base
    get_settings.cache_clear()
    try:
        settings = get_settings()
        if start_model and settings.model == EMBEDDED_MODEL and not settings.api_base:
            from extractor.cli.progress import embedded_progress
            from extractor.llm import embedded as embedded

            with embedded_progress() as progress:
                url = embedded.ensure_server(settings, progress)
            typer.echo(f"embedded model server: {url}", err=True)
    except ValidationError as error:
        fail(ConfigError(f"invalid CLAIMSCOPE_* setting: {error}"))
    except ClaimscopeError as error:
        fail(error)
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_key_list:
        warning = f"warning: listening on {host} without API keys; set CLAIMSCOPE_API_KEYS"
        typer.secho(warning, fg=typer.colors.YELLOW, err=True)
    from typing import Any

    import uvicorn

    # Graceful shutdown is bounded, so that a client following a job's results cannot hold a restart forever.
    # Proxy headers name the client that rate limits and auth throttling count: only trusted proxies may.
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "timeout_graceful_shutdown": 10,
        "server_header": False,
        "proxy_headers": bool(forwarded_allow_ips.strip()),
        "forwarded_allow_ips": forwarded_allow_ips.strip() or None,
    }
    if workers == 1:
        from extractor.api.app import create_app

        uvicorn.run(create_app(settings), **common)
    else:
        uvicorn.run("extractor.api.app:create_app", factory=True, workers=workers, **common)


app.command(
    epilog=examples(
        "claimscope render out.json --article article.txt -o page.html",
        "claimscope render results.jsonl --articles articles.jsonl -o site/",
    )
)(render)


def main() -> None:
    """Console-script entry point."""
    app()
