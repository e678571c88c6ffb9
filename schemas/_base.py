"""The base model every public schema derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = "2.0"
"""Bumped whenever a public model changes shape; part of every cache key."""


class StrictModel(BaseModel):
    """Frozen model whose field docstrings become JSON-schema descriptions.

    Unknown fields are ignored when reading, so a file written by a newer claimscope (with fields this
    version does not know) still loads. Input models that must refuse typos set ``extra="forbid"``.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, use_attribute_docstrings=True)

    def __eq__(self, other: object) -> bool:
        # Fields only: private navigation state (see ``schemas._links``) is derived, not identity.
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__
