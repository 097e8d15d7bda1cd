"""Arguments typed in a terminal that does not write UTF-8.

Python hands such bytes over as lone surrogates (``'\\udcf2'`` for the byte 0xF2): they cannot
be written to a record, nor matched with any value. A text option or argument holding one is
refused before the command runs, naming the byte. Paths are left alone (options of path type,
and a path given where a case id may be): a file may well be named in another encoding, and
the operating system takes the bytes back as they were."""

from __future__ import annotations

import re

import click

_ESCAPED = re.compile("[\udc80-\udcff]")


def first_byte(text: str) -> int | None:
    """The first byte of ``text`` that was not UTF-8, or None."""
    found = _ESCAPED.search(text)
    return ord(found.group()) - 0xDC00 if found else None


def refuse_undecodable(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """A usage error naming the first text parameter of ``command`` given bytes that are not
    UTF-8 in ``args``; nothing when there are none (or the arguments do not parse: the
    command's own parsing says why)."""
    if not any(_ESCAPED.search(arg) for arg in args):
        return
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except click.UsageError:
        return
    for param in command.get_params(ctx):
        if isinstance(param.type, click.Path) or param.name is None:
            continue
        value = opts.get(param.name)
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and ("/" in text or text.endswith(".yaml")):
                continue  # a path given where a case id may be: the file's name as it is
            byte = first_byte(text) if isinstance(text, str) else None
            if byte is not None:
                raise click.BadParameter(
                    f"không phải văn bản UTF-8 (byte 0x{byte:02X}); "
                    "hãy đặt bảng mã của cửa sổ lệnh là UTF-8",
                    ctx=ctx,
                    param=param,
                )
