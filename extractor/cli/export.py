"""``claimscope export``: batch results as tidy tables (Parquet or CSV) for pandas, polars and DuckDB."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from extractor.cli.common import fail
from extractor.errors import ClaimscopeError

__all__ = ["TableFormat", "export"]


class TableFormat(StrEnum):
    """The file format of exported tables."""

    parquet = "parquet"
    csv = "csv"


def export(
    sources: Annotated[
        list[Path],
        typer.Argument(metavar="RESULTS.jsonl...", help="Output of `claimscope batch` (one or more)."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the tables (created if needed).")
    ],
    table_format: Annotated[
        TableFormat, typer.Option("--format", help="parquet (needs claimscope[tables]) or csv.")
    ] = TableFormat.parquet,
) -> None:
    """Write batch results as tables: articles, actors, mentions, claims, positions, evidence, errors.

    One row per object, article_id on every row, ids linking the tables (claims.speaker_id ->
    actors.actor_id, positions.actor_id -> actors.actor_id, position_claims -> claims.claim_id).
    Existing tables of the same name in the folder are replaced.

    Example:
      claimscope export results.jsonl --format parquet -o tables/
      duckdb -c "SELECT type, count(*) FROM 'tables/errors.parquet' GROUP BY type"
    """
    from extractor.batch.export import export_tables

    try:
        summary = export_tables(sources, output, table_format.value)
    except ClaimscopeError as error:
        fail(error)
    counts = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    typer.echo(
        f"exported {summary.articles} articles, {summary.errors} errors to {output}/: {counts}", err=True
    )
    note = summary.bad_lines_note()
    if note is not None:
        typer.secho(f"warning: {note}", fg=typer.colors.YELLOW, err=True)
