"""Overlapping windows over long articles, cut at paragraph boundaries, with offsets."""

from __future__ import annotations

__all__ = ["window_for", "windows"]


def windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` windows covering ``text``, cut at line ends.

    Each window has at most ``size`` characters (unless one paragraph is longer); consecutive windows
    share about ``overlap`` characters.
    """
    if len(text) <= size:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut > start else end
        spans.append((start, end))
        if end >= len(text):
            break
        next_start = max(end - overlap, start + 1)
        paragraph = text.find("\n", next_start, end)
        start = paragraph + 1 if paragraph >= 0 else next_start
    return spans


def window_for(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The window that best contains ``[start, end)``: the one in which it sits most centrally."""
    containing = [w for w in spans if w[0] <= start and end <= w[1]] or spans
    return min(containing, key=lambda w: abs((w[0] + w[1]) / 2 - (start + end) / 2))
