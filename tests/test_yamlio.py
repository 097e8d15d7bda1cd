"""The one loading policy, and the round-trip that edits without disturbing a byte."""

from __future__ import annotations

import pytest

from hoso import yamlio


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: no\n", {"a": "no"}),
        ("a: 2019-05-02\n", {"a": "2019-05-02"}),
        ("a: 1:20\n", {"a": "1:20"}),
        ("a: true\nb: 012\nc: 1.5\nd: ~\n", {"a": True, "b": 12, "c": 1.5, "d": None}),
        ("a: !!str 12\n", {"a": "12"}),
        ("<<: {b: 1}\n", {"<<": {"b": 1}}),
    ],
)
def test_scalars_resolve_the_yaml_1_2_way(text: str, value: object) -> None:
    assert yamlio.load_text(text) == value


@pytest.mark.parametrize(
    ("text", "rule", "line", "column"),
    [
        ("a: 1\na: 2\n", "yaml.duplicate_key", 2, 1),
        ("a: &x 1\nb: *x\n", "yaml.alias", 2, 4),
        ("a: *nothing\n", "yaml.alias", 1, 4),
        ("a: !custom 1\n", "yaml.tag", 1, 4),
        ("a: !!python/object:os.system 1\n", "yaml.tag", 1, 4),
        ("a: !!binary aGk=\n", "yaml.tag", 1, 4),
        ("a:\n\tb: 1\n", "yaml.tab", 2, 1),
        ("a: 1\n---\nb: 2\n", "yaml.documents", 2, 1),
        ("? [a, b]\n: 1\n", "yaml.key", 1, 3),
        ("a: [1,\n", "yaml.syntax", 2, 1),
    ],
)
def test_policy_refusals_carry_a_position(text: str, rule: str, line: int, column: int) -> None:
    found = yamlio.load_text(text)
    assert isinstance(found, yamlio.YamlProblem), found
    assert (found.rule, found.line, found.column) == (rule, line, column), found
    assert any(ord(c) > 127 for c in found.message), found.message


def test_locate_points_at_values_and_keys() -> None:
    text = "a:\n  b:\n    - x: 1\n    - x: 2\n"
    assert yamlio.locate(text, ("a", "b", 1, "x")) == (4, 10)
    assert yamlio.locate(text, ("a", "b", 1, "x"), key=True) == (4, 7)
    assert yamlio.locate("top: 1\na:\n  b: 2\n", ("a", "missing")) == (2, 1)
    assert yamlio.locate("[broken", ("a",)) == (1, 1)


def test_write_atomic_replaces_whole_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "a" / "b.yaml"
    yamlio.write_atomic(target, "x: 1\n")
    yamlio.write_atomic(target, "x: 2\n")
    assert target.read_text() == "x: 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["b.yaml"]
