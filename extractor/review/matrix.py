"""The actor x topic matrix of one article: who takes which stance on what, at a glance.

Rows are the actors that hold a position, columns the topics some position is about, and each cell the
stance the actor takes on the topic. A cell carries the page-wide key of its position's list item, so the
page's script selects the same evidence for a click on the cell as for a click on the item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass

from schemas import ArticleExtraction, PolicyPosition

__all__ = ["STANCE_SIGNS", "Matrix", "MatrixColumn", "MatrixEntry", "MatrixRow", "position_matrix"]

STANCE_SIGNS: dict[str, str] = {"support": "+", "oppose": "−", "mixed": "±", "neutral": "○"}
"""The sign each stance shows in its cell, so that colour is not the only way to tell stances apart."""

_VERBS = {"support": "supports", "oppose": "opposes", "mixed": "is mixed on", "neutral": "is neutral on"}


@dataclass(frozen=True)
class MatrixEntry:
    """One position in a cell: its list item's key, its stance, and the sentence a hover or reader says."""

    key: str
    stance: str
    sign: str
    label: str


@dataclass(frozen=True)
class MatrixColumn:
    """A topic some position is about."""

    id: str
    label: str


@dataclass(frozen=True)
class MatrixRow:
    """An actor with its cells, one per column, in column order; an empty cell is no position."""

    id: str
    name: str
    hue: float | None
    cells: tuple[tuple[MatrixEntry, ...], ...]


@dataclass(frozen=True)
class Matrix:
    """The actor x topic matrix of one article."""

    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]


def position_matrix(
    extraction: ArticleExtraction,
    key: Callable[[str], str],
    *,
    names: Mapping[str, str],
    hues: Mapping[str, float],
    located: Container[str] = (),
) -> Matrix | None:
    """The matrix of ``extraction``'s positions, or None when it has none.

    Args:
        extraction: The article's extraction (its actors, topics and positions).
        key: The page-wide key of a position's list item, from the position's id.
        names: Actor names by id, as the rest of the page shows them.
        hues: Actor colours by id.
        located: The keys with a span in the text; a cell whose position has none says so.
    """
    if not extraction.positions:
        return None
    held = Counter(position.actor_id for position in extraction.positions)
    by_pair: dict[tuple[str, str], list[PolicyPosition]] = {}
    for position in extraction.positions:
        by_pair.setdefault((position.actor_id, position.topic_id), []).append(position)
    # Columns keep the extraction's topic order; the busiest actors go on top, where a reader starts.
    columns = tuple(
        MatrixColumn(topic.id, topic.label)
        for topic in extraction.topics
        if any(position.topic_id == topic.id for position in extraction.positions)
    )
    actors = sorted(held, key=lambda actor_id: (-held[actor_id], names.get(actor_id, actor_id).casefold()))
    rows = []
    for actor_id in actors:
        name = names.get(actor_id, actor_id)
        cells = []
        for column in columns:
            entries = []
            # One actor rarely holds two positions on one topic; when it does, both stay clickable.
            for position in by_pair.get((actor_id, column.id), []):
                item = key(position.id)
                label = f"{name} {_VERBS[position.stance]} {column.label}"
                if item not in located:
                    label += " (not located in text)"
                entries.append(MatrixEntry(item, position.stance, STANCE_SIGNS[position.stance], label))
            cells.append(tuple(entries))
        rows.append(MatrixRow(actor_id, name, hues.get(actor_id), tuple(cells)))
    return Matrix(columns, tuple(rows))
