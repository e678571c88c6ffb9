"""Membership of character offsets in a set of ranges, answered by binary search."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

__all__ = ["OffsetCover"]


class OffsetCover:
    """The character offsets that some of a set of ``[start, end)`` ranges hold."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(r for r in ranges if r[0] < r[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, offset: int) -> bool:
        index = bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._ends[index]
