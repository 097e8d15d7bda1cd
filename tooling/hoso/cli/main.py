"""Entry point: the command group and the exit-code policy."""

from __future__ import annotations

import signal
import sys
import threading
import traceback

import click

from hoso import i18n
from hoso.cli import (
    approve,
    audit,
    codeowners,
    explain,
    forms,
    listing,
    new,
    report,
    review,
    sample,
    schemas,
    show,
    site,
    submit,
    transition,
    validate,
)
from hoso.errors import EXIT_UNEXPECTED, EXIT_USAGE, HosoError


@click.group(
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


cli.add_command(validate.command)
cli.add_command(schemas.command)
cli.add_command(sample.command)
cli.add_command(explain.command)
cli.add_command(new.command)
cli.add_command(transition.command)
cli.add_command(show.command)
cli.add_command(listing.list_command)
cli.add_command(listing.due_command)
cli.add_command(review.command)
cli.add_command(approve.command)
cli.add_command(codeowners.command)
cli.add_command(audit.audit_command)
cli.add_command(audit.history_command)
cli.add_command(audit.checkpoint_command)
cli.add_command(site.command)
cli.add_command(report.command)
cli.add_command(submit.command)
cli.add_command(forms.command)

_METAVARS = {"integer": "SỐ", "integer range": "SỐ", "float": "SỐ", "text": "GIÁ_TRỊ"}
"""Vietnamese placeholders for options whose type click would show by its English name."""


def _frame(group: click.Group) -> None:
    """Every command's usage line and placeholders in Vietnamese (click's own words come from
    the gettext catalogue, ``hoso.i18n``)."""
    for command in group.commands.values():
        command.options_metavar = "[TÙY_CHỌN]"
        for param in command.params:
            if param.metavar is None and isinstance(param, click.Option):
                name = param.type.name
                if name in _METAVARS:
                    param.metavar = _METAVARS[name]
                elif isinstance(param.type, click.Path):
                    param.metavar = "THƯ_MỤC" if not param.type.file_okay else "TỆP"


_frame(cli)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; expected errors exit 1 (or 2 for usage), anything else 3 with a traceback."""
    i18n.install()
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        # Past the file-size limit (ulimit -f) a write then fails with an error we can report
        # and clean up after, instead of the signal killing the process mid-write.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        result = cli.main(args=argv, prog_name="hoso", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        return 1
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
    except Exception:
        traceback.print_exc()
        click.echo("hoso: lỗi ngoài dự kiến; xin gửi nội dung trên cho nhóm phát triển.", err=True)
        return EXIT_UNEXPECTED
    return result if isinstance(result, int) else 0


def entry() -> None:
    """Console-script wrapper."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
