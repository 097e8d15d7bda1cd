"""Structural mutants of the sample records: validation never fails unexpectedly (exit 3), and
its work stays bounded: each file is parsed a fixed number of times however many findings it
has, and the working-day calendar is asked a number of times linear in the file's size.

Seeded (``derandomize``) and bounded in examples, so a CI run is the same every time.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AS_OF, ROOT, TempRepo
from hoso import textedit, yamlio, yamllib
from hoso.cli.main import main
from hoso.rules.calendar import Calendar

KINDS = ("admission", "screening", "discipline", "transfer", "exemption")
SOURCES = [
    (path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
    for kind in KINDS
    for path in sorted((ROOT / "cases").glob(f"*/{kind}/*.yaml"))[:2]
]
BIG = "BIGNUMBERMARK"
"""Stands for an integer of 5,000 digits, put into the text after dumping."""
VALUES: list[Any] = [
    None,
    {},
    [],
    "",
    0,
    -1,
    True,
    "9999-12-31",
    "0001-01-01",
    "2099-12-31",
    "1900-01-01",
    "2019-02-29",
    ".iNf",
    "a\x00b\u2028c\x1b[31m",
    BIG,
    ["admission"],
    {"1": "a", 1: "b"},
]
SETTINGS = settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=60),  # a hang guard, not a measurement: the work is counted
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _paths(data: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the data, the root's children first."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*at, key)
            yield from _paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*at, index)
            yield from _paths(value, (*at, index))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def _nested(levels: int) -> dict[str, Any]:
    out: dict[str, Any] = {"x": 1}
    for n in range(levels):
        out = {f"k{n}": out}
    return out


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, str]:
    rel, text = draw(st.sampled_from(SOURCES))
    data = copy.deepcopy(yamlio.load_text(text))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        op = draw(st.sampled_from(["value", "delete", "nest", "repeat", "rename", "swap"]))
        value = parent[path[-1]]
        if op == "value":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(VALUES)))
        elif op == "delete":
            del parent[path[-1]]
        elif op == "nest":
            parent[path[-1]] = _nested(draw(st.integers(30, 150)))
        elif op == "repeat" and isinstance(value, list):
            filler = draw(st.sampled_from([{}, None, value[-1] if value else {}]))
            value.extend(copy.deepcopy(filler) for _ in range(draw(st.integers(1, 400))))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["unknown", "kind", "id", 7]))] = parent.pop(path[-1])
        elif op == "swap":
            parent[path[-1]] = str(value) if not isinstance(value, str) else len(value)
    flow = draw(st.booleans())
    out = yaml.dump(
        data, Dumper=yamllib._Dumper, allow_unicode=True, sort_keys=False, default_flow_style=flow
    )
    out = out.replace(BIG, "7" * 5000)
    texture = draw(st.sampled_from(["plain", "crlf", "tab", "cut", "twice", "char"]))
    if texture == "crlf":
        out = out.replace("\n", "\r\n")
    elif texture == "tab" and "\n " in out:
        out = out.replace("\n ", "\n\t", 1)
    elif texture == "cut":
        out = out[: draw(st.integers(0, len(out)))]
    elif texture == "twice":
        lines = out.splitlines(keepends=True)
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        out = "".join(lines[: at + 1] + lines[at:])
    elif texture == "char":
        at = draw(st.integers(0, len(out)))
        out = (
            out[:at]
            + draw(st.sampled_from(["\x00", "\ufeff", "\u2028", "\t", "*", "&a ", "!"]))
            + out[at:]
        )
    return rel, out


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, Counter[str]]:
    """How often each text is parsed by libyaml, and how often the calendar is asked."""
    seen: dict[str, Counter[str]] = {"parses": Counter(), "workdays": Counter()}

    class Loader(yamllib._Loader):
        def __init__(self, stream: str) -> None:
            seen["parses"][stream] += 1
            super().__init__(stream)

    original = Calendar.is_workday

    def is_workday(self: Calendar, day: date) -> bool:
        seen["workdays"]["asked"] += 1
        return original(self, day)

    monkeypatch.setattr(yamllib, "_Loader", Loader)
    monkeypatch.setattr(Calendar, "is_workday", is_workday)
    return seen


@SETTINGS
@given(mutant=mutants())
def test_validation_of_a_mutant_never_fails_unexpectedly(
    repo: TempRepo,
    counted: dict[str, Counter[str]],
    capsys: pytest.CaptureFixture[str],
    mutant: tuple[str, str],
) -> None:
    rel, text = mutant
    path = repo.write(rel, text)
    counted["parses"].clear()
    counted["workdays"].clear()
    code = main(["validate", "--no-cache", "--as-of", AS_OF.isoformat(), "--repo", str(repo.root)])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Traceback" not in err
    assert out.endswith("(KHÔNG ĐẠT).\n") or code == 0
    raw = path.read_bytes().decode("utf-8", "replace")
    assert counted["parses"][raw] <= 2
    assert counted["workdays"]["asked"] <= 5000 + 20 * len(raw)
    path.unlink()


@SETTINGS
@given(mutant=mutants())
def test_an_edit_of_a_mutant_is_done_exactly_or_refused(mutant: tuple[str, str]) -> None:
    _, text = mutant
    event = {"date": date(2026, 11, 3), "state": "next_state", "body": "khe-lam-x02-bp"}
    try:
        after = textedit.append_event(text, event, "next_state")
    except textedit.CannotEdit:
        return
    before, now = yamlio.load_strict(text), yamlio.load_strict(after)
    assert isinstance(before, dict) and isinstance(now, dict)
    assert now["status"] == "next_state"
    assert now["history"] == [*before["history"], {**event, "date": "2026-11-03"}]
