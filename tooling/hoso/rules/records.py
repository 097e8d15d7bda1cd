"""Record rules that need no workflow table: status, references, identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hoso.governance import CENTRAL_BODIES, Governance
from hoso.labels import LEVEL_LABELS, state_named
from hoso.models import OrgDisciplineCase, PlanRecord, RankingRecord, Record
from hoso.models.common import CaseBase, DocumentRef
from hoso.rules.competence import is_cell
from hoso.rules.workflow import WORKFLOWS
from hoso.validate.messages import pattern_in_words, show
from hoso.validate.record import Issue, Loc, register


@register
def status_matches_history(record: Record, governance: Governance) -> Iterator[Issue]:
    if isinstance(record, (PlanRecord, RankingRecord)):
        return
    last = record.history[-1].state
    if record.status != last:
        yield Issue(
            ("status",),
            "record.status",
            f"trạng thái phải trùng với bước cuối cùng trong lịch sử, "
            f"{state_named(record.kind, last)}; nhận được "
            f"{state_named(record.kind, record.status)}",
        )


@register
def references_exist(record: Record, governance: Governance) -> Iterator[Issue]:
    if not governance.units:
        return
    yield from _unit_is_district(record, governance)
    if isinstance(record, (CaseBase, OrgDisciplineCase)):
        workflow = WORKFLOWS[record.kind]
        for index, event in enumerate(record.history):
            step = workflow.steps.get(str(getattr(event, "state", "")))
            # Above the province only where an appeal or complaint may go (see ``central``).
            central = step is not None and step.central
            if not _exists(governance, event.body, central):
                yield _unknown(("history", index, "body"), event.body)
            document = event.document
            if document is not None and not _exists(governance, document.issuer, central):
                yield _unknown(("history", index, "document", "issuer"), document.issuer)
    if isinstance(record, OrgDisciplineCase):
        yield from _organisation_in_unit(record, governance)
    elif isinstance(record, RankingRecord):
        yield from _organisation_in_unit(record, governance)
        yield from _document(("document",), record.document, governance)
        for index, member in enumerate(record.members):
            if member.cell not in governance.units:
                yield _unknown(("members", index, "cell"), member.cell)
        for index, ranked in enumerate(record.cells):
            if ranked.organisation not in governance.units:
                yield _unknown(("cells", index, "organisation"), ranked.organisation)
    elif isinstance(record, CaseBase):
        yield from _cell_in_unit(record, governance)
        for index, post in enumerate(record.subject.posts):
            if post.committee not in governance.committees:
                yield _unknown(("subject", "posts", index, "committee"), post.committee)
        managed = record.subject.managed_by
        if managed and managed not in governance.committees:
            yield _unknown(("subject", "managed_by"), managed)
    else:
        yield from _document(("document",), record.document, governance)
        yield from _plan_reports(record, governance)


@register
def born_before(record: Record, governance: Governance) -> Iterator[Issue]:
    """Whoever a case is about was born before its first step."""
    if not isinstance(record, CaseBase) or not record.history:
        return
    born, first = record.subject.birth_date, record.history[0].date
    if born >= first:
        yield Issue(
            ("subject", "birth_date"),
            "record.birth_date",
            f"ngày sinh ({born}) phải trước bước đầu tiên của hồ sơ ({first}): kiểm tra lại "
            "ngày sinh",
        )


@register
def party_card_pattern(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, CaseBase) or governance.settings is None:
        return
    card = record.subject.party_card
    pattern = governance.settings.party_card_pattern
    if card is not None and not re.fullmatch(pattern, card):
        yield Issue(
            ("subject", "party_card"),
            "record.party_card",
            f"số thẻ đảng viên {pattern_in_words(pattern)} (theo governance/settings.yaml); "
            f"nhận được {show(card)}",
        )


def _unit_is_district(record: Record, governance: Governance) -> Iterator[Issue]:
    unit = governance.units.get(record.unit)
    allowed = (
        ("district", "province")
        if isinstance(record, (PlanRecord, OrgDisciplineCase))
        else ("district",)
    )
    if unit is None:
        yield _unknown(("unit",), record.unit)
    elif unit.level not in allowed:
        yield Issue(
            ("unit",),
            "record.unit_level",
            f"unit phải là mã đảng bộ cấp huyện (hoặc cấp tỉnh với kế hoạch); "
            f"{record.unit!r} ({unit.name}) là {LEVEL_LABELS[unit.level]}",
        )


def _cell_in_unit(record: CaseBase, governance: Governance) -> Iterator[Issue]:
    unit = governance.units.get(record.cell)
    if unit is None:
        yield _unknown(("cell",), record.cell)
    elif not is_cell(governance, record.cell):
        yield Issue(
            ("cell",),
            "record.cell_level",
            f"cell phải là mã một chi bộ (hoặc chi bộ cơ sở) nơi người đó sinh hoạt; "
            f"{record.cell!r} ({unit.name}) là {LEVEL_LABELS[unit.level]}",
        )
    elif not governance.is_within(record.cell, record.unit):
        yield Issue(
            ("cell",),
            "record.cell_outside_unit",
            f"chi bộ {record.cell!r} không thuộc đảng bộ {record.unit!r}",
        )


def _organisation_in_unit(
    record: OrgDisciplineCase | RankingRecord, governance: Governance
) -> Iterator[Issue]:
    """The organisation a record is about exists and lies in the record's unit."""
    if not governance.body_exists(record.organisation):
        yield _unknown(("organisation",), record.organisation)
    elif not governance.is_within(record.cell, record.unit):
        yield Issue(
            ("organisation",),
            "record.organisation_outside_unit",
            f"tổ chức {record.organisation!r} không thuộc đảng bộ {record.unit!r}",
        )


def _exists(governance: Governance, code: str, central: bool) -> bool:
    return governance.body_exists(code) or (central and code in CENTRAL_BODIES)


def _document(loc: Loc, document: DocumentRef | None, governance: Governance) -> Iterator[Issue]:
    if document is not None and not governance.body_exists(document.issuer):
        yield _unknown((*loc, "issuer"), document.issuer)


def _plan_reports(record: PlanRecord, governance: Governance) -> Iterator[Issue]:
    tasks = {task.id for task in record.tasks}
    for index, report in enumerate(record.reports):
        if report.task not in tasks:
            yield Issue(
                ("reports", index, "task"),
                "plan.task",
                f"kế hoạch không có nhiệm vụ mã {report.task!r}",
            )
        if report.unit not in governance.units:
            yield _unknown(("reports", index, "unit"), report.unit)


def _unknown(loc: Loc, code: str) -> Issue:
    return Issue(
        loc,
        "record.reference",
        f"mã {code!r} không có trong governance/units.yaml hay governance/committees.yaml",
    )
