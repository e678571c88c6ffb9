"""``claimscope eval``: extract every gold document and score the results."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from extractor.cli.common import ApiBaseOption, ModelOption, StrategyOption, examples, fail, strategy_name
from extractor.errors import ClaimscopeError

__all__ = ["EXAMPLES", "EvalFormat", "eval_command"]


class EvalFormat(StrEnum):
    """How ``eval`` prints its report."""

    table = "table"
    json = "json"


EXAMPLES = examples(
    "claimscope eval gold.jsonl",
    "claimscope eval gold.jsonl --format json > scores.json",
    "claimscope eval gold.jsonl --limit 3 --report out/dev.html",
)


def eval_command(
    gold: Annotated[str, typer.Argument(metavar="GOLD.jsonl", help="Gold documents, one JSON per line.")],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="First N documents only.")] = None,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    strategy: StrategyOption = None,
    fmt: Annotated[
        EvalFormat, typer.Option("--format", help="table (per source and overall) or json (one object).")
    ] = EvalFormat.table,
    as_json: Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the review page of every document (HTML).")
    ] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, help="Documents in flight.")] = 1,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
) -> None:
    """Extract every gold document and score claims, speakers, actors, stances and quote faithfulness."""
    import json

    from extractor.cli.progress import embedded_progress
    from extractor.eval.run import DocResult, evaluate, format_table, load_gold
    from extractor.sdk import Extractor

    def progress(done: int, total: int, result: DocResult) -> None:
        claims = result.score.claims
        found = f"claims {claims.matched}/{claims.n_gold}" if claims else ""
        state = f"FAILED {result.error}" if result.error else ("cached" if result.cached else "")
        width = len(str(total))
        line = f"[{done:>{width}}/{total}] {result.score.doc_id}  {result.seconds:.1f}s  {found}  {state}"
        typer.echo(line.rstrip(), err=True)

    try:
        docs = load_gold(gold, limit=limit)
        extractor = Extractor(
            model,
            api_base=api_base,
            strategy=strategy_name(strategy),
            use_cache=False if no_cache else None,
        )
        with embedded_progress():
            run = evaluate(extractor, docs, concurrency=concurrency, progress=progress)
    except ClaimscopeError as error:
        fail(error)
    data = run.report()
    if report is not None:
        # The page is a review face over eval's results; eval itself knows nothing of pages.
        from extractor.review import PageDoc, render_page

        pages = [PageDoc(str(r.gold["text"]), r.extraction, r.gold, r.score) for r in run.results]
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(
            render_page(pages, title="claimscope eval report", summary=format_table(data)), encoding="utf-8"
        )
        typer.echo(f"report: {report}", err=True)
    as_json = as_json or fmt is EvalFormat.json
    typer.echo(json.dumps(data) if as_json else format_table(data))
