"""An eval report against an earlier one: each headline figure per source and overall, before and after.

``claimscope eval GOLD.jsonl --baseline BEFORE.json`` scores a run and sets it beside an earlier report of
the same gold (what ``claimscope eval --format json`` prints; the accuracy benchmark's results files hold
the same report). A figure is compared where both reports score it. Documents that only one report
scored make its figures a different sample, so they are listed with the change. Pure functions over
report dicts: reading the baseline file is the command's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extractor.errors import ConfigError
from extractor.eval.table import text_table

__all__ = ["FIGURES", "FigureChange", "ReportChange", "compare_reports", "format_change", "report_of"]

FIGURES: tuple[tuple[str, str, str | None], ...] = (
    ("claims F1", "claims", "f1"),
    ("claims+speaker F1", "claims_with_speaker", "f1"),
    ("actors F1", "actors", "f1"),
    ("actors R", "actors", "recall"),
    ("stances R", "stances", "recall"),
    ("positions F1", "positions", "f1"),
    ("positions found", "positions", "found_any_stance"),
    ("quotes verbatim", "quote_faithfulness", None),
)
"""(name, layer, figure) of each figure compared; ``None`` for a layer that is a figure itself."""

_SAME = 1e-9


@dataclass(frozen=True)
class FigureChange:
    """One figure of one source (or ``overall``) in both reports."""

    group: str
    figure: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        """After minus before."""
        return self.after - self.before


@dataclass(frozen=True)
class ReportChange:
    """The figures both reports score, and the documents only one of them scored."""

    changes: tuple[FigureChange, ...]
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    tolerance: float = 0.0
    """How far a figure may fall before it counts as a drop (a model's answers vary from run to run)."""

    def drops(self) -> list[FigureChange]:
        """The figures that fell by more than the tolerance."""
        return [change for change in self.changes if self.fell(change)]

    def fell(self, change: FigureChange) -> bool:
        """Whether ``change`` is a drop."""
        return change.delta < -(self.tolerance + _SAME)

    def as_dict(self) -> dict[str, Any]:
        """JSON form: group -> figure -> before, after, delta; and the documents only one report scored."""
        groups: dict[str, dict[str, dict[str, float]]] = {}
        for change in self.changes:
            groups.setdefault(change.group, {})[change.figure] = {
                "before": change.before,
                "after": change.after,
                "delta": round(change.delta, 6),
            }
        return {
            "figures": groups,
            "tolerance": self.tolerance,
            "drops": [f"{change.group}: {change.figure}" for change in self.drops()],
            "only_before": list(self.only_before),
            "only_after": list(self.only_after),
        }


def report_of(data: Any, where: str) -> Mapping[str, Any]:
    """``data`` if it has an eval report's shape (``overall`` and ``by_source``), else a ConfigError."""
    if (
        not isinstance(data, Mapping)
        or not isinstance(data.get("overall"), Mapping)
        or not isinstance(data.get("by_source"), Mapping)
    ):
        raise ConfigError(
            f"{where} is not an eval report (claimscope eval --format json): no overall/by_source"
        )
    return data


def compare_reports(
    before: Mapping[str, Any], after: Mapping[str, Any], tolerance: float = 0.0
) -> ReportChange:
    """Every figure both reports score, per source in ``after``'s order and then overall."""
    groups = [(name, before["by_source"].get(name), group) for name, group in after["by_source"].items()]
    groups.append(("overall", before["overall"], after["overall"]))
    changes = []
    for group_name, old, new in groups:
        if not isinstance(old, Mapping):
            continue  # a source the baseline did not score
        for figure, layer, key in FIGURES:
            was, now = _figure(old, layer, key), _figure(new, layer, key)
            if was is not None and now is not None:
                changes.append(FigureChange(group_name, figure, was, now))
    before_ids, after_ids = _doc_ids(before), _doc_ids(after)
    only_before: tuple[str, ...] = ()
    only_after: tuple[str, ...] = ()
    if before_ids is not None and after_ids is not None:  # else a report without its per-document rows
        only_before, only_after = tuple(sorted(before_ids - after_ids)), tuple(sorted(after_ids - before_ids))
    return ReportChange(tuple(changes), only_before, only_after, tolerance)


def format_change(change: ReportChange, baseline: str) -> str:
    """A plain-text table of the change: one row per source and figure, the figures that fell marked."""
    rows = [["source", "figure", "before", "after", "change"]]
    for item in change.changes:
        mark = "  fell" if change.fell(item) else ""
        rows.append(
            [item.group, item.figure, f"{item.before:.3f}", f"{item.after:.3f}", f"{item.delta:+.3f}{mark}"]
        )
    lines = [f"change against {baseline}", *text_table(rows)]
    if len(rows) == 1:
        lines.append("no figure is scored by both reports")
    for label, ids in (("only in the baseline", change.only_before), ("only in this run", change.only_after)):
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            lines.append(f"{label} ({len(ids)} documents, so the figures are of different samples): {shown}")
    return "\n".join(lines)


def _figure(group: Mapping[str, Any], layer: str, key: str | None) -> float | None:
    value = group.get(layer)
    if key is not None:
        value = value.get(key) if isinstance(value, Mapping) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _doc_ids(report: Mapping[str, Any]) -> set[str] | None:
    rows = report.get("per_doc")
    if not isinstance(rows, list):
        return None
    return {str(row["id"]) for row in rows if isinstance(row, Mapping) and "id" in row}
