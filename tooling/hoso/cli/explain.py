"""``hoso explain``: a case kind's workflow in words or as a Mermaid diagram."""

from __future__ import annotations

import click

from hoso import explain, labels
from hoso.cli import options
from hoso.cli.values import coded
from hoso.errors import UsageError
from hoso.rules.workflow import WORKFLOWS


@click.command("explain")
@click.argument("kind", type=coded("kind", "LOẠI"))
@options.output("text", "markdown", "mermaid")
def command(kind: str, fmt: str) -> int:
    """Giải thích quy trình của loại hồ sơ LOẠI (mã hoặc tên, ví dụ 'kết nạp'): các bước, ai
    thực hiện, phải ghi gì (tùy chọn nào), thời hạn, và mọi giá trị của các tùy chọn."""
    if fmt == "mermaid" and kind not in WORKFLOWS:
        raise UsageError(f"hồ sơ {labels.kind(kind)} không có quy trình nhiều bước để vẽ sơ đồ")
    render = {"text": explain.text, "markdown": explain.markdown, "mermaid": explain.mermaid}
    click.echo(render[fmt](kind), nl=False)
    return 0
