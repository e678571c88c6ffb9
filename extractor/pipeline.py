"""Placeholder while the pipeline is written; replaced in the next commit."""

from __future__ import annotations

PROMPT_VERSIONS: dict[str, str] = {}


async def run_extraction(*args: object, **kwargs: object) -> object:
    """Not yet written."""
    raise NotImplementedError
