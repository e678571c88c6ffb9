"""Membership of offsets in a set of ranges."""

from __future__ import annotations

from extractor.text.offsets import OffsetCover


def test_an_offset_cover_holds_the_offsets_of_overlapping_and_nested_ranges() -> None:
    cover = OffsetCover([(10, 20), (0, 5), (15, 25), (12, 13), (30, 30), (5, 7)])
    held = [offset for offset in range(35) if offset in cover]
    assert held == [*range(0, 7), *range(10, 25)]
    assert 0 not in OffsetCover([])
