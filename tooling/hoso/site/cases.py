"""One case's page for the commission and auditors: who and where, the substance of the kind
(the violation and the forms, the criteria, the transfer, the reason, the introducers), every
step with its body, document and vote, what comes next and by when. Personal values yes,
confidential never; labels, not codes; days dd/mm/yyyy."""

from __future__ import annotations

import json
from html import escape

from hoso import labels
from hoso.models import (
    AdmissionCase,
    Case,
    DisciplineCase,
    ExemptionCase,
    OrgDisciplineCase,
    ScreeningCase,
    TransferCase,
)
from hoso.models.common import CaseBase, DocumentRef, EventBase
from hoso.rules.competence import bodies, place_of
from hoso.rules.dates import add_months
from hoso.rules.discipline import _NO_LIMIT as NO_LIMITATION
from hoso.rules.org_discipline import _NO_LIMIT as ORG_NO_LIMITATION
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import in_force
from hoso.rules.standing import standing_of
from hoso.rules.votes import denominator
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS
from hoso.site import tables
from hoso.site.data import SiteData
from hoso.site.tables import Cell, Column
from hoso.site.tree import breadcrumb, case_path, link, unit_path


def text(value: str) -> str:
    """Free text from a record, safe in a Markdown page: no markup of its own survives."""
    return escape(value, quote=False).replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


def vote_text(event: EventBase, kind: str) -> str:
    v = event.vote
    if v is None:
        return ""
    of = denominator(kind, str(getattr(event, "state", "")), v)
    return (
        f"{v.in_favour}/{of} tán thành ({labels.label('method', v.method)}); "
        f"{v.against} không tán thành, {v.abstain} không biểu quyết; có mặt {v.present}"
    )


def document_text(data: SiteData, event: EventBase) -> str:
    doc = event.document
    if doc is None:
        return ""
    return f"{doc.number} ngày {labels.day(doc.date)} ({labels.body(data.governance, doc.issuer)})"


def _details(event: EventBase) -> str:
    parts = [f"{title}: {value}" for title, value in labels.event_facts(event)]
    votes = getattr(event, "form_votes", None) or []
    if votes:
        parts.append(
            "phiếu: " + ", ".join(f"{labels.label('form', v.form)} {v.votes}" for v in votes)
        )
    introducers = getattr(event, "introducers", None) or []
    if introducers:
        parts.append("giới thiệu: " + "; ".join(i.name for i in introducers))
    if getattr(event, "late_reason", None):
        parts.append(f"lý do chậm: {event.late_reason}")  # type: ignore[attr-defined]
    if getattr(event, "extended", False):
        parts.append("đã gia hạn")
    if event.note:
        parts.append(f"ghi chú: {event.note}")
    return "; ".join(parts)


def steps_table(data: SiteData, case: Case) -> str:
    rows: list[list[tables.Value]] = [
        [
            Cell(labels.day(e.date), sort=f"{e.date:%Y%m%d}"),
            labels.state(case.kind, str(getattr(e, "state", ""))),
            labels.body(data.governance, e.body),
            document_text(data, e),
            vote_text(e, case.kind),
            _details(e),
        ]
        for e in case.history
    ]
    columns = [
        Column("Ngày"),
        Column("Bước"),
        Column("Tổ chức thực hiện"),
        Column("Văn bản"),
        Column("Biểu quyết"),
        Column("Chi tiết"),
    ]
    return tables.table(columns, rows, label="Các bước của hồ sơ", filter=False)


def case_page(data: SiteData, rel: str, case: Case, approvals: dict[str, str]) -> str:
    """One case for the commission and auditors."""
    here = case_path(case.id)
    info = data.info(case)
    g = data.governance
    cell = f"[{labels.unit(g, case.cell)}]({link(here, unit_path(g, case.cell))})"
    where = cell if case.cell in g.units else case.cell
    # The title mkdocs puts in the browser's tab and the printed header: the id as written
    # (taken from the file name it would read "KN 2019 805pi3"), never the person's name.
    title = json.dumps(f"{case.id}: {labels.kind(case.kind)}", ensure_ascii=False)
    lines = [
        "---",
        f"title: {title}",
        "search:",
        "  exclude: true",
        "---",
        "",
        breadcrumb(g, case.cell, here) if case.cell in g.units else "",
        "",
        f"# {case.id}: {labels.kind(case.kind)}",
        "",
        *_about(data, case, where),
        f"- **Trạng thái**: **{info.last_step}** (bước gần nhất ngày {labels.day(info.last_day)})",
    ]
    if info.overdue:
        late = "; ".join(info.overdue)
        lines.append(f'- **Quá hạn**: <span class="hoso-tre">{escape(late)}</span>')
    lines += [f"- **Tệp**: `{rel}`", ""]
    lines += substance(data, case)
    lines += ["## Các bước", "", steps_table(data, case), ""]
    lines += _next(data, case)
    if case.related:
        lines += ["", "## Hồ sơ liên quan", ""]
        lines += [f"- [{other}]({link(here, case_path(other))})" for other in case.related]
    if approvals:
        lines += ["", "## Phê duyệt trong lịch sử Git", ""]
        lines += [f"- {line}" for line in approvals.values()]
    return "\n".join(lines) + "\n"


