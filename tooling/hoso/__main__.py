"""``python -m hoso``: the ``hoso`` command, for a machine where only Python is on the path."""

from hoso.cli.start import entry

entry()
