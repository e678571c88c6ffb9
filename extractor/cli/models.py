"""Checks of ``--model`` strings, run as the option is parsed (before any model is loaded or called)."""

from __future__ import annotations

import typer

from extractor.errors import ConfigError

__all__ = ["check_model"]


def raise_config(error: ConfigError) -> None:
    """Print a configuration error as one line and exit 2 (as ``extractor.cli.app.fail`` does)."""
    typer.secho(f"error: {type(error).__name__}: {error}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def check_model(value: str | None) -> str | None:
    """Refuse a ``provider/model`` string no litellm provider serves, before any work (exit 2, one line).

    Bare names are left alone: with ``--api-base`` they go to an OpenAI-compatible server as they are.
    """
    if not value or "/" not in value or value.startswith(("fake/", "embedded/", "openai/")):
        return value
    import os

    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True  # else the unknown provider prints a banner
    try:
        litellm.get_llm_provider(value)
    except Exception:
        message = f"no litellm provider serves {value!r}; use e.g. openai/gpt-4o-mini or ollama/llama3"
        raise_config(ConfigError(message))
    return value