def _about(data: SiteData, case: Case, where: str) -> list[str]:
    if isinstance(case, OrgDisciplineCase):
        g = data.governance
        unit = g.units.get(case.organisation)
        if unit is not None and unit.parent in g.units:
            # A unit itself (a cell, say) belongs to the unit above it, not to itself; its own
            # page is the last link of the breadcrumb.
            here = case_path(case.id)
            where = f"[{labels.unit(g, unit.parent)}]({link(here, unit_path(g, unit.parent))})"
        return [
            f"- **Tổ chức đảng bị xem xét**: {text(data.who(case))}",
            f"- **Thuộc**: {where}",
        ]
    s = case.subject
    standing = standing_of(case)
    return [
        f"- **Người**: {text(s.name)}, sinh ngày {labels.day(s.birth_date)}, "
        f"{labels.label('sex', s.sex)}, dân tộc {text(s.ethnicity)}"
        + (f", {labels.label('standing', standing)}" if standing else ""),
        f"- **Sinh hoạt tại**: {where}",
    ]


def _next(data: SiteData, case: Case) -> list[str]:
    workflow = WORKFLOWS[case.kind]
    following = workflow.next_states(case.status)
    lines = ["## Bước tiếp theo", ""]
    if not following:
        lines.append("Hồ sơ đã kết thúc.")
    g = data.governance
    place = place_of(case, g) if isinstance(case, CaseBase) else None
    for state in following:
        actor = workflow.steps[state].actor
        # Only bodies that exist: a chi bộ cơ sở has no executive committee of its own.
        who = (
            [b for b in bodies(actor, place) or () if b in g.units or b in g.committees]
            if place
            else None
        )
        named = (
            "; ".join(labels.body(data.governance, b) for b in sorted(who))
            if who
            else ACTOR_LABELS[actor]
        )
        lines.append(f"- {labels.state(case.kind, state)} (do {named})")
    from hoso.rules.deadlines import pending

    dues = pending(case, data.governance)
    if dues:
        lines += ["", "## Thời hạn", ""]
        for due in dues:
            flag = " — **quá hạn**" if due.due < data.today else ""
            lines.append(f"- {due.what}: trước {labels.day(due.due)}{flag}")
    return lines


def substance(data: SiteData, case: Case) -> list[str]:
    """The section that says what the case is about, by kind."""
    if isinstance(case, DisciplineCase | OrgDisciplineCase):
        return _discipline(data, case)
    if isinstance(case, ScreeningCase):
        return _screening(data, case)
    if isinstance(case, TransferCase):
        return _transfer(case)
    if isinstance(case, ExemptionCase):
        return _exemption(case)
    if isinstance(case, AdmissionCase):
        return _admission(data, case)
    return []


def _discipline(data: SiteData, case: DisciplineCase | OrgDisciplineCase) -> list[str]:
    v = case.violation
    g = data.governance
    lines = [
        "## Vi phạm",
        "",
        f"- **Nội dung**: {text(v.summary)}",
        f"- **Nhóm vi phạm**: {labels.label('category', v.category)}",
        f"- **Ngày vi phạm**: {labels.day(v.date)}",
        f"- **Thời hiệu**: {_limitation(data, case)}",
        "",
        "## Hình thức kỷ luật",
        "",
    ]
    forms = [e for e in case.history if getattr(e, "form", None)]
    if not forms:
        lines.append("Chưa có hình thức nào được đề nghị hay quyết định.")
    for e in forms:
        votes = getattr(e, "form_votes", None) or []
        counted = ", ".join(f"{labels.label('form', x.form)} {x.votes} phiếu" for x in votes)
        vote = vote_text(e, case.kind)
        said = "; ".join(x for x in (counted, vote) if x)
        lines.append(
            f"- {labels.day(e.date)}, {labels.body(g, e.body)}: "
            f"{labels.state(case.kind, str(getattr(e, 'state', ''))).lower()}, "
            f"**{labels.label('form', str(getattr(e, 'form', '')))}**"
            + (f" ({said})" if said else "")
        )
    lines += ["", "## Khiếu nại", ""]
    appeals = [
        e for e in case.history if getattr(e, "state", "") in ("appealed", "appeal_answered")
    ]
    if not appeals:
        lines.append("Không có khiếu nại.")
    for e in appeals:
        outcome = getattr(e, "outcome", None)
        result = f": {labels.label('outcome', str(outcome))}" if outcome else ""
        lines.append(
            f"- {labels.day(e.date)}, {labels.body(g, e.body)}: "
            f"{labels.state(case.kind, str(getattr(e, 'state', ''))).lower()}{result}"
        )
    return [*lines, ""]


