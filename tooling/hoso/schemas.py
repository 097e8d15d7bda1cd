"""JSON Schemas for editors and CI, generated from the models.

pydantic emits JSON Schema 2020-12; editors (yaml-language-server) validate with draft-07
semantics. ``to_draft7`` rewrites the few constructs that differ: ``$defs`` becomes
``definitions`` and a ``$ref`` with sibling keywords (ignored by draft-07) is wrapped in
``allOf`` so the description still shows. English titles derived from field names are dropped:
users read the Vietnamese descriptions.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from hoso.models import KIND_LABELS, RECORD_MODELS
from hoso.models.governance import CommitteesFile, PolicyFile, SettingsFile, UnitsFile

DRAFT7 = "http://json-schema.org/draft-07/schema#"

GOVERNANCE_MODELS: dict[str, type[BaseModel]] = {
    "units": UnitsFile,
    "committees": CommitteesFile,
    "policy": PolicyFile,
    "settings": SettingsFile,
}

TITLES = {
    **KIND_LABELS,
    "units": "Cây tổ chức đảng",
    "committees": "Các tập thể lãnh đạo và thành viên",
    "policy": "Quy tắc phê duyệt",
    "settings": "Cấu hình của tỉnh",
}


def schema_models() -> dict[str, type[BaseModel]]:
    """File stem in ``schemas/`` to model, for records and governance files alike."""
    return {**RECORD_MODELS, **GOVERNANCE_MODELS}


def schema_filename(name: str) -> str:
    return f"{name}.schema.json"


def build(name: str) -> dict[str, Any]:
    model = schema_models()[name]
    schema = to_draft7(model.model_json_schema(by_alias=True, schema_generator=_Described))
    return {"$schema": DRAFT7, "$id": schema_filename(name), "title": TITLES[name], **schema}


class _Described(GenerateJsonSchema):
    """Field descriptions from the attribute docstrings of the models.

    Read here, once per module, rather than by pydantic at every import
    (``use_attribute_docstrings``), which costs a validation run a tenth of a second.
    """

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        docs = attribute_docstrings(schema["cls"])
        fields = schema["cls"].model_fields
        for name, info in fields.items():
            prop = json_schema.get("properties", {}).get(info.alias or name)
            if prop is not None and name in docs and "description" not in prop:
                prop["description"] = docs[name]
        return json_schema


def attribute_docstrings(cls: type[Any]) -> dict[str, str]:
    """``{field: docstring}`` for the string literal that follows each annotated attribute in
    the class body, as in ``name: str`` then ``\"\"\"Họ và tên.\"\"\"``; inherited fields too."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        found.update(_module_docstrings(klass.__module__).get(klass.__qualname__, {}))
    return found


@cache
def _module_docstrings(module: str) -> dict[str, dict[str, str]]:
    loaded = sys.modules.get(module)
    try:
        tree = ast.parse(inspect.getsource(loaded)) if loaded else None
    except (OSError, TypeError):
        tree = None
    classes: dict[str, dict[str, str]] = {}
    for node in tree.body if tree else []:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = classes.setdefault(node.name, {})
        for first, second in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(first, ast.AnnAssign)
                and isinstance(first.target, ast.Name)
                and isinstance(second, ast.Expr)
                and isinstance(second.value, ast.Constant)
                and isinstance(second.value.value, str)
            ):
                docs[first.target.id] = inspect.cleandoc(second.value.value)
    return classes


def to_draft7(node: Any) -> Any:
    if isinstance(node, list):
        return [to_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title":
            continue
        if key == "$defs":
            out["definitions"] = {name: to_draft7(sub) for name, sub in value.items()}
        elif key == "$ref":
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key in ("properties", "definitions", "patternProperties"):
            out[key] = {name: to_draft7(sub) for name, sub in value.items()}
        else:
            out[key] = to_draft7(value)
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def render(name: str) -> str:
    return json.dumps(build(name), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Drift:
    """A schema file that differs from what the models generate."""

    path: Path
    diff: str


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in schema_models():
        path = folder / schema_filename(name)
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


def check_all(folder: Path) -> list[Drift]:
    drifts = []
    for name in schema_models():
        path = folder / schema_filename(name)
        expected = render(name)
        try:
            actual = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # missing, a folder, not UTF-8: not the schema
            actual = ""
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    actual.splitlines(keepends=True),
                    expected.splitlines(keepends=True),
                    fromfile=str(path),
                    tofile=f"{path} (sinh từ mô hình)",
                )
            )
            drifts.append(Drift(path, diff))
    return drifts
