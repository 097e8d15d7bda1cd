"""Options that describe one event, shared by ``hoso new`` and ``hoso transition``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DAY = click.DateTime(["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def event_options(func: F) -> F:
    options = [
        click.option(
            "--date", "on", type=DAY, help="Ngày của bước (NNNN-TT-NN); mặc định hôm nay."
        ),
        click.option("--body", help="Mã tổ chức thực hiện (đơn vị hoặc ban); mặc định chi bộ."),
        click.option("--doc-number", help="Số và ký hiệu văn bản, ví dụ 15-NQ/CB."),
        click.option("--doc-date", type=DAY, help="Ngày ký văn bản; mặc định ngày của bước."),
        click.option("--doc-issuer", help="Mã cơ quan ban hành văn bản; mặc định --body."),
        click.option("--vote-official", type=int, help="Biểu quyết: tổng số đảng viên chính thức."),
        click.option(
            "--vote-exempted-absent",
            type=int,
            default=0,
            show_default=True,
            help="Biểu quyết: số miễn sinh hoạt vắng mặt.",
        ),
        click.option(
            "--vote-transferred-out",
            type=int,
            default=0,
            show_default=True,
            help="Biểu quyết: số đang chuyển sinh hoạt tạm thời đi.",
        ),
        click.option("--vote-present", type=int, help="Biểu quyết: số có mặt."),
        click.option("--vote-for", type=int, help="Biểu quyết: số tán thành."),
        click.option(
            "--vote-against",
            type=int,
            default=0,
            show_default=True,
            help="Biểu quyết: số không tán thành.",
        ),
        click.option(
            "--vote-abstain",
            type=int,
            default=0,
            show_default=True,
            help="Biểu quyết: số không biểu quyết hoặc phiếu hỏng.",
        ),
        click.option(
            "--vote-method",
            type=click.Choice(["secret_ballot", "show_of_cards"]),
            default="secret_ballot",
            show_default=True,
            help="Biểu quyết: hình thức.",
        ),
        click.option(
            "--form",
            type=click.Choice(["reprimand", "warning", "removal_from_post", "expulsion"]),
            help="Hình thức kỷ luật.",
        ),
        click.option("--form-votes", help="Phiếu theo hình thức, ví dụ 'expulsion=3,warning=9'."),
        click.option("--ground", help="Căn cứ xóa tên."),
        click.option(
            "--outcome",
            type=click.Choice(["upheld", "changed", "annulled"]),
            help="Kết quả giải quyết khiếu nại.",
        ),
        click.option(
            "--criterion", "criteria", multiple=True, help="Tiêu chí rà soát (lặp lại được)."
        ),
        click.option(
            "--introducer",
            "introducers",
            multiple=True,
            help="Người giới thiệu 'Họ tên|member|NNNN-TT-NN' (lặp lại được).",
        ),
        click.option("--extended", is_flag=True, help="Quyết định kết nạp đã được gia hạn."),
        click.option("--late-reason", help="Lý do chậm (nộp giấy giới thiệu quá hạn)."),
        click.option("--note", help="Ghi chú công khai (không ghi thông tin mật)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_event(state: str, default_body: str, **given: Any) -> dict[str, Any]:
    """The event mapping in the house key order, leaving out what was not given."""
    on = _day(given.get("on")) or date.today()
    body = given.get("body") or default_body
    event: dict[str, Any] = {"date": on, "state": state, "body": body}
    if given.get("doc_number"):
        event["document"] = {
            "number": given["doc_number"],
            "date": _day(given.get("doc_date")) or on,
            "issuer": given.get("doc_issuer") or body,
        }
    if given.get("vote_for") is not None:
        present = given.get("vote_present")
        official = given.get("vote_official")
        if present is None or official is None:
            raise click.UsageError("biểu quyết cần --vote-official, --vote-present và --vote-for")
        event["vote"] = {
            "official_members": official,
            "exempted_absent": given["vote_exempted_absent"],
            "transferred_out": given["vote_transferred_out"],
            "present": present,
            "in_favour": given["vote_for"],
            "against": given["vote_against"],
            "abstain": given["vote_abstain"],
            "method": given["vote_method"],
        }
    for key in ("form", "ground", "outcome", "late_reason", "note"):
        if given.get(key):
            event[key] = given[key]
    if given.get("form_votes"):
        event["form_votes"] = [_form_vote(part) for part in given["form_votes"].split(",")]
    if given.get("criteria"):
        event["criteria"] = list(given["criteria"])
    if given.get("introducers"):
        event["introducers"] = [_introducer(text) for text in given["introducers"]]
    if given.get("extended"):
        event["extended"] = True
    return event


def _form_vote(part: str) -> dict[str, Any]:
    form, _, votes = part.partition("=")
    if not votes.strip().isdigit():
        raise click.UsageError(f"--form-votes: cần dạng hình_thức=số, nhận được {part!r}")
    return {"form": form.strip(), "votes": int(votes)}


def _introducer(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3:
        raise click.UsageError(f"--introducer: cần 'Họ tên|loại|NNNN-TT-NN', nhận được {text!r}")
    try:
        since = date.fromisoformat(parts[2])
    except ValueError:
        raise click.UsageError(f"--introducer: ngày không hợp lệ {parts[2]!r}") from None
    return {"name": parts[0], "kind": parts[1], "known_since": since}