def _limitation(data: SiteData, case: DisciplineCase | OrgDisciplineCase) -> str:
    """The limitation periods as the rules count them (the same keys and exempt groups)."""
    v = case.violation
    org = isinstance(case, OrgDisciplineCase)
    if v.category in (ORG_NO_LIMITATION if org else NO_LIMITATION):
        return "nhóm vi phạm này không áp dụng thời hiệu"
    rules = in_force(case.history[-1].date, overrides_of(data.governance))
    prefix = "org_" if org else ""
    reprimand = rules.amount(f"{prefix}limitation_reprimand_years")
    warning = rules.amount(f"{prefix}limitation_warning_years")
    heaviest = "giải tán" if org else "khai trừ"
    return (
        f"khiển trách đến {labels.day(add_months(v.date, 12 * reprimand))} ({reprimand} năm); "
        f"cảnh cáo{'' if org else ', cách chức'} đến "
        f"{labels.day(add_months(v.date, 12 * warning))} ({warning} năm); "
        f"{heaviest} không tính thời hiệu"
    )


def _screening(data: SiteData, case: ScreeningCase) -> list[str]:
    g = data.governance
    criteria: list[str] = []
    for e in case.history:
        for c in getattr(e, "criteria", None) or []:
            if c not in criteria:
                criteria.append(c)
    lines = ["## Rà soát", ""]
    flagged = next((e for e in case.history if getattr(e, "state", "") == "flagged"), None)
    if flagged is not None:
        lines.append(
            f"- **Nguồn**: {labels.body(g, flagged.body)} rà soát ngày {labels.day(flagged.date)} "
            "(người phản ánh, nếu có, là thông tin mật, không hiện ở đây)"
        )
    shown = "; ".join(labels.label("criterion", c) for c in criteria) or "chưa ghi"
    lines.append(f"- **Tiêu chí**: {shown}")
    ground = next(
        (getattr(e, "ground", None) for e in case.history if getattr(e, "ground", None)), None
    )
    if ground:
        lines.append(f"- **Căn cứ xóa tên**: {labels.label('ground', str(ground))}")
    outcome = next(
        (getattr(e, "outcome", None) for e in case.history if getattr(e, "outcome", None)), None
    )
    if outcome:
        lines.append(f"- **Kết quả giải quyết khiếu nại**: {labels.label('outcome', str(outcome))}")
    return [*lines, ""]


def _transfer(case: TransferCase) -> list[str]:
    c = case
    until = getattr(c, "until", None)
    return [
        "## Chuyển sinh hoạt",
        "",
        f"- **Loại**: {labels.label('transfer_type', c.transfer_type)}",
        f"- **Chiều**: {labels.label('direction', c.direction)}",
        f"- **Tổ chức đảng bên kia**: {text(c.counterpart)}",
        f"- **Ngày chuyển**: {labels.day(c.move_date)}",
        f"- **Hạn kết thúc**: {labels.day(until) if until else 'không có (chuyển chính thức)'}",
        "",
    ]


def _exemption(case: ExemptionCase) -> list[str]:
    until = getattr(case, "period_until", None)
    return [
        "## Miễn sinh hoạt",
        "",
        f"- **Lý do**: {labels.label('reason', case.reason)}",
        f"- **Miễn đến ngày**: {labels.day(until) if until else 'không thời hạn'}",
        "",
    ]


def _admission(data: SiteData, case: AdmissionCase) -> list[str]:
    lines = ["## Kết nạp", ""]
    introducers = [i for e in case.history for i in getattr(e, "introducers", None) or []]
    if introducers:
        lines.append("- **Người giới thiệu**:")
        lines += [
            f"    - {text(i.name)} ({labels.label('introducer', i.kind)}), "
            f"{labels.label('known_through', i.known_through or 'work')} từ "
            f"{labels.day(i.known_since)}"
            for i in introducers
        ]
    else:
        lines.append("- **Người giới thiệu**: chưa ghi")
    when = {str(getattr(e, "state", "")): e.date for e in case.history}
    for state, title in (
        ("cell_voted", "Chi bộ đề nghị kết nạp"),
        ("decided", "Quyết định kết nạp"),
        ("ceremony_held", "Lễ kết nạp"),
        ("recognised", "Công nhận chính thức"),
    ):
        if state in when:
            lines.append(f"- **{title}**: {labels.day(when[state])}")
    if "ceremony_held" in when and "recognised" not in when:
        lines.append(
            f"- **Hết 12 tháng dự bị**: {labels.day(add_months(when['ceremony_held'], 12))}"
        )
    readmission = getattr(case, "readmission", None)
    if readmission is not None:
        lines.append(
            f"- **Kết nạp lại**: ra khỏi Đảng ngày {labels.day(readmission.left_on)}; văn bản "
            f"đồng ý {document_ref(data, readmission.consent)}"
        )
    return [*lines, ""]


def document_ref(data: SiteData, doc: DocumentRef) -> str:
    issuer = labels.body(data.governance, doc.issuer)
    return f"{text(doc.number)} ngày {labels.day(doc.date)} ({issuer})"
