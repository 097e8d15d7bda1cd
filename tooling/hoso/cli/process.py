"""What the process does before a command: no search for pydantic plugins."""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

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
