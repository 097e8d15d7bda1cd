"""Entry point: the command group and the exit-code policy."""

from __future__ import annotations

import errno
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from gettext import gettext
from typing import Any

import click

from hoso import i18n
from hoso.cli import process
from hoso.cli.verbs import VERBS
from hoso.errors import (
    EXIT_TERMINATED,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    HosoError,
    Terminated,
    sigterm_unwinds,
)

process.skip_plugin_discovery()


class _Verbs(dict[str, click.Command]):
    """The verbs, each imported when it is used: ``hoso --help`` and a one-file
    ``hoso validate`` import neither every model nor the forms server."""

    def _load(self, name: str) -> click.Command:
        if not dict.__contains__(self, name):
            module, attribute, _ = VERBS[name]
            command = getattr(importlib.import_module(module), attribute)
            _frame(command)
            dict.__setitem__(self, name, command)
        return dict.__getitem__(self, name)

    def __getitem__(self, name: str) -> click.Command:
        if name not in VERBS:
            raise KeyError(name)
        return self._load(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._load(name) if name in VERBS else default

    def __contains__(self, name: object) -> bool:
        return name in VERBS

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(VERBS))

    def __len__(self) -> int:
        return len(VERBS)

    def keys(self) -> Any:
        return list(self)

    def items(self) -> Any:
        return [(name, self._load(name)) for name in self]

    def values(self) -> Any:
        return [self._load(name) for name in self]


def summary(text: str, limit: int) -> str:
    """The one-line summary click would show of a command with this help."""
    return click.Command("_", help=text).get_short_help_str(limit)


class PipeClosed(Exception):
    """Whoever reads our output stopped reading (``hoso list | head -1``). Not an ``OSError``:
    click's own handling of a closed pipe would end the command with exit status 1, which
    means "findings"."""


class OutputLost(Exception):
    """Our output could not be written (``hoso list > out.txt`` on a full disk): what was
    printed is incomplete. ``reason`` says why, in Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_LOST = {
    errno.ENOSPC: "đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng đĩa",
    errno.EFBIG: "tệp vượt quá giới hạn kích thước tệp của tiến trình (ulimit -f)",
    errno.EIO: "lỗi ghi đĩa",
}
"""Why a write to our output can fail other than a closed pipe, in Vietnamese."""


def _on_stdout(exc: OSError) -> bool:
    """Whether ``exc`` was raised writing to our standard output: by click's ``echo`` writing
    to it, or by the final flush in ``_run``."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    frame = tb.tb_frame
    if frame.f_code is _run.__code__:
        return True
    stream = frame.f_locals.get("file") if frame.f_code.co_name == "echo" else None
    try:
        return stream is not None and stream.fileno() == sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return False


@contextmanager
def _pipe_closed() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise PipeClosed from None
        if exc.errno in _LOST and _on_stdout(exc):
            raise OutputLost(_LOST[exc.errno]) from None
        raise


class _Group(click.Group):
    """Lists the verbs from ``VERBS`` without importing them."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _pipe_closed():  # --help and --version write while the options are read
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _pipe_closed():
            return super().invoke(ctx)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not ctx.resilient_parsing:  # not while completing
            from hoso.cli import argbytes

            sub = click.Context(command, info_name=name, parent=ctx)
            argbytes.refuse_undecodable(command, sub, rest)
        return name, command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in VERBS)
        rows = [(name, summary(VERBS[name][2], limit)) for name in sorted(VERBS)]
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[TÙY_CHỌN]",
    subcommand_metavar="LỆNH [THAM_SỐ]...",
)
@click.version_option(
    package_name="hoso", message="hoso %(version)s", help="Hiện phiên bản rồi thoát."
)
def cli() -> None:
    """hoso: hồ sơ công tác đảng viên lưu dưới dạng tệp YAML trong Git.

    Xem hướng dẫn của từng lệnh: hoso LỆNH --help."""


_METAVARS = {"integer": "SỐ", "integer range": "SỐ", "float": "SỐ", "text": "GIÁ_TRỊ"}
"""Vietnamese placeholders for options whose type click would show by its English name."""


def _frame(command: click.Command) -> None:
    """A command's usage line and placeholders in Vietnamese (click's own words come from the
    gettext catalogue, ``hoso.i18n``)."""
    command.options_metavar = "[TÙY_CHỌN]"
    for param in command.params:
        if param.metavar is None and isinstance(param, click.Option):
            name = param.type.name
            if name in _METAVARS:
                param.metavar = _METAVARS[name]
            elif isinstance(param.type, click.Path):
                param.metavar = "THƯ_MỤC" if not param.type.file_okay else "TỆP"


cli.commands = _Verbs()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; expected errors exit 1 (or 2 for usage), anything else 3 with a traceback."""
    i18n.install()
    _vietnamese_output()
    if threading.current_thread() is not threading.main_thread():
        return _run(argv)
    if hasattr(signal, "SIGXFSZ"):
        # Past the file-size limit (ulimit -f) a write then fails with an error we can report
        # and clean up after, instead of the signal killing the process mid-write.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        with sigterm_unwinds():
            return _run(argv)
    except Terminated:
        click.echo("hoso: đã dừng theo yêu cầu (tín hiệu SIGTERM).", err=True)
        return EXIT_TERMINATED


