"""Tables as HTML inside the Markdown pages, so that the browser can sort and filter them
(``assets/hoso/bang.js``, bundled with the site) and the search index can leave them out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Cell:
    text: str
    """Plain text, escaped when rendered."""
    href: str | None = None
    sort: str | None = None
    """The value the column sorts by, when the text does not sort right (a dd/mm/yyyy day)."""
    raw: str | None = None
    """Ready HTML shown instead of ``text`` (a marked count)."""
    mark: str | None = None
    """A class for the cell (``hoso-tre`` for an overdue flag)."""


@dataclass(frozen=True)
class Column:
    title: str
    numeric: bool = False
    choice: bool = False
    """Offer a drop-down of this column's values above the table."""


Value = Cell | str | int


def _cell(value: Value, numeric: bool) -> str:
    cell = value if isinstance(value, Cell) else Cell(str(value))
    attributes = []
    if cell.sort is not None:
        attributes.append(f'data-sort="{escape(cell.sort)}"')
    classes = [c for c in ("hoso-so" if numeric else "", cell.mark or "") if c]
    if classes:
        attributes.append(f'class="{" ".join(classes)}"')
    body = cell.raw if cell.raw is not None else escape(cell.text)
    if cell.href:
        body = f'<a href="{escape(cell.href)}">{body}</a>'
    opening = "<td" + "".join(f" {a}" for a in attributes) + ">"
    return f"{opening}{body}</td>"


def _head(column: Column) -> str:
    numeric = ' class="hoso-so"' if column.numeric else ""
    choice = " data-choice" if column.choice else ""
    return f"<th{numeric}{choice}>{escape(column.title)}</th>"


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    *,
    label: str,
    filter: bool = True,
    search: bool = False,
    keys: Sequence[str] | None = None,
) -> str:
    """One table as a single HTML block (no blank line inside, so Markdown leaves it alone).
    ``label`` names it for screen readers and the filter box; tables are left out of the
    search index unless ``search``. ``keys`` are more words per row that the filter matches
    (the units a case lies within), not shown."""
    head = "".join(_head(c) for c in columns)
    body = "".join(
        (f'<tr data-loc="{escape(keys[n])}">' if keys else "<tr>")
        + "".join(_cell(value, column.numeric) for value, column in zip(row, columns, strict=True))
        + "</tr>"
        for n, row in enumerate(rows)
    )
    flags = " data-hoso-bang" + (" data-hoso-loc" if filter else "")
    exclude = "" if search else " data-search-exclude"
    return (
        f'<div class="hoso-bang"{exclude}><table{flags} aria-label="{escape(label)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )
