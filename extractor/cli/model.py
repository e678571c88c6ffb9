"""``claimscope model install | status | serve | stop``: the embedded local model's life cycle."""

from __future__ import annotations

import typer

from extractor.cli.common import fail
from extractor.errors import ClaimscopeError

__all__ = ["model_app"]

model_app = typer.Typer(
    help="Manage the embedded local model (llama.cpp server + weights).", no_args_is_help=True
)


@model_app.command("install")
def model_install() -> None:
    """Build llama-server and fetch the weights (cached under the data directory)."""
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    try:
        paths = embedded.install(get_settings(), log=lambda line: typer.echo(line, err=True))
    except ClaimscopeError as error:
        fail(error)
    typer.echo(f"binary:  {paths.binary}\nweights: {paths.weights}")


@model_app.command("status")
def model_status() -> None:
    """Say whether the embedded model is installed and whether its server is running."""
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    typer.echo(embedded.status(get_settings()).model_dump_json(indent=2))


@model_app.command("serve")
def model_serve() -> None:
    """Start the embedded model server in the background (reused by later calls) and print its URL."""
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    try:
        typer.echo(embedded.ensure_server(get_settings()))
    except ClaimscopeError as error:
        fail(error)


@model_app.command("stop")
def model_stop() -> None:
    """Stop the embedded model server."""
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    stopped = embedded.stop_server(get_settings())
    typer.echo("stopped" if stopped else "not running")
