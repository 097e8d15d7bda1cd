"""The quick block-style reader either defers to libyaml or agrees with it exactly."""

from __future__ import annotations

import random
from typing import Any

import pytest

from conftest import ROOT
from hoso import yamlfast, yamlio
from hoso.repo import record_files

_TRICKY_VALUES = [
    "0x1F",
    "0o17",
    "1_000",
    "012",
    "+1",
    "-5",
    "-.5",
    ".5",
    "1.",
    "1e3",
    "1E-3",
    ".inf",
    "-.Inf",
    ".NaN",
    "nan",
    "inf",
    "True",
    "TRUE",
    "tRUE",
    "yes",
    "no",
    "on",
    "~",
    "null",
    "Null",
    "nULL",
    "2019-05-02",
    "10:30",
    "a:b",
    "a: b",
    "a:",
    "a #b",
    "a#b",
    "C#",
    "- x",
    "-",
    "--",
    "?",
    "? a",
    ":",
    ":a",
    "@a",
    "`a`",
    "%a",
    "!a",
    "!!str 1",
    "&a x",
    "*a",
    "|",
    ">",
    "[1, 2]",
    "{a: 1}",
    "a, b",
    "a]",
    "'q'",
    "'q''s'",
    "'q",
    '"d"',
    '"d\\n"',
    '"d',
    "''",
    '""',
    "é",
    "Mùa Văn Tùng",
    "a\u2028b",
    "a\x85b",
    "a\tb",
    "a\u00a0b",
    "\ufeffa",
    "a ",
    "...",
    "---",
    "'a' # c",
    "x 'y' z",
]
_TRICKY_LINES = [
    "",
    "# c",
    "  # c",
    "\t",
    "---",
    "...",
    "%YAML 1.2",
    "- x",
    "  - x",
    "-",
    "- - x",
    "-  x",
    "? a",
    ": b",
    "a:b",
    "a : b",
    "true: 1",
    "null: 1",
    "1: a",
    "'k': v",
    "k: &a",
    "k: *a",
    "k: |",
    "  continued",
    "k:",
    "    deep: 1",
    "status: x",
    "status: y",
    "\r",
    "k: [",
]


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (``True == 1`` does not count)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b or (a != a and b != b))


def _agrees(text: str) -> None:
    quick = yamlfast.load(text)
    if quick is not None:
        strict = yamlio.load_strict(text)
        assert _same(quick, strict), f"{text!r}: {quick!r} != {strict!r}"


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        choice = rng.random()
        if choice < 0.4 and ": " in lines[at]:
            head = lines[at].split(": ", 1)[0]
            lines[at] = f"{head}: {rng.choice(_TRICKY_VALUES)}"
        elif choice < 0.6:
            lines.insert(at, rng.choice(_TRICKY_LINES))
        elif choice < 0.8:
            lines[at] = " " * rng.randint(0, 3) + lines[at]
        elif choice < 0.9:
            lines[at] = lines[at].lstrip(" ")
        else:
            del lines[at]
    return "\n".join(lines)


def test_every_sample_record_takes_the_quick_path_and_agrees() -> None:
    paths = list(record_files(ROOT))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        quick = yamlfast.load(text)
        assert quick is not None, path
        assert _same(quick, yamlio.load_strict(text)), path


@pytest.mark.parametrize("value", _TRICKY_VALUES)
def test_tricky_scalars_agree_or_defer(value: str) -> None:
    for text in (f"k: {value}\n", f"k:\n- {value}\n", f"a:\n  k: {value}\n  z: 1\n"):
        _agrees(text)


def test_thousands_of_mutated_records_agree_or_defer() -> None:
    rng = random.Random(63)
    texts = [p.read_text(encoding="utf-8") for p in sorted(record_files(ROOT))[:60]]
    deferred = 0
    for n in range(4000):
        text = _mutate(texts[n % len(texts)], rng)
        _agrees(text)
        deferred += yamlfast.load(text) is None
    # Both sides of the property are exercised: many variants defer, many are read quickly.
    assert 400 < deferred < 3600


def test_refused_texts_always_defer() -> None:
    for text in (
        "a: 1\na: 2\n",
        "a: &x 1\nb: *x\n",
        "a: !t 1\n",
        "a: [1]\n",
        "- a\n",
        "a: b: c\n",
        "a:\n  - x\n  b: y\n",
        "a:\tb\n",
        "a: x\n  y\n",
    ):
        assert yamlfast.load(text) is None, text


def test_lines_are_remembered_in_two_bounded_generations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lines met again are read from memory whenever they come back while the young or the
    old generation holds them; at most two generations are held; and what is remembered
    never changes what a text reads as."""
    monkeypatch.setattr(yamlfast, "_GENERATION", 8)
    monkeypatch.setattr(yamlfast, "_SPLIT", yamlfast._Remembered())
    monkeypatch.setattr(yamlfast, "_LINES", yamlfast._Remembered())
    split = yamlfast._split
    fresh: list[str] = []

    def counted(raw: str) -> Any:
        fresh.append(raw)
        return split(raw)

    monkeypatch.setattr(yamlfast, "_split", counted)
    common = "kind: admission\nstatus: listed\n"
    for n in range(40):
        text = f"{common}id: X-{n}\nnote: n{n}\n"
        _agrees(text)
        assert len(yamlfast._SPLIT) <= 2 * 8 and len(yamlfast._LINES) <= 2 * 8
    # The two lines every text shares were read once, not once per text.
    assert fresh.count("kind: admission") == 1 and fresh.count("status: listed") == 1
    assert fresh.count("id: X-7") == 1


@pytest.mark.parametrize("generation", [1, 2, 7])
def test_tiny_generations_never_change_what_a_text_reads_as(
    generation: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Generations swapping in the middle of a text change nothing that is read."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(record_files(ROOT))[:40]]
    rng = random.Random(5)
    variants = []
    for n in range(300):
        lines = rng.choice(texts).split("\n")
        if n % 5 == 0:
            rng.shuffle(lines)
        variants.append("\n".join(lines))
    expected = [yamlfast.load(text) for text in variants]
    for name in ("_SPLIT", "_LINES"):
        monkeypatch.setattr(yamlfast, name, yamlfast._Remembered())
    monkeypatch.setattr(yamlfast, "_GENERATION", generation)
    for text, before in zip(variants, expected, strict=True):
        assert yamlfast.load(text) == before
        assert len(yamlfast._SPLIT) <= 2 * generation
        assert len(yamlfast._LINES) <= 2 * generation
