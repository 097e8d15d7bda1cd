"""``hoso explain``: a case kind's workflow in words or as a Mermaid diagram."""

from __future__ import annotations

from collections.abc import Mapping

import click

from hoso import explain, labels
from hoso.cli import options
from hoso.cli.values import coded
from hoso.errors import UsageError
from hoso.repo import find_root
from hoso.rules.rulesets import Override
from hoso.rules.workflow import WORKFLOWS
from hoso.validate.governance_files import load_governance


@click.command("explain")
@click.argument("kind", type=coded("kind", "LOẠI"))
@options.output("text", "markdown", "mermaid")
def command(kind: str, fmt: str) -> int:
    """Giải thích quy trình của loại hồ sơ LOẠI (mã hoặc tên, ví dụ 'kết nạp'): các bước, ai
    thực hiện, phải ghi gì (tùy chọn nào), thời hạn, và mọi giá trị của các tùy chọn."""
    if fmt == "mermaid" and kind not in WORKFLOWS:
        raise UsageError(f"hồ sơ {labels.kind(kind)} không có quy trình nhiều bước để vẽ sơ đồ")
    if fmt == "mermaid":
        click.echo(explain.mermaid(kind), nl=False)
        return 0
    overrides = _province_values()
    if fmt == "markdown":
        click.echo(explain.markdown(kind, overrides=overrides), nl=False)
    else:
        click.echo(explain.text(kind, overrides), nl=False)
    return 0


def _province_values() -> Mapping[str, Override]:
    """The values the province of the records repository here set for "check" rules (none
    outside a repository): the guidance states what the validator applies."""
    try:
        root = find_root()
    except UsageError:
        return {}
    governance, _ = load_governance(root)
    return governance.settings.rule_overrides if governance.settings else {}
