"""What the process does before and around a command: no search for pydantic plugins, and
SIGTERM turned into an unwinding the command cleans up after."""

from __future__ import annotations

import importlib
import os
import signal
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hoso.errors import Terminated

_LOADER = "pydantic.plugin._loader"


def skip_plugin_discovery() -> None:
    """hoso uses no pydantic plugin. Unless the user asked for plugins
    (``PYDANTIC_DISABLE_PLUGINS`` set to anything but a "disable all" value), pydantic's
    loader is not imported: it would read the entry points of every installed package
    (``importlib.metadata``, a tenth of a one-file hook run) to find none. Its one import
    site takes ``get_plugins``: a stand-in answers that, and hands any other name to the real
    module. The environment is left as it was (git hooks and other tools inherit it)."""
    wanted = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    if (wanted is not None and wanted not in ("__all__", "1", "true")) or _LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(attribute: str) -> Any:
        if attribute.startswith("__"):  # what the import system asks of any module
            raise AttributeError(attribute)
        sys.modules.pop(_LOADER, None)
        return getattr(importlib.import_module(_LOADER), attribute)

    stand_in.__dict__.update(get_plugins=get_plugins, __getattr__=real)
    sys.modules[_LOADER] = stand_in


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While a command runs, SIGTERM raises ``Terminated`` where it is (once: a second request
    during the cleanup is ignored). Processes forked meanwhile (validation or audit workers)
    inherit the handler: there it ends the worker at once, as SIGTERM would, instead of
    printing a traceback; their parent cleans up after them."""
    owner = os.getpid()

    def stop(signum: int, _: object) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
