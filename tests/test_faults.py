"""Faults found by injecting them (a closed pipe, Ctrl+C at start-up, odd files and bytes where
hoso expects ordinary ones): each ends with a Vietnamese message and its exit status, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT


def _closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run hoso with its output going to a pipe nobody reads any more."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "hoso.cli.main", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args", [("list",), ("due",), ("--help",), ("explain", "admission")], ids=" ".join
)
def test_a_closed_pipe_is_not_a_finding(args: tuple[str, ...]) -> None:
    """``hoso list | head -1``: exit 141 as other Unix tools (never 1, which means findings),
    and not a word on stderr."""
    done = _closed_pipe(*args)
    assert (done.returncode, done.stderr) == (141, "")


def test_ctrl_c_while_starting_is_an_orderly_stop() -> None:
    """Ctrl+C while the installed command still imports its modules: "Đã hủy.", exit 130."""
    script = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, attribute = script["project"]["scripts"]["hoso"].split(":")
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'hoso.cli.main':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        f"from {module} import {attribute} as entry\n"
        "entry()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr.strip()) == (130, "Đã hủy.")
