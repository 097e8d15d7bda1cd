"""The user's folders (XDG): the cache, for what hoso keeps where no repository content can
write; the state and configuration folders, for the audit's key and the forms' users."""

from __future__ import annotations

import os
from pathlib import Path


def xdg_home(variable: str, fallback: str) -> Path:
    """``$variable``, or ``~/fallback`` when it is unset, empty or relative: a relative one is
    invalid (XDG), and would put files in whatever folder the command runs in, such as the
    repository. Raises ``RuntimeError`` without a home folder, with a relative one, or with the
    root folder (an empty ``HOME``)."""
    given = os.environ.get(variable, "")
    if os.path.isabs(given):
        return Path(given)
    home = Path.home()
    if not home.is_absolute() or home == Path(home.anchor):
        raise RuntimeError(f"HOME is not a home folder: {home}")
    return home / fallback


def folder() -> Path | None:
    """``$XDG_CACHE_HOME/hoso`` or ``~/.cache/hoso``; None without a home folder."""
    try:
        base = xdg_home("XDG_CACHE_HOME", ".cache")
    except RuntimeError:  # no home folder
        return None
    return base / "hoso"
