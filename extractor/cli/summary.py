"""The terminal summary of one extraction: what a person reads instead of a thousand lines of JSON.

Every value taken from the article or the model is wrapped in :class:`rich.text.Text`, never passed as a
markup string, so that brackets in a name or quote (``[sic]``, ``[bold]``) print as written.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from schemas import ArticleExtraction, Claim

__all__ = ["STANCE_STYLES", "render_summary", "summary_console"]

STANCE_STYLES = {"support": "green", "oppose": "red", "neutral": "blue", "mixed": "yellow"}
"""Colour of each stance; also bold, so the stance still stands out under NO_COLOR."""

_CLAIM_CHARS = 110


def summary_console() -> Console:
    """A console on stdout that follows the terminal (width, NO_COLOR, FORCE_COLOR, TERM=dumb).

    Highlighting is off: rich would otherwise colour numbers and quoted words inside article text.
    """
    return Console(highlight=False, soft_wrap=False)


def render_summary(
    result: ArticleExtraction,
    console: Console,
    *,
    json_path: Path | None = None,
    article_path: str | None = None,
    max_claims: int = 30,
) -> None:
    """Print the header, actors, claims, positions, warnings and where the full JSON went.

    Args:
        result: The extraction to summarise.
        console: Where to print; the caller decides terminal, width and colour.
        json_path: The file holding the full JSON, named at the end so the reader can open it.
        article_path: The article file, to suggest the ``render`` command for a review page.
        max_claims: Claims listed before the rest are only counted; the JSON file has them all.
    """
    console.print(_header(result))
    console.print(_actors(result))
    console.print(_claims(result, max_claims))
    if result.positions:
        console.print(_positions(result))
    warnings = result.provenance.warnings
    if warnings:
        console.print(Text(f"{len(warnings)} warning(s):", style="bold yellow"))
        for warning in warnings:
            console.print(Text.assemble(("  ! ", "yellow"), warning))
    if json_path is not None:
        console.print(Text.assemble("full JSON: ", (str(json_path), "bold")))
        if article_path is not None and article_path != "-":
            hint = f"review page: claimscope render {json_path} --article {article_path} -o review.html"
            console.print(Text(hint, style="dim"))


def _header(result: ArticleExtraction) -> RenderableType:
    provenance = result.provenance
    usage = provenance.usage
    title = Text.assemble((result.article_id, "bold"))
    if result.title:
        title.append("  ")
        title.append(result.title, style="italic")
    tokens = usage.prompt_tokens + usage.completion_tokens
    facts = [
        f"model {provenance.model}",
        f"{provenance.latency_s:.2f} s" + (" (cached)" if provenance.cached else ""),
        f"{tokens:,} tokens ({usage.prompt_tokens:,} in, {usage.completion_tokens:,} out, "
        f"{usage.requests} requests)",
        f"{len(result.actors)} actors, {len(result.claims)} claims, {len(result.positions)} positions",
    ]
    return Group(title, Text(" · ".join(facts), style="dim"))


def _actors(result: ArticleExtraction) -> Table:
    said = Counter(claim.speaker_id for claim in result.claims if claim.speaker_id)
    table = Table(title="Actors", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("actor")
    table.add_column("kind", style="cyan")
    table.add_column("claims", justify="right")
    for actor in result.actors:
        table.add_row(Text(actor.canonical_name), Text(actor.kind), Text(str(said[actor.id])))
    return table


def _claims(result: ArticleExtraction, limit: int) -> Table:
    names = {actor.id: actor.canonical_name for actor in result.actors}
    table = Table(title="Claims", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("speaker", no_wrap=True, max_width=28)
    table.add_column("claim (“quote” or statement)")
    for claim in result.claims[:limit]:
        table.add_row(Text(claim.id), _speaker(claim, names), _said(claim))
    hidden = len(result.claims) - limit
    if hidden > 0:
        table.caption = f"… and {hidden} more claims in the JSON"
        table.caption_justify = "left"
    return table


def _speaker(claim: Claim, names: dict[str, str]) -> Text:
    if claim.speaker_id:
        return Text(names.get(claim.speaker_id, claim.speaker_id))
    # Claims without a speaker: the article's own voice, or words nobody is named for.
    return Text(f"({claim.attribution})", style="dim italic")


def _said(claim: Claim) -> Text:
    if claim.quote is not None and claim.quote.text.strip():
        return Text(f"“{_shorten(claim.quote.text, _CLAIM_CHARS - 2)}”", style="italic")
    return Text(_shorten(claim.statement, _CLAIM_CHARS))


def _shorten(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder=" …")


def _positions(result: ArticleExtraction) -> Table:
    names = {actor.id: actor.canonical_name for actor in result.actors}
    table = Table(title="Positions", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("actor")
    table.add_column("topic")
    table.add_column("stance", no_wrap=True)
    for position in result.positions:
        style = f"bold {STANCE_STYLES.get(position.stance, '')}".strip()
        table.add_row(
            Text(names.get(position.actor_id, position.actor_id)),
            Text(position.topic),
            Text(position.stance, style=style),
        )
    return table
