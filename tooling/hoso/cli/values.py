"""What people type into options: days as they write them, values by code or label, units and
bodies by code or name; each refused with the closest choices, each completed by the shell."""

from __future__ import annotations

import glob
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

from hoso import labels
from hoso.governance import CENTRAL_BODIES, Governance
from hoso.labels import Vocabulary

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
if TYPE_CHECKING:
    _DayParam = click.ParamType[date]
    _CodeParam = click.ParamType[str]
else:  # click's ParamType is generic only for type checkers in recent versions
    _DayParam = _CodeParam = click.ParamType

DAY_FORMS = "ngày/tháng/năm (ví dụ 02/05/2019 hoặc 02-05-2019) hoặc năm-tháng-ngày (2019-05-02)"


def parse_day(text: str) -> date:
    """A day written dd/mm/yyyy (also d/m/yyyy, with dots or with dashes: 15-08-1998) or
    yyyy-mm-dd (or yyyy/mm/dd); ValueError with a Vietnamese reason otherwise (a two-digit
    year is refused saying that the year takes four digits: its century cannot be told)."""
    text = text.strip()
    match = _DMY.fullmatch(text)
    parts = (match[3], match[2], match[1]) if match else None
    if parts is None and (match := _YMD.fullmatch(text)):
        parts = (match[1], match[2], match[3])
    if parts is None and (match := _SHORT_YEAR.fullmatch(text)):
        written = f"{int(match[1]):02d}/{int(match[2]):02d}"
        raise ValueError(
            f"năm phải ghi đủ 4 chữ số (ví dụ {written}/19{match[3]} hoặc {written}/20{match[3]}); "
            f"nhận được {text!r}"
        )
    if parts is None:
        raise ValueError(f"ngày phải viết dạng {DAY_FORMS}; nhận được {text!r}")
    year, month, day = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"ngày {day:02d}/{month:02d}/{year:04d} không có trên lịch; nhận được {text!r}"
        ) from None


class Day(_DayParam):
    """A calendar day, dd/mm/yyyy or yyyy-mm-dd; the command receives a ``date``."""

    name = "ngày"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "NGÀY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DAY = Day()


class Whole(click.IntRange):
    """A whole number of at least 0 (a count of people, of days)."""

    name = "số nguyên không âm"

    def __init__(self) -> None:
        super().__init__(min=0)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "SỐ"

    def _describe_range(self) -> str:
        return "từ 0 trở lên"  # click's own would say "x>=0"


class Port(click.IntRange):
    """A network port."""

    name = "cổng mạng"

    def __init__(self) -> None:
        super().__init__(min=1, max=65535)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "CỔNG"

    def _describe_range(self) -> str:
        return "từ 1 đến 65535"


class Integer(click.types.IntParamType):
    """Any whole number."""

    name = "số nguyên"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "SỐ"


WHOLE = Whole()
INTEGER = Integer()


class _Name(str):
    """A name click capitalises with ``title()`` at the start of a message: only its first
    letter ("Thư mục", not "Thư Mục")."""

    def title(self) -> str:
        return self[:1].upper() + self[1:]


class PathType(click.Path):
    """click's path, named in Vietnamese in its messages ("Tệp '…' không tồn tại.")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.file_okay and not self.dir_okay:
            self.name = _Name("tệp")
        elif self.dir_okay and not self.file_okay:
            self.name = _Name("thư mục")
        else:
            self.name = _Name("đường dẫn")

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.name.upper().replace(" ", "_")


def _named(vocabulary: Vocabulary, codes: list[str]) -> list[str]:
    """The labels of ``codes``, each in quotes when any holds a comma or semicolon (so a list
    of them still reads as a list), a code added only to a label that two of them share."""
    shown = [vocabulary.label(code) for code in codes]
    quote = any(";" in text or "," in text for text in shown)
    return [
        (f"“{text}”" if quote else text) + (f" ({code})" if shown.count(text) > 1 else "")
        for code, text in zip(codes, shown, strict=True)
    ]


def refusal(vocabulary: Vocabulary, typed: str) -> str:
    """Why ``typed`` is refused: the values it matches when it matches several; else that it
    matches none, the closest choices, then every value (all by label)."""
    several = vocabulary.matching(typed)
    if len(several) > 1:
        return (
            f"“{typed.strip()}” khớp với nhiều {vocabulary.name}: "
            f"{'; '.join(_named(vocabulary, several))}. Hãy gõ rõ hơn."
        )
    near = [f"“{vocabulary.label(code)}”" for code in labels.closest(vocabulary.labels, typed)]
    hint = ""
    if near:
        either = near[0] if len(near) == 1 else f"{', '.join(near[:-1])} hay {near[-1]}"
        hint = f" Có phải ý bạn là {either}?"
    if len(vocabulary.labels) > 12:
        return f"không có {vocabulary.name} {typed!r}.{hint}"
    every = "; ".join(_named(vocabulary, list(vocabulary.labels)))
    return f"không có {vocabulary.name} {typed!r}.{hint} Các giá trị: {every}."


def resolve(vocabulary: Vocabulary, typed: str, option: str) -> str:
    """The code ``typed`` names (by code, label or everyday word, diacritics and punctuation
    optional), or a usage error on ``option`` that says it matches several or the closest."""
    found = vocabulary.lookup(typed)
    if found is None:
        raise click.BadParameter(refusal(vocabulary, typed), param_hint=f"'{option}'")
    return found


class Coded(_CodeParam):
    """A value of a closed set, typed as its code or its Vietnamese label."""

    def __init__(self, vocabulary: Vocabulary, metavar: str) -> None:
        self.vocabulary = vocabulary
        self.metavar = metavar
        self.name = vocabulary.name

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        found = self.vocabulary.lookup(str(value))
        if found is None:
            self.fail(refusal(self.vocabulary, str(value)), param, ctx)
        return found

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return complete(self.vocabulary.labels, incomplete)


def complete(choices: Mapping[str, str], incomplete: str) -> list[CompletionItem]:
    """Codes that start with what was typed, each with its label as help."""
    wanted = labels.fold(incomplete)
    return [
        CompletionItem(code, help=text)
        for code, text in choices.items()
        if code.startswith(incomplete) or labels.fold(text).startswith(wanted)
    ]


def values_help(text: str, vocabulary: Vocabulary) -> str:
    """An option's help followed by every value it takes, label first."""
    shown = "; ".join(f"{label} ({code})" for code, label in vocabulary.labels.items())
    return f"{text} Một trong: {shown}."


