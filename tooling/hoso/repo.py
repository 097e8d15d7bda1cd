"""Finding the repository and its record files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from hoso.errors import UsageError

CASES = "cases"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``governance/`` or ``cases/``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "governance").is_dir() or (folder / CASES).is_dir():
            return folder
    raise UsageError(f"không tìm thấy kho hồ sơ (thư mục có governance/ hoặc cases/) từ {here}")


def record_files(root: Path) -> Iterator[Path]:
    """Every file under ``cases/``, sorted, symlinks included (the validator refuses them)."""
    return (root / rel for rel in record_paths(root))


def record_paths(root: Path) -> Iterator[str]:
    """The same files as ``record_files``, as repository-relative POSIX strings (the fast form)."""
    base = os.path.join(root, CASES)
    cut = len(str(root)) + 1
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        prefix = folder[cut:].replace(os.sep, "/")
        for name in sorted(files):
            if not name.startswith("."):
                yield f"{prefix}/{name}"


def relative(root: Path, path: Path) -> str:
    """``path`` relative to the repository root, or a usage error if it lies outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path}: tệp nằm ngoài kho hồ sơ {root}") from None


def expected_path(unit: str, kind: str, case_id: str) -> str:
    return f"{CASES}/{unit}/{kind}/{case_id}.yaml"
