"""Click's own words in Vietnamese, through gettext as click asks.

click marks its messages ("Usage:", "Missing argument", "Show this message and exit.") with
the stdlib's classic gettext API under the default domain, ``messages``. hoso ships a Vietnamese
catalogue for that domain (``data/locale/vi/LC_MESSAGES/messages.po``, compiled to the ``.mo``
beside it) and installs it when the command starts.
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "data" / "locale"
CATALOGUE = LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")
DOMAIN = "messages"
"""gettext's default domain, the one click's ``gettext``/``ngettext`` calls look in."""


def install() -> None:
    """Make click (and anything else using gettext's default domain) speak Vietnamese.

    The classic gettext API picks its language from ``LANGUAGE`` (then ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``) at each call; hoso speaks Vietnamese whatever the machine's
    locale, so it asks for Vietnamese in its own environment. Programs it starts inherit that;
    git is run with ``LC_ALL=C`` (``hoso.git``), under which GNU gettext ignores
    ``LANGUAGE``, so git's messages stay the ones hoso parses."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    os.environ["LANGUAGE"] = "vi"


def read_po(source: Path = CATALOGUE) -> dict[str, str]:
    """The entries of a ``.po`` file as gettext's ``.mo`` keeps them: a plural entry's key is
    its two forms joined by NUL, its value the forms joined by NUL; fuzzy entries are left out
    (as msgfmt does). Only what this catalogue uses is read: comments, ``msgid``,
    ``msgid_plural``, ``msgstr``, ``msgstr[N]`` and continued strings."""
    entries: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        if "msgid" in fields and not fuzzy:
            key = "".join(fields["msgid"])
            if "msgid_plural" in fields:
                key += "\0" + "".join(fields["msgid_plural"])
                forms = sorted(k for k in fields if k.startswith("msgstr["))
                value = "\0".join("".join(fields[k]) for k in forms)
            else:
                value = "".join(fields.get("msgstr", []))
            if value:
                entries[key] = value
        fields.clear()
        fuzzy = False

    for raw in source.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
            continue
        if not line:
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{source}: chuỗi không thuộc mục nào: {raw!r}")
            current.append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and any(k.startswith("msgstr") for k in fields):
            flush()
        current = fields.setdefault(keyword, [])
        current.append(ast.literal_eval(rest.strip()))
    flush()
    return entries


def compile_po(source: Path = CATALOGUE) -> bytes:
    """The ``.mo`` bytes of a ``.po`` catalogue (GNU format, little-endian, keys sorted, no
    hash table), the same bytes for the same entries."""
    entries = sorted((k.encode("utf-8"), v.encode("utf-8")) for k, v in read_po(source).items())
    count = len(entries)
    keys_at = 7 * 4
    values_at = keys_at + count * 8
    data_at = values_at + count * 8
    table_keys, table_values, blob = [], [], b""
    for key, _ in entries:
        table_keys += [len(key), data_at + len(blob)]
        blob += key + b"\0"
    for _, value in entries:
        table_values += [len(value), data_at + len(blob)]
        blob += value + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, keys_at, values_at, 0, 0)
    tables = struct.pack(f"<{4 * count}I", *table_keys, *table_values)
    return header + tables + blob


def write_compiled() -> Path:
    """Compile the catalogue to its ``.mo`` (after editing the ``.po``)."""
    COMPILED.write_bytes(compile_po())
    return COMPILED


if __name__ == "__main__":
    print(write_compiled())