def _vietnamese_output() -> None:
    """Output that cannot write Vietnamese (a legacy locale: Latin-1, Windows' Vietnamese code
    page without precomposed letters) is written in UTF-8 instead, as click writes to an ASCII
    one, rather than ending the command at the first accented letter."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "Đã hủy, lỗi ở hồ sơ".encode(getattr(stream, "encoding", None) or "utf-8")
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8")


def _run(argv: list[str] | None) -> int:
    try:
        os.getcwd()
    except FileNotFoundError:
        # A terminal left in a folder that was deleted (a clone removed and made again):
        # every relative path would fail somewhere further on, as a traceback.
        click.echo(
            "hoso: thư mục đang làm việc không còn tồn tại (đã bị xóa hoặc đổi tên); hãy vào "
            "lại thư mục của kho hồ sơ (cd) rồi chạy lại lệnh.",
            err=True,
        )
        return EXIT_USAGE
    try:
        result = cli.main(args=argv, prog_name="hoso", standalone_mode=False)
        with _pipe_closed():
            sys.stdout.flush()
    except PipeClosed:
        return _stop_writing()
    except OutputLost as exc:
        _stop_writing()
        click.echo(
            f"hoso: không ghi được kết quả của lệnh: {exc.reason}; những gì đã in ra (vào tệp "
            "sau dấu >, hoặc nơi nhận kết quả) không đầy đủ.",
            err=True,
        )
        return EXIT_UNEXPECTED
    except click.exceptions.Abort as exc:
        click.echo("Đã hủy.", err=True)
        # Ctrl+C exits as an interrupted command does, never with the "found problems" code.
        return 130 if isinstance(exc.__cause__, KeyboardInterrupt) else 1
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except HosoError as exc:
        click.echo(f"hoso: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        stop = _stop_behind(exc)
        if stop is Terminated:
            raise Terminated from None
        if stop is KeyboardInterrupt:
            click.echo("Đã hủy.", err=True)
            return 130
        import traceback  # only now: a command's start-up does not pay for it

        traceback.print_exc()
        click.echo("hoso: lỗi ngoài dự kiến; xin gửi nội dung trên cho nhóm phát triển.", err=True)
        return EXIT_UNEXPECTED
    return result if isinstance(result, int) else 0


def _stop_behind(exc: BaseException) -> type[BaseException] | None:
    """The stop (Ctrl+C, SIGTERM) that a library reported as an error of its own: pydantic-core,
    building a model's validator when the signal came (a command's first half second), names
    it only in the last line of its ``SchemaError``; others chain it."""
    seen: set[int] = set()
    found: BaseException | None = exc
    while found is not None and id(found) not in seen:
        seen.add(id(found))
        if isinstance(found, (KeyboardInterrupt, Terminated)):
            return type(found)
        core = sys.modules.get("pydantic_core")
        if core is not None and isinstance(found, core.SchemaError):
            last = str(found).strip().rsplit("\n", 1)[-1].strip()
            for stop in (KeyboardInterrupt, Terminated):
                if last == f"{stop.__name__}:" or last.startswith(f"{stop.__name__}: "):
                    return stop
        found = found.__cause__ or found.__context__
    return None


EXIT_PIPE_CLOSED = 141
"""The output's reader went away (128 + SIGPIPE), as other Unix tools report it."""


def _stop_writing() -> int:
    """Nothing more reaches the reader: what is still buffered goes nowhere, so that Python's
    own flush at exit does not complain of the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)
    return EXIT_PIPE_CLOSED


def entry() -> None:
    """Console-script wrapper (``hoso.cli.start`` is the one installed: it also catches Ctrl+C
    while this module is imported)."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
