"""The installed ``hoso`` command: Ctrl+C is an orderly stop from the very start.

Importing the command group takes a noticeable moment (click, the i18n catalogue); a Ctrl+C
then would otherwise print Python's ``KeyboardInterrupt`` traceback. This module imports
nothing heavy itself, so the handler is in place before that work begins."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130
"""Ended by Ctrl+C (128 + SIGINT), as the shell reports an interrupted command."""


def entry() -> None:
    """Run ``hoso``; exit 130 with "Đã hủy." on Ctrl+C at any point, start-up included."""
    try:
        from hoso.cli.main import main

        code = main()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("\nĐã hủy.\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        code = EXIT_INTERRUPTED
    sys.exit(code)
