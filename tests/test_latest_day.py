"""The latest day standing alone in a record's text (the quick filter before the future-date
check) equals what the plain look-behind pattern finds, on generated texts."""

from __future__ import annotations

import random
import re

from hoso.validate.record import _latest_day

_REFERENCE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
_PIECES = ["2019-05-02", "2031-12-31", "٢٠١٩-٠٥-٠٢", "1", "9", "-", "x", " ", "\n", "٣", "12"]
_PIECES += ["-0", "05-02", "2019-05", "0-1", "ngày "]


def test_latest_day_agrees_with_the_reference_pattern() -> None:
    rng = random.Random(2019)
    found = 0
    for _ in range(50_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8)))
        expected = max(_REFERENCE.findall(text), default="")
        assert _latest_day(text) == expected, text
        found += expected != ""
    assert found > 1_000  # days standing alone do occur, not only texts without one
