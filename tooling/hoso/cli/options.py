"""Options that several verbs share, said once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from hoso.cli.values import PathType

F = TypeVar("F", bound=Callable[..., Any])

repo = click.option(
    "--repo",
    type=PathType(file_okay=False, path_type=Path),
    help="Thư mục gốc của kho hồ sơ (mặc định: tìm từ thư mục hiện tại).",
)


def output(*choices: str) -> Callable[[F], F]:
    """``--format`` with the given choices, the first being the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help="Dạng kết quả.",
    )
