"""Tidy tables from extractions: one row per object, ids linking them, ``article_id`` on every row.

The columns follow the output models (:mod:`schemas`), so a field added there becomes a column here:

- ``articles``: one row per article: the envelope's fields, ``provenance_*`` flattened, and ``outlet``
  (the host of ``url``, without ``www.``);
- one table per list of objects in an extraction (``actors``, ``claims``, ``positions``, and ``topics``
  when the schema has them): the object's id as ``<singular>_id``, its other fields, spans flattened
  into ``<field>_start``, ``<field>_end``, ``<field>_text``, ``<field>_alignment``;
- one table per list of spans (``mentions``, ``evidence``), with the id of the object each belongs to
  (``actor_id``; ``claim_id`` or ``position_id``);
- one link table per list of ids (``position_claims``: ``position_id``, ``claim_id``);
- ``errors``: the batch's error records (``article_id``, the input's id or empty, ``line``, ``type``,
  ``message``, ``attempts``).

Other lists and dicts (``provenance_prompts``, ``provenance_warnings``) are JSON text.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel

from extractor.batch.records import ErrorRecord
from schemas import ArticleExtraction, Span

__all__ = ["ColumnType", "Table", "error_rows", "extraction_rows", "table_layout"]

ColumnType = Literal["string", "int", "float", "bool", "date", "json"]
Rows = dict[str, list[dict[str, Any]]]


@dataclass
class Table:
    """A table's name and typed columns."""

    name: str
    columns: dict[str, ColumnType] = field(default_factory=dict)


@dataclass(frozen=True)
class _Child:
    """A list field of an object table that becomes rows of its own table."""

    field: str
    table: str
    kind: Literal["spans", "ids"]
    target: str = ""


def _unwrap(annotation: Any) -> tuple[Any, Any]:
    """(origin, args) of an annotation with ``None`` taken out of unions."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrap(rest[0]) if len(rest) == 1 else (str, ())
    return origin or annotation, typing.get_args(annotation)


def _scalar(annotation: Any) -> ColumnType:
    kind, _ = _unwrap(annotation)
    if kind is bool:
        return "bool"
    if kind is int:
        return "int"
    if kind is float:
        return "float"
    if kind is date:
        return "date"
    if kind in (list, dict):
        return "json"
    return "string"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    kind, _ = _unwrap(annotation)
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def _list_item(annotation: Any) -> Any | None:
    kind, args = _unwrap(annotation)
    return args[0] if kind is list and args else None


def _flat_columns(
    model: type[BaseModel], prefix: str = "", skip: frozenset[str] = frozenset()
) -> dict[str, ColumnType]:
    columns: dict[str, ColumnType] = {}
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        nested = _model_in(info.annotation)
        if nested is not None:
            columns.update(_flat_columns(nested, f"{prefix}{name}_"))
        else:
            columns[f"{prefix}{name}"] = _scalar(info.annotation)
    return columns


def _singular(table: str) -> str:
    return table[:-1] if table.endswith("s") else table


@dataclass
class _Layout:
    tables: dict[str, Table]
    objects: dict[str, tuple[type[BaseModel], list[_Child]]]
    article_skip: frozenset[str]


def _layout(root: type[BaseModel] = ArticleExtraction) -> _Layout:
    tables = {"articles": Table("articles", {"article_id": "string", "outlet": "string"})}
    objects: dict[str, tuple[type[BaseModel], list[_Child]]] = {}
    span_columns = _flat_columns(Span)
    skip: set[str] = set()
    span_tables: list[Table] = []
    for name, info in root.model_fields.items():
        item = _list_item(info.annotation)
        model = _model_in(item) if item is not None else None
        if model is None:
            continue
        skip.add(name)
        owner = f"{_singular(name)}_id"
        tables[name] = Table(name)
        children: list[_Child] = []
        for child_name, child_info in model.model_fields.items():
            child_item = _list_item(child_info.annotation)
            if child_item is None:
                continue
            if _model_in(child_item) is Span:
                children.append(_Child(child_name, child_name, "spans"))
                if child_name not in tables:
                    tables[child_name] = Table(child_name, {"article_id": "string"})
                    span_tables.append(tables[child_name])
                tables[child_name].columns[owner] = "string"
            elif child_item is str and child_name.endswith("_ids"):
                target = child_name.removesuffix("_ids")
                link = f"{_singular(name)}_{target}s"
                children.append(_Child(child_name, link, "ids", f"{target}_id"))
                tables[link] = Table(
                    link, {"article_id": "string", owner: "string", f"{target}_id": "string"}
                )
        objects[name] = (model, children)
        columns: dict[str, ColumnType] = {"article_id": "string", owner: "string"}
        columns.update(_flat_columns(model, skip=frozenset({"id", *(child.field for child in children)})))
        tables[name].columns = columns
    article_skip = frozenset(skip)
    tables["articles"].columns.update(_flat_columns(root, skip=article_skip))
    for table in span_tables:
        table.columns.update(span_columns)
    tables["errors"] = Table(
        "errors",
        {"article_id": "string", "line": "int", "type": "string", "message": "string", "attempts": "int"},
    )
    return _Layout(tables, objects, article_skip)


_LAYOUT = _layout()


def table_layout(root: type[BaseModel] | None = None) -> dict[str, Table]:
    """Every table an export writes, with its typed columns, in writing order.

    Args:
        root: The extraction model to lay out (default :class:`~schemas.ArticleExtraction`).
    """
    return _LAYOUT.tables if root is None else _layout(root).tables


def _flatten(data: dict[str, Any], columns: dict[str, ColumnType], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and key not in columns:
            flat.update(_flatten(value, columns, f"{key}_"))
        elif columns.get(key) == "json":
            flat[key] = json.dumps(value, ensure_ascii=False, default=str)
        elif key in columns:
            flat[key] = value
    return flat


def outlet(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``, lower-cased; None without a URL."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.") or None


def extraction_rows(extraction: ArticleExtraction) -> Rows:
    """The rows of one extraction, by table name."""
    tables = _LAYOUT.tables
    article_id = extraction.article_id
    data = extraction.model_dump(mode="python")
    rows: Rows = {name: [] for name in tables}
    article = _flatten(
        {k: v for k, v in data.items() if k not in _LAYOUT.article_skip}, tables["articles"].columns
    )
    rows["articles"].append({"article_id": article_id, "outlet": outlet(extraction.url), **article})
    for name, (_, children) in _LAYOUT.objects.items():
        owner = f"{_singular(name)}_id"
        nested = {child.field for child in children}
        for item in data.get(name) or []:
            own = {k: v for k, v in item.items() if k != "id" and k not in nested}
            rows[name].append(
                {"article_id": article_id, owner: item["id"], **_flatten(own, tables[name].columns)}
            )
            for child in children:
                for value in item.get(child.field) or []:
                    if child.kind == "spans":
                        rows[child.table].append({"article_id": article_id, owner: item["id"], **value})
                    else:
                        rows[child.table].append(
                            {"article_id": article_id, owner: item["id"], child.target: value}
                        )
    return rows


def error_rows(record: ErrorRecord) -> Iterator[dict[str, Any]]:
    """The ``errors`` row of one batch error record."""
    yield {
        "article_id": record.id,
        "line": record.line,
        "type": record.type,
        "message": record.message,
        "attempts": record.attempts,
    }
