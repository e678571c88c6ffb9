"""Running an :class:`~extractor.sdk.Extractor` over gold documents and scoring the results.

The I/O half of evaluation: reading gold JSONL, extracting (through the extractor's result cache, so a second
run only re-scores), and shaping the report. The scoring itself is :mod:`extractor.eval.scoring`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.cache import text_sha256
from extractor.errors import (
    ClaimscopeError,
    ConfigError,
    EmbeddedModelError,
    InputError,
    LLMAuthError,
    LLMConnectionError,
)
from extractor.eval.scoring import DocScore, score_document, summarize
from extractor.eval.table import text_table
from schemas import ArticleExtraction, Provenance

if TYPE_CHECKING:
    from extractor.sdk import Extractor

__all__ = ["DocResult", "EvalRun", "aevaluate", "evaluate", "format_table", "load_gold"]

_REQUIRED = ("id", "source", "text", "gold_layers")

# Failures that would repeat on every document: stop the run instead of scoring 26 empty extractions.
_FATAL = (ConfigError, EmbeddedModelError, LLMAuthError, LLMConnectionError)


def load_gold(path: str | Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Read gold documents from JSONL (one object per line, blank lines skipped).

    Raises:
        InputError: the file is missing, or a line is not JSON or lacks a required key.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(f"no such gold file: {path}")
    docs: list[dict[str, Any]] = []
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(
                    f"{path}:{number}: not JSON ({error.msg}); expected one document per line"
                ) from error
            missing = [key for key in _REQUIRED if not isinstance(doc, dict) or key not in doc]
            if missing:
                raise InputError(f"{path}:{number}: gold document lacks {', '.join(missing)}")
            docs.append(doc)
            if limit is not None and len(docs) >= limit:
                break
    if not docs:
        raise InputError(f"{path}: no gold documents")
    return docs


@dataclass(frozen=True)
class DocResult:
    """One document's extraction (empty when it failed), its score and what it cost."""

    gold: dict[str, Any]
    extraction: ArticleExtraction
    score: DocScore
    seconds: float
    """Wall time of the extraction as first computed (from provenance, so cached runs keep it)."""
    error: str | None = None

    @property
    def cached(self) -> bool:
        """Whether the extraction came from the result cache."""
        return self.extraction.provenance.cached


@dataclass(frozen=True)
class EvalRun:
    """Every document's result and the aggregated report."""

    results: list[DocResult]
    wall_seconds: float
    model: str

    def report(self) -> dict[str, Any]:
        """The JSON report: ``overall``, ``by_source``, ``seconds_per_doc`` and per-document figures."""
        summary = summarize([result.score for result in self.results])
        timed = [result.seconds for result in self.results if result.error is None]
        failures = [{"id": r.gold["id"], "error": r.error} for r in self.results if r.error]
        return {
            **summary,
            "seconds_per_doc": sum(timed) / len(timed) if timed else None,
            "wall_seconds": self.wall_seconds,
            "model": self.model,
            "n_docs": len(self.results),
            "n_cached": sum(result.cached for result in self.results),
            "failures": failures,
            "per_doc": [_doc_row(result) for result in self.results],
        }


def _doc_row(result: DocResult) -> dict[str, Any]:
    score = result.score
    return {
        "id": score.doc_id,
        "source": score.source,
        "seconds": result.seconds,
        "error": result.error,
        "claims": score.claims.as_dict() if score.claims else None,
        "claims_with_speaker": score.claims_with_speaker.as_dict() if score.claims_with_speaker else None,
        "actors": score.actors.as_dict() if score.actors else None,
        "stances": score.stances.as_dict() if score.stances else None,
        "positions": score.positions.as_dict() if score.positions else None,
        "n_quotes": score.n_quotes,
        "n_exact_quotes": score.n_exact_quotes,
    }


def _empty(gold: dict[str, Any], model: str) -> ArticleExtraction:
    return ArticleExtraction(
        article_id=str(gold["id"]),
        text_sha256=text_sha256(str(gold["text"])),
        provenance=Provenance(model=model, strategy="failed"),
    )


