"""The base model every public schema derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = "2.0"
"""Bumped whenever a public model changes shape; part of every cache key."""


class StrictModel(BaseModel):
    """Frozen, closed model whose field docstrings become JSON-schema descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
