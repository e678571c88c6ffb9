"""Evaluation against gold: reading gold JSONL, extracting, scoring per source.

Owns the run over gold documents and its report (:mod:`.run`), the scoring of one extraction
(:mod:`.scoring`, BASIL stances in :mod:`.stances`, SEESAW positions in :mod:`.positions`) and how gold
and predicted items are matched (:mod:`.matching`), a report set beside an earlier one
(:mod:`.compare`) and the plain-text tables of both (:mod:`.table`). Pure scoring has no I/O.
"""

from __future__ import annotations

from extractor.eval.compare import ReportChange, compare_reports
from extractor.eval.run import DocResult, EvalRun, aevaluate, evaluate, format_table, load_gold
from extractor.eval.scoring import DocScore, score_document, summarize

__all__ = [
    "DocResult",
    "DocScore",
    "EvalRun",
    "ReportChange",
    "aevaluate",
    "compare_reports",
    "evaluate",
    "format_table",
    "load_gold",
    "score_document",
    "summarize",
]