async def _run_one(extractor: Extractor, gold: dict[str, Any]) -> DocResult:
    title = (gold.get("meta") or {}).get("title")
    error: str | None = None
    try:
        extraction = await extractor.aextract(
            str(gold["text"]), article_id=str(gold["id"]), title=str(title) if title else None
        )
    except _FATAL:
        raise
    except ClaimscopeError as failure:
        # One bad document (invalid model output, timeout) scores as an empty extraction, not a crash.
        error = f"{type(failure).__name__}: {failure}"
        extraction = _empty(gold, extractor.model)
    if extraction.text_sha256 != text_sha256(str(gold["text"])):
        raise InputError(f"{gold['id']}: extraction offsets refer to a different text than the gold")
    seconds = 0.0 if error else extraction.provenance.latency_s
    return DocResult(gold, extraction, score_document(extraction, gold), seconds, error)


Progress = Callable[[int, int, DocResult], None]


async def aevaluate(
    extractor: Extractor,
    docs: Sequence[dict[str, Any]],
    *,
    concurrency: int = 1,
    progress: Progress | None = None,
) -> EvalRun:
    """Extract every gold document with ``extractor`` and score it.

    Args:
        extractor: The extractor under test (its result cache makes re-runs free).
        docs: Gold documents from :func:`load_gold`.
        concurrency: Documents extracted at once.
        progress: Called after each document with (done, total, result).

    Raises:
        ConfigError, EmbeddedModelError, LLMAuthError, LLMConnectionError: failures that would hit every
            document; other extraction errors are recorded on the document and the run goes on.
    """
    started = time.perf_counter()
    gate = asyncio.Semaphore(max(1, concurrency))
    results: list[DocResult | None] = [None] * len(docs)
    done = 0

    async def run(index: int, gold: dict[str, Any]) -> None:
        nonlocal done
        async with gate:
            result = await _run_one(extractor, gold)
        results[index] = result
        done += 1
        if progress is not None:
            progress(done, len(docs), result)

    await asyncio.gather(*(run(index, gold) for index, gold in enumerate(docs)))
    finished = [result for result in results if result is not None]
    return EvalRun(finished, time.perf_counter() - started, extractor.model)


def evaluate(
    extractor: Extractor,
    docs: Sequence[dict[str, Any]],
    *,
    concurrency: int = 1,
    progress: Progress | None = None,
) -> EvalRun:
    """Blocking :func:`aevaluate`."""
    return asyncio.run(aevaluate(extractor, docs, concurrency=concurrency, progress=progress))


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _prf(layer: dict[str, Any] | None) -> str:
    if not layer:
        return "-"
    counts = f"{layer['n_matched']}/{layer['n_gold']}"
    if layer.get("n_pred") is not None:
        counts += f"/{layer['n_pred']}"
    return f"{_cell(layer['precision'])} {_cell(layer['recall'])} {_cell(layer['f1'])} ({counts})"


def _positions_cell(layer: dict[str, Any] | None) -> str:
    if not layer:
        return "-"
    figures = " ".join(_cell(layer[key]) for key in ("precision", "recall", "f1", "found_any_stance"))
    return f"{figures} ({layer['n_matched']}/{layer['n_gold']}/{layer['n_pred']})"


def format_table(report: dict[str, Any]) -> str:
    """A plain-text table of the report: one row per source and one overall."""
    header = [
        "source",
        "docs",
        "claims P R F1 (m/g/p)",
        "claims+speaker",
        "actors",
        "stances R",
        "positions P R F1 any",
        "quotes",
    ]
    rows = [header]
    groups = [*report["by_source"].items(), ("overall", report["overall"])]
    for name, group in groups:
        stances = group["stances"]
        rows.append(
            [
                name,
                str(group["n_docs"]),
                _prf(group["claims"]),
                _prf(group["claims_with_speaker"]),
                _prf(group["actors"]),
                f"{_cell(stances['recall'])} ({stances['n_matched']}/{stances['n_gold']})"
                if stances
                else "-",
                _positions_cell(group.get("positions")),
                f"{_cell(group['quote_faithfulness'])} ({group['n_quotes']})",
            ]
        )
    lines = text_table(rows)
    per_doc = report.get("seconds_per_doc")
    lines.append("")
    lines.append(
        f"seconds per doc: {_cell(per_doc)}   wall: {report['wall_seconds']:.1f}s   "
        f"cached: {report['n_cached']}/{report['n_docs']}   failed: {len(report['failures'])}   "
        f"model: {report['model']}"
    )
    lines.append("P R F1 with counts matched/gold/predicted; '-' = not scored (see gold_layers)")
    return "\n".join(lines)
