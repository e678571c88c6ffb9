"""Locate text in the article: exact, then normalised (quotes, dashes, spacing, case), then fuzzy.

Offsets always come from here, never from the model. Every returned span satisfies
``article[start:end] == span.text`` unless it is ``ungrounded`` (no offsets at all).
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

from schemas import Alignment, Span

__all__ = ["Grounder", "exact_span", "exact_span_fields", "normalise"]

_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)
_FUZZY_CUTOFF = 90.0
_FUZZY_WINDOW = 3000


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold quotes, dashes, case and runs of whitespace.

    Returns:
        The folded text and, for each folded character, its offset in the original.
    """
    folded: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            folded.append(" ")
        else:
            previous_space = False
            lowered = char.lower()
            # Some characters lower-case to two ("İ" -> "i̇"); keep one folded char per original char.
            folded.append(lowered if len(lowered) == 1 else char)
        origin.append(index)
    return "".join(folded), origin


def exact_span(text: str, start: int, end: int) -> Span:
    """A span for offsets code already knows."""
    return Span.model_validate(exact_span_fields(text, start, end))


def exact_span_fields(text: str, start: int, end: int) -> dict[str, Any]:
    """The fields of :func:`exact_span`'s span, for a model that holds spans to validate in one call.

    A claim or an actor validated from plain data checks each span as it checks one made alone, in a
    single call into pydantic instead of one per span.
    """
    return {"start": start, "end": end, "text": text[start:end], "alignment": "exact"}


class Grounder:
    """Finds needles in one article; build it once per article (normalisation is done once).

    Args:
        text: The article text offsets refer to.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded_text: tuple[str, list[int]] | None = None

    @property
    def _folded(self) -> str:
        return self._normalised()[0]

    @property
    def _origin(self) -> list[int]:
        return self._normalised()[1]

    def _normalised(self) -> tuple[str, list[int]]:
        # Most needles match exactly; fold the article only when one does not.
        if self._folded_text is None:
            self._folded_text = normalise(self.text)
        return self._folded_text

    def locate(self, needle: str, near: int | None = None) -> Span:
        """Ground ``needle``, preferring the occurrence nearest to offset ``near``."""
        needle = needle.strip().strip("\"“”'‘’«»").strip()
        if not needle:
            return Span(text="", alignment="ungrounded")
        start = _nearest(self.text, needle, near)
        if start is not None:
            return exact_span(self.text, start, start + len(needle))
        folded_needle, _ = normalise(needle)
        folded_near = None if near is None else self._folded_index(near)
        folded_start = _nearest(self._folded, folded_needle, folded_near)
        if folded_start is not None:
            return self._span_from_folded(folded_start, folded_start + len(folded_needle), "normalised")
        return self._fuzzy(folded_needle, folded_near) or Span(text=needle[:4000], alignment="ungrounded")

    def _folded_index(self, offset: int) -> int:
        # origin is sorted, so a binary search maps an article offset to the folded text.
        from bisect import bisect_left

        return bisect_left(self._origin, offset)

    def _span_from_folded(self, folded_start: int, folded_end: int, alignment: Alignment) -> Span:
        start = self._origin[folded_start]
        end = self._origin[folded_end - 1] + 1
        return Span(start=start, end=end, text=self.text[start:end], alignment=alignment)

    def _fuzzy(self, folded_needle: str, folded_near: int | None) -> Span | None:
        if len(folded_needle) < 12:
            return None
        low, high = 0, len(self._folded)
        if folded_near is not None and high > 2 * _FUZZY_WINDOW:
            low = max(0, folded_near - _FUZZY_WINDOW)
            high = min(len(self._folded), folded_near + _FUZZY_WINDOW)
        elif high > 4 * _FUZZY_WINDOW:
            # Without a hint a whole-text fuzzy scan is quadratic; refuse rather than stall.
            return None
        found = fuzz.partial_ratio_alignment(
            folded_needle, self._folded[low:high], score_cutoff=_FUZZY_CUTOFF
        )
        if found is None or found.dest_end <= found.dest_start:
            return None
        return self._span_from_folded(low + found.dest_start, low + found.dest_end, "fuzzy")


def _nearest(haystack: str, needle: str, near: int | None) -> int | None:
    first = haystack.find(needle)
    if first < 0 or near is None:
        return first if first >= 0 else None
    best, index = first, first
    while index >= 0:
        if abs(index - near) < abs(best - near):
            best = index
        if index > near:
            break
        index = haystack.find(needle, index + 1)
    return best
