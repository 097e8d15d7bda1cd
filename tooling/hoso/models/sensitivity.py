"""The one mechanism that says which fields are personal or confidential.

Fields carry ``json_schema_extra={"x-hoso-sensitivity": ...}`` (see ``common.CONFIDENTIAL`` and
``common.PERSONAL``); this module walks a model and lists them, so that the site, the reports and
their self-checks all ask the same question the same way.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from hoso.models.common import SENSITIVITY_KEY

Sensitivity = Literal["personal", "confidential"]
FieldPath = tuple[str, ...]
"""A path through a record; ``"*"`` stands for every item of a list."""


@cache
def sensitive_fields(model: type[BaseModel]) -> dict[FieldPath, Sensitivity]:
    """Every personal or confidential field reachable from ``model``."""
    found: dict[FieldPath, Sensitivity] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        level = extra.get(SENSITIVITY_KEY)
        if level == "confidential":
            found[(name,)] = "confidential"
            continue  # the whole value is withheld, so its parts need no mark of their own
        if level == "personal":
            found[(name,)] = "personal"
        for suffix, nested in _nested_models(info.annotation):
            for path, inner in sensitive_fields(nested).items():
                found[(name, *suffix, *path)] = inner
    return found


def _nested_models(
    annotation: Any, suffix: FieldPath = ()
) -> Iterator[tuple[FieldPath, type[BaseModel]]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield suffix, annotation
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _nested_models(get_args(annotation)[0], suffix)
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _nested_models(arg, suffix)
    elif origin is list:
        yield from _nested_models(get_args(annotation)[0], (*suffix, "*"))


def values_at(data: Any, path: FieldPath) -> Iterator[Any]:
    """The values found at ``path`` in plain data (dicts and lists), skipping absent ones."""
    if not path:
        if data is not None:
            yield data
        return
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(data, list):
        for item in data:
            yield from values_at(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest)


def leaf_strings(value: Any) -> Iterator[str]:
    """Every scalar inside ``value`` as text, for leak checks on generated output."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaf_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaf_strings(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)
