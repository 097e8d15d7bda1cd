"""The user's cache folder (XDG), for what hoso keeps where no repository content can write."""

from __future__ import annotations

import os
from pathlib import Path


def folder() -> Path | None:
    """``$XDG_CACHE_HOME/hoso`` or ``~/.cache/hoso``; None without a home folder. A relative
    ``XDG_CACHE_HOME`` is invalid (XDG): it would put files in whatever folder the command
    runs in, such as the repository."""
    given = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(given) if os.path.isabs(given) else Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return base / "hoso" if base.is_absolute() else None
