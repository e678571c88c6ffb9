"""``claimscope model install | status | serve | stop``: the embedded local model's life cycle."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from extractor.cli.common import examples, fail, stdout_is_terminal
from extractor.errors import ClaimscopeError

__all__ = ["model_app"]

model_app = typer.Typer(
    help="Manage the embedded local model (llama.cpp server + weights).",
    no_args_is_help=True,
    epilog=examples(
        "claimscope model install",
        "claimscope model status",
        "claimscope model status --format json | jq .running",
        "CLAIMSCOPE_EMBEDDED_IDLE_S=0 claimscope model serve",
        "claimscope model stop",
    ),
)


class StatusFormat(StrEnum):
    """How ``model status`` prints."""

    text = "text"
    json = "json"


@model_app.command("install", epilog=examples("claimscope model install"))
def model_install() -> None:
    """Build llama-server and fetch the weights (cached under the data directory), showing progress."""
    from extractor.cli.progress import embedded_progress
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    try:
        with embedded_progress() as progress:
            paths = embedded.install(get_settings(), progress)
    except ClaimscopeError as error:
        fail(error)
    typer.echo(f"binary:  {paths.binary}\nweights: {paths.weights}")


@model_app.command(
    "status", epilog=examples("claimscope model status", "claimscope model status --format json")
)
def model_status(
    fmt: Annotated[
        StatusFormat | None,
        typer.Option("--format", help="text or json; default: text on a terminal, json when piped."),
    ] = None,
) -> None:
    """Say whether the embedded model is installed and whether its server runs (pid, port, idle timeout)."""
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    state = embedded.status(get_settings())
    if (fmt or (StatusFormat.text if stdout_is_terminal() else StatusFormat.json)) is StatusFormat.json:
        typer.echo(state.model_dump_json(indent=2))
        return
    idle = state.idle_timeout_s
    rows = {
        "installed": "yes" if state.binary and state.weights else "no (claimscope model install)",
        "binary": state.binary or "-",
        "weights": state.weights or "-",
        "running": f"yes, pid {state.pid}, port {state.port}" if state.running else "no",
        "url": state.url or "-",
        "idle timeout": f"{idle:g} s" if idle else "none (runs until claimscope model stop)",
        "last use": state.last_use.isoformat(timespec="seconds") if state.last_use else "-",
    }
    typer.echo("\n".join(f"{key + ':':<14}{value}" for key, value in rows.items()))


@model_app.command(
    "serve", epilog=examples("claimscope model serve", "CLAIMSCOPE_EMBEDDED_IDLE_S=0 claimscope model serve")
)
def model_serve() -> None:
    """Start the embedded model server in the background (reused by later calls) and print its URL.

    It stops itself after CLAIMSCOPE_EMBEDDED_IDLE_S seconds without a request (300; 0 = never).
    """
    from extractor.cli.progress import embedded_progress
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    try:
        with embedded_progress() as progress:
            url = embedded.ensure_server(get_settings(), progress)
    except ClaimscopeError as error:
        fail(error)
    typer.echo(url)


@model_app.command("stop", epilog=examples("claimscope model stop"))
def model_stop() -> None:
    """Stop the embedded model server."""
    from extractor.llm import embedded as embedded
    from extractor.settings import get_settings

    stopped = embedded.stop_server(get_settings())
    typer.echo("stopped" if stopped else "not running")
