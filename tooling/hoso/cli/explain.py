"""``hoso explain``: a case kind's workflow in words or as a Mermaid diagram."""

from __future__ import annotations

import click

from hoso import explain
from hoso.cli import options
from hoso.rules.workflow import WORKFLOWS


@click.command("explain")
@click.argument("kind", type=click.Choice(sorted(WORKFLOWS)))
@options.output("text", "markdown", "mermaid")
def command(kind: str, fmt: str) -> int:
    """Giải thích quy trình của một loại hồ sơ: các bước, ai thực hiện, phải ghi gì, thời hạn."""
    render = {"text": explain.text, "markdown": explain.markdown, "mermaid": explain.mermaid}
    click.echo(render[fmt](kind), nl=False)
    return 0
