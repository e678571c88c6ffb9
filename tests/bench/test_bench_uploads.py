"""The upload memory benchmark runs against a live server and reports sane figures (smoke size)."""

from __future__ import annotations

from benchmarks.upload_rss import measure


def test_upload_rss_smoke_reports_idle_and_peak_of_a_live_server() -> None:
    result = measure(1, uploads=2)

    assert result["statuses"] == [202, 202]
    idle, peak = result["idle_rss_mb"], result["peak_rss_mb"]
    assert isinstance(idle, float) and isinstance(peak, float)
    assert 0 < idle <= peak
    assert result["within_100_mb_of_idle"] is True
