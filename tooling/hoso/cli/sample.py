"""``hoso sample``: generate a fictional province for demonstrations and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from hoso.cli.values import INTEGER, WHOLE, PathType
from hoso.sample.write import generate


@click.command("sample")
@click.option(
    "--out",
    type=PathType(file_okay=False, path_type=Path),
    required=True,
    help="Thư mục đích (sẽ ghi governance/ và cases/ vào đó).",
)
@click.option(
    "--cases",
    type=WHOLE,
    default=320,
    show_default=True,
    help="Số hồ sơ vụ việc cần sinh.",
)
@click.option(
    "--seed",
    type=INTEGER,
    default=63,
    show_default=True,
    help="Hạt giống ngẫu nhiên; cùng hạt giống cho cùng kết quả.",
)
def command(out: Path, cases: int, seed: int) -> int:
    """Sinh dữ liệu mẫu hư cấu của một tỉnh: cây tổ chức, các ban, hồ sơ mọi loại và kế hoạch."""
    made = generate(out, cases, seed)
    detail = ", ".join(f"{kind}: {n}" for kind, n in sorted(made.by_kind.items()))
    click.echo(f"Đã sinh {made.cases} hồ sơ mẫu vào {out} ({detail}).")
    return 0