def coded(vocabulary: str, metavar: str) -> Coded:
    return Coded(labels.VOCABULARIES[vocabulary], metavar)


# Names from the repository: units, bodies, case ids -----------------------------------------


def _governance(ctx: click.Context) -> Governance | None:
    """The governance of the repository the command line names, for completion (never fails)."""
    from hoso.repo import find_root
    from hoso.validate.governance_files import load_governance

    try:
        root = find_root(ctx.params.get("repo"))
        return load_governance(root)[0]
    except Exception:  # completion must never break the shell
        return None


def complete_unit(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    governance = _governance(ctx)
    if governance is None:
        return []
    return complete({c: u.name for c, u in governance.units.items()}, incomplete)


def complete_body(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    governance = _governance(ctx)
    if governance is None:
        return []
    names = {c: u.name for c, u in governance.units.items()}
    names.update({c: labels.body(governance, c) for c in governance.committees})
    return complete(names, incomplete)


def complete_case(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from hoso.repo import CASES, find_root

    try:
        root = find_root(ctx.params.get("repo"))
    except Exception:
        return []
    ids = sorted(p.stem for p in (root / CASES).glob(f"*/*/{glob.escape(incomplete)}*.yaml"))
    return [CompletionItem(i) for i in ids if i.startswith(incomplete)]


def unit_vocabulary(
    governance: Governance, levels: tuple[str, ...] | None = None, name: str = "đơn vị"
) -> Vocabulary:
    return Vocabulary(
        name,
        {
            code: unit.name
            for code, unit in governance.units.items()
            if levels is None or unit.level in levels
        },
    )


def body_vocabulary(governance: Governance) -> Vocabulary:
    names = {code: unit.name for code, unit in governance.units.items()}
    names.update({code: labels.body(governance, code) for code in governance.committees})
    # Above the province, for the appeals that go there (validation says where they may act).
    names.update({c: n for c, n in CENTRAL_BODIES.items() if c not in names})
    return Vocabulary("tổ chức", names)


def resolve_unit(governance: Governance, typed: str, option: str) -> str:
    """A unit named by its code or its name (diacritics optional), or by the name of its
    committee people use for it ("Đảng ủy xã Phiêng Lếch", "Huyện ủy Khê Lam")."""
    vocabulary = unit_vocabulary(governance)
    if labels.lookup(vocabulary.labels, typed) is None:
        named = labels.body_aliases(governance).get(labels.fold(typed), [])
        units = {governance.committees[c].unit for c in named if c in governance.committees}
        if len(units) == 1:
            return units.pop()
    return resolve(vocabulary, typed, option)


def resolve_body(governance: Governance, typed: str, option: str) -> str:
    """A unit or committee named by its code, its label, or a name people use for it ("Đảng
    ủy xã Nà Khoang", "UBKT huyện Khê Lam")."""
    vocabulary = body_vocabulary(governance)
    wanted = labels.fold(typed)
    if typed in vocabulary.labels:
        return typed
    exact = [c for c, t in vocabulary.labels.items() if wanted in (labels.fold(c), labels.fold(t))]
    # A name people use comes before words found inside a label: "Đảng ủy xã X" is the
    # executive even where the inspection committee is named "Ủy ban Kiểm tra Đảng ủy xã X".
    for found in (exact, labels.body_aliases(governance).get(wanted, [])):
        if len(found) > 1:
            choices = "; ".join(labels.body_with_code(governance, c) for c in found)
            raise click.BadParameter(
                f"'{typed}' có thể là nhiều tổ chức: {choices}. Hãy ghi mã.",
                param_hint=f"'{option}'",
            )
        if found:
            return found[0]
    return resolve(vocabulary, typed, option)
