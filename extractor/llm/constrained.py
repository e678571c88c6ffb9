"""A response model narrowed to one request's choices without building a new pydantic class.

The pipeline's decisions are closed: a speaker is one of the actor ids found in *this* article, a name
kind answers exactly the names asked. Spelling those choices as ``Literal`` types meant a pydantic class
per article (about 2 ms each), then instructor's wrapper class and JSON schema for it (about 5 ms more):
the largest share of claimscope's CPU per request. :class:`Constrained` keeps one cached class per
decision and carries the choices beside it:

- the JSON schema sent to the model is the class's schema with the choices written in, exactly what the
  per-article ``Literal`` class produced (so constrained decoding and recorded cassettes are unchanged);
- validation passes the choices as pydantic validation context, which the class's validator checks.

The LLM door accepts a :class:`Constrained` wherever it accepts a response model class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel

__all__ = ["Constrained", "ResponseSpec", "choice_schema", "copy_json", "spec_model"]

ModelT = TypeVar("ModelT", bound=BaseModel, covariant=True)
JsonT = TypeVar("JsonT")


@dataclass(frozen=True, eq=False)
class Constrained(Generic[ModelT]):
    """A cached response ``model``, its per-request JSON ``schema``, and the ``context`` that validates it.

    It answers the parts of the pydantic class interface the door, the fakes and the tests use
    (``__name__``, ``model_json_schema``, ``model_validate``, ``model_validate_json``). Hashed by
    identity: two requests never share one.
    """

    model: type[ModelT]
    schema: Mapping[str, Any]
    context: Mapping[str, Any]

    @property
    def __name__(self) -> str:  # noqa: A003 - the name instructor reports to the provider
        """The model's class name (the ``json_schema.name`` sent to the provider)."""
        return self.model.__name__

    def model_json_schema(self) -> dict[str, Any]:
        """A copy of the narrowed schema (it goes into a request body, which is not ours to share)."""
        return copy_json(dict(self.schema))

    def model_validate(self, obj: Any) -> ModelT:
        """Validate a Python object against the model and the choices."""
        return self.model.model_validate(obj, context=dict(self.context))

    def model_validate_json(self, data: str | bytes) -> ModelT:
        """Validate JSON text against the model and the choices."""
        return self.model.model_validate_json(data, context=dict(self.context))


ResponseSpec = type[ModelT] | Constrained[ModelT]
"""What a request asks for: a response model class, or one narrowed by :class:`Constrained`."""


def spec_model(spec: ResponseSpec[ModelT]) -> type[ModelT]:
    """The pydantic class behind a response spec."""
    return spec.model if isinstance(spec, Constrained) else spec


def choice_schema(values: tuple[str, ...], title: str) -> dict[str, Any]:
    """The JSON schema pydantic writes for ``Literal[values]`` on a field titled ``title``."""
    if len(values) == 1:
        return {"const": values[0], "title": title, "type": "string"}
    return {"enum": list(values), "title": title, "type": "string"}


def copy_json(value: JsonT) -> JsonT:
    """``copy.deepcopy`` for JSON-shaped data (dicts and lists of plain values), at a fraction of its cost."""
    return cast(JsonT, _copy(value))


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value  # str, int, float, bool, None: immutable, shared as deepcopy shares them
