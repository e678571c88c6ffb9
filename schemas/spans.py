"""Character spans located in the article text by code."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from schemas._base import StrictModel

Alignment = Literal["exact", "normalised", "fuzzy", "ungrounded"]
"""How a span was located: ``exact`` means ``article[start:end] == text``."""


class Span(StrictModel):
    """A piece of the article, with offsets computed by code (never by the model)."""

    start: int | None = Field(default=None, ge=0)
    """Start character offset in the article text (Python str index); None when ungrounded."""

    end: int | None = Field(default=None, ge=0)
    """End character offset, exclusive; None when ungrounded."""

    text: str = Field(max_length=4000)
    """The span's text as it stands in the article (for ungrounded spans, the text that was sought)."""

    alignment: Alignment = "exact"
    """How the span was located in the article."""

    @model_validator(mode="after")
    def _offsets_match_alignment(self) -> Self:
        if self.alignment == "ungrounded":
            if self.start is not None or self.end is not None:
                raise ValueError("an ungrounded span has no offsets")
        else:
            if self.start is None or self.end is None:
                raise ValueError(f"a {self.alignment} span needs start and end offsets")
            if self.end < self.start:
                raise ValueError("span end must not precede its start")
        return self

    @property
    def grounded(self) -> bool:
        """Whether the span has offsets in the article."""
        return self.alignment != "ungrounded"
