"""The committed schemas match the models, editors' draft-07 validators accept the samples and
reject wrong files, and every field explains itself in Vietnamese."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from conftest import EXAMPLES, ROOT
from hoso import schemas, yamlio
from hoso.models import RECORD_MODELS
from hoso.models.common import Subject
from hoso.models.sensitivity import sensitive_fields
from hoso.repo import record_files

SCHEMAS = ROOT / "schemas"


def _validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / schemas.schema_filename(name)).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _data(path: Path) -> Any:
    data = yamlio.load_bytes(path.read_bytes())
    assert not isinstance(data, yamlio.YamlProblem), data
    return data


def test_committed_schemas_are_current() -> None:
    assert schemas.check_all(SCHEMAS) == []


def test_check_reports_a_stale_schema(tmp_path: Path) -> None:
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    stale = tmp_path / "schemas" / "transfer.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Chuyển", "Chuyen", 1))
    drifts = schemas.check_all(tmp_path / "schemas")
    assert [d.path for d in drifts] == [stale]
    assert '-  "title": "Chuyen sinh hoạt đảng"' in drifts[0].diff


def test_draft7_accepts_every_sample_record() -> None:
    validators = {name: _validator(name) for name in RECORD_MODELS}
    checked = 0
    for path in record_files(ROOT):
        data = _data(path)
        errors = list(validators[data["kind"]].iter_errors(data))
        assert errors == [], (path, errors[0].message)
        checked += 1
    assert checked >= 300


@pytest.mark.parametrize("name", ["units", "committees", "policy", "settings"])
def test_draft7_accepts_the_governance_files(name: str) -> None:
    data = _data(ROOT / "governance" / f"{name}.yaml")
    assert list(_validator(name).iter_errors(data)) == []


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("unknown-field", "Additional properties are not allowed ('nickname' was unexpected)"),
        ("wrong-enum", "'nu' is not one of ['male', 'female']"),
        ("missing-fields", "'name' is a required property"),
        ("wrong-types", "12345678 is not valid under any of the given schemas"),
    ],
)
def test_draft7_rejects_wrong_files(example: str, expected: str) -> None:
    data = _data(EXAMPLES / "invalid" / f"{example}.yaml")
    messages = [e.message for e in _validator("admission").iter_errors(data)]
    assert expected in messages


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}.{name}", sub))
        for key, value in node.items():
            found.extend(_properties(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for item in node:
            found.extend(_properties(item, path))
    return found


@pytest.mark.parametrize("name", sorted(schemas.schema_models()))
def test_every_field_has_a_vietnamese_description(name: str) -> None:
    schema = json.loads((SCHEMAS / schemas.schema_filename(name)).read_text(encoding="utf-8"))
    fields = _properties(schema)
    assert fields
    for where, prop in fields:
        description = prop.get("description", "")
        assert description, where
        # Vietnamese text: it carries at least one letter outside ASCII.
        assert any(ord(c) > 127 for c in description), (where, description)
    for definition, sub in schema.get("definitions", {}).items():
        assert sub.get("description"), definition


def test_schema_has_no_english_titles_and_is_draft7() -> None:
    text = (SCHEMAS / "admission.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in text
    assert [w for w, p in _properties(schema) if "title" in p] == []


def test_confidential_and_personal_fields_are_marked_in_one_place() -> None:
    marks = sensitive_fields(RECORD_MODELS["exemption"])
    assert marks[("confidential",)] == "confidential"
    assert marks[("subject", "name")] == "personal"
    assert marks[("subject", "party_card")] == "personal"
    assert ("confidential", "health") not in marks  # the whole block is confidential
    admission = sensitive_fields(RECORD_MODELS["admission"])
    assert admission[("history", "*", "introducers", "*", "name")] == "personal"
    assert ("birth_date",) in sensitive_fields(Subject)


def test_sample_files_point_editors_at_their_schema() -> None:
    for path in list(record_files(ROOT))[:50]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = path.parent.name
        assert first == f"# yaml-language-server: $schema=../../../schemas/{kind}.schema.json"
        assert (path.parent / "../../../schemas" / f"{kind}.schema.json").resolve().exists()
