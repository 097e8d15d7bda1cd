"""The command line's frame in Vietnamese: click's own messages come from our gettext catalogue,
which covers every message the installed click can show, and no English word of click's
catalogue is left on any help page or usage error."""

from __future__ import annotations

import gettext
import io
import re
from functools import cache
from pathlib import Path

import click
import pytest
from babel.messages import pofile
from babel.messages.extract import extract_from_dir

from hoso import i18n
from hoso.cli.main import cli, main

EXTRA_MSGIDS = {"required"}
"""Messages click passes to gettext through a variable (``_(extra["required"])``), which no
extractor sees."""
COMMANDS = frozenset(cli.commands)
"""The verbs are typed as they are (``hoso show``), whatever language they look like."""
VIETNAMESE_HOMOGRAPHS = {"do", "to", "an", "the", "con", "ban", "in"}
"""Words that are also Vietnamese written without diacritics ("lý do", "hồ sơ to")."""


@cache
def click_messages() -> dict[str, str | None]:
    """Every message id the installed click marks for translation (singular to plural)."""
    found: dict[str, str | None] = {}
    folder = Path(click.__file__).parent
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for _, _, message, _, _ in extract_from_dir(str(folder), keywords=keywords):
        if isinstance(message, tuple):
            found[message[0]] = message[1]
        else:
            found[message] = None
    for extra in EXTRA_MSGIDS:
        found.setdefault(extra, None)
    return found


@cache
def english_words() -> frozenset[str]:
    words: set[str] = set()
    for singular, plural in click_messages().items():
        for text in (singular, plural or ""):
            text = re.sub(r"\{[^}]*\}|%\([^)]*\)s", " ", text)
            words |= {w.lower() for w in re.findall(r"[A-Za-z']+", text) if len(w) >= 2}
    return frozenset(words - VIETNAMESE_HOMOGRAPHS)


def english_in(output: str) -> set[str]:
    """Words of click's English catalogue in an output; option names (``--help``) and codes
    written with underscores or hyphens (``show_of_cards``) are not words."""
    text = re.sub(r"(?<![\w-])--?[\w-]+", " ", output)
    tokens = re.findall(r"[\w'’-]+", text)
    return {t.lower() for t in tokens if t.lower() in english_words() - COMMANDS}


def test_catalogue_translates_every_message_of_the_installed_click() -> None:
    catalogue = pofile.read_po(i18n.CATALOGUE.open("rb"))
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    missing = sorted(set(click_messages()) - set(translated))
    assert not missing, f"click messages without a Vietnamese translation: {missing}"
    for message in translated.values():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"empty translation: {message.id!r}"
        assert not message.fuzzy, message.id


def test_our_reader_agrees_with_babel() -> None:
    catalogue = pofile.read_po(i18n.CATALOGUE.open("rb"))
    ours = i18n.read_po()
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            key = "\0".join(message.id)
            assert ours[key] == "\0".join(message.string)
        else:
            assert ours[message.id] == message.string
    assert len(ours) == len([m for m in catalogue if m.id]) + 1  # and the header


def test_compiled_catalogue_matches_the_po() -> None:
    assert i18n.COMPILED.read_bytes() == i18n.compile_po(), (
        "messages.mo is stale: run 'python -m hoso.i18n' and commit"
    )
    compiled = gettext.GNUTranslations(io.BytesIO(i18n.COMPILED.read_bytes()))
    assert compiled.gettext("Usage:") == "Cách dùng:"
    assert compiled.ngettext("Option {name!r} requires an argument.", "x", 1).startswith("Tùy")


def test_placeholders_survive_translation() -> None:
    for key, value in i18n.read_po().items():
        if not key:
            continue
        names = set(re.findall(r"\{(\w+)", key.replace("\0", " ")))
        used = set(re.findall(r"\{(\w+)", value))
        assert used <= names, (key, value)


def _commands() -> list[list[str]]:
    return [[], *([name] for name in sorted(cli.commands))]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "hoso")
def test_every_help_page_is_vietnamese(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, output = _run(capsys, *command, "--help")
    assert code == 0
    assert output.startswith(f"Cách dùng: hoso {' '.join(command)}".rstrip() + " ")
    assert "Tùy chọn:" in output and "Hiện hướng dẫn này rồi thoát." in output
    assert not english_in(output), output
    usage = output.split("\n\n", 1)[0]
    assert not re.findall(r"\b[A-Z]{3,}\b", usage), usage  # CASE, FILES, OPTIONS...
    for placeholder in ("TEXT", "INTEGER", "PATH", "FILE", "DIRECTORY", "OPTIONS", "COMMAND"):
        assert placeholder not in output, output


USAGE_ERRORS = {
    "no such command": (["nope"], "Không có lệnh 'nope'"),
    "no such option": (["show", "--bogus", "X"], "Không có tùy chọn '--bogus'"),
    "missing argument": (["show"], "Thiếu tham số 'MÃ_HỒ_SƠ'"),
    "missing option": (["report", "--unit", "khe-lam"], "Thiếu tùy chọn '--period'"),
    "option needs a value": (["list", "--unit"], "Tùy chọn '--unit' cần 1 giá trị"),
    "flag takes no value": (["validate", "--strict=yes"], "Tùy chọn '--strict' không nhận"),
    "extra argument": (["explain", "admission", "thừa"], "Thừa tham số không mong đợi (thừa)"),
    "choice": (["validate", "--format", "xml"], "'xml' không phải là một trong: 'text', 'json'"),
    "range": (["due", "--within", "-1"], "'--within': -1 nằm ngoài khoảng từ 0 trở lên"),
    "number": (["due", "--within", "ba"], "'ba' không phải là số nguyên không âm hợp lệ"),
    "path": (["approve", "X", "--key", "/khong/co/khoa"], "Tệp '/khong/co/khoa' không tồn tại"),
    "day": (["list", "--as-of", "31/02/2026"], "ngày 31/02/2026 không có trên lịch"),
    "label": (
        ["explain", "ky lua"],
        "Có phải ý bạn là “Kỷ luật đảng viên” hay “Kỷ luật tổ chức đảng”?",
    ),
}


@pytest.mark.parametrize("name", sorted(USAGE_ERRORS))
def test_every_kind_of_usage_error_is_vietnamese(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args, expected = USAGE_ERRORS[name]
    code, output = _run(capsys, *args)
    assert code == 2, output
    assert expected in output, output
    assert "Lỗi: " in output
    assert not english_in(output), output
    assert "x>=" not in output and "<=x" not in output, output  # click's ranges


def test_version_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(capsys, "--version")
    assert code == 0 and output.startswith("hoso ")


def test_the_word_check_sees_english() -> None:
    assert english_in("Usage: hoso [OPTIONS]") == {"usage", "options"}
    assert english_in("Error: Missing option '--cell'.") == {"error", "missing", "option"}
    assert not english_in("Lý do: --show-this show_of_cards")


def test_every_commands_help_names_its_placeholders_and_ranges_in_vietnamese() -> None:
    """No generic GIÁ_TRỊ where a word says what to type, no click range ("x>=0", "1<=x"),
    and no step code in brackets."""
    import re

    import click

    from hoso.cli.main import cli

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        with click.Context(command, info_name=name, parent=ctx) as sub:
            text = command.get_help(sub)
        assert "GIÁ_TRỊ" not in text, name
        assert not re.search(r"[<>]=x|x[<>]=", text), name
        assert "(bước received)" not in text and "(secret_ballot)" not in text, name
