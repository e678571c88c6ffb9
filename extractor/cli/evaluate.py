"""``claimscope eval``: extract every gold document and score the results."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from extractor.cli.common import ApiBaseOption, ModelOption, StrategyOption, examples, fail, strategy_name
from extractor.errors import ClaimscopeError, ConfigError

__all__ = ["EXAMPLES", "EvalFormat", "eval_command"]


class EvalFormat(StrEnum):
    """How ``eval`` prints its report."""

    table = "table"
    json = "json"


EXAMPLES = examples(
    "claimscope eval gold.jsonl",
    "claimscope eval gold.jsonl --format json > scores.json",
    "claimscope eval gold.jsonl --limit 3 --report out/dev.html",
    "claimscope eval gold.jsonl --baseline scores.json --fail-on-drop --tolerance 0.01",
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
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", help="An earlier report of the same gold (--format json): print the change."
        ),
    ] = None,
    fail_on_drop: Annotated[
        bool, typer.Option("--fail-on-drop", help="Exit 1 when a figure fell against --baseline.")
    ] = False,
    tolerance: Annotated[
        float, typer.Option("--tolerance", min=0.0, help="How far a figure may fall before it counts.")
    ] = 0.0,
) -> None:
    """Extract every gold document and score claims, speakers, actors, stances and quote faithfulness."""
    import json

    from extractor.cli.progress import embedded_progress
    from extractor.eval.compare import compare_reports, format_change
    from extractor.eval.run import DocResult, evaluate, format_table, load_gold
    from extractor.sdk import Extractor

    def progress(done: int, total: int, result: DocResult) -> None:
        claims = result.score.claims
        found = f"claims {claims.matched}/{claims.n_gold}" if claims else ""
        state = f"FAILED {result.error}" if result.error else ("cached" if result.cached else "")
        width = len(str(total))
        line = f"[{done:>{width}}/{total}] {result.score.doc_id}  {result.seconds:.1f}s  {found}  {state}"
        typer.echo(line.rstrip(), err=True)

    if fail_on_drop and baseline is None:
        fail(ConfigError("--fail-on-drop needs --baseline"))
    try:
        before = _read_baseline(baseline) if baseline is not None else None
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
    change = compare_reports(before, data, tolerance) if before is not None else None
    if change is not None:
        data["change"] = {"baseline": str(baseline), **change.as_dict()}
    typer.echo(json.dumps(data) if as_json else format_table(data))
    if change is not None and not as_json:
        typer.echo("\n" + format_change(change, str(baseline)))
    drops = change.drops() if change is not None and fail_on_drop else []
    if drops:
        typer.echo(f"{len(drops)} figures fell against {baseline}", err=True)
        raise typer.Exit(1)


def _read_baseline(path: Path) -> Mapping[str, Any]:
    import json

    from extractor.eval.compare import report_of

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"no such baseline report: {path}") from error
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"baseline {path} is not a JSON report: {error}") from error
    return report_of(data, f"baseline {path}")
