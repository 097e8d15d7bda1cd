"""Record models: one module per case kind, plus the shared parts and governance files."""

from __future__ import annotations

from hoso.models import admission, discipline, exemption, org_discipline, screening, transfer
from hoso.models.admission import AdmissionCase
from hoso.models.discipline import DisciplineCase
from hoso.models.exemption import ExemptionCase
from hoso.models.org_discipline import OrgDisciplineCase
from hoso.models.plan import PlanRecord
from hoso.models.ranking import RankingRecord
from hoso.models.screening import ScreeningCase
from hoso.models.transfer import TransferCase

MemberCase = AdmissionCase | ScreeningCase | DisciplineCase | TransferCase | ExemptionCase
"""A case about one person."""
Case = MemberCase | OrgDisciplineCase
"""A case: a history of steps through a workflow."""
Record = Case | PlanRecord | RankingRecord

RECORD_MODELS: dict[str, type[Record]] = {
    "admission": AdmissionCase,
    "screening": ScreeningCase,
    "discipline": DisciplineCase,
    "transfer": TransferCase,
    "exemption": ExemptionCase,
    "org_discipline": OrgDisciplineCase,
    "ranking": RankingRecord,
    "plan": PlanRecord,
}
"""Every record kind, keyed by the ``kind`` field and the folder name in ``cases/<unit>/``."""

ID_PREFIX = {
    "admission": "KN",
    "screening": "RS",
    "discipline": "KL",
    "transfer": "CS",
    "exemption": "MS",
    "org_discipline": "TC",
    "ranking": "XL",
    "plan": "KH",
}

KIND_LABELS = {
    "admission": "Kết nạp đảng viên",
    "screening": "Rà soát, sàng lọc đảng viên",
    "discipline": "Kỷ luật đảng viên",
    "transfer": "Chuyển sinh hoạt đảng",
    "exemption": "Miễn sinh hoạt đảng",
    "org_discipline": "Kỷ luật tổ chức đảng",
    "ranking": "Đánh giá, xếp loại chất lượng đảng viên",
    "plan": "Kế hoạch thực hiện",
}

STATE_LABELS: dict[str, dict[str, str]] = {
    "admission": admission.STATE_LABELS,
    "screening": screening.STATE_LABELS,
    "discipline": discipline.STATE_LABELS,
    "transfer": transfer.STATE_LABELS,
    "exemption": exemption.STATE_LABELS,
    "org_discipline": org_discipline.STATE_LABELS,
}
"""Vietnamese label of every state, by case kind."""

__all__ = [
    "ID_PREFIX",
    "KIND_LABELS",
    "RECORD_MODELS",
    "STATE_LABELS",
    "AdmissionCase",
    "Case",
    "DisciplineCase",
    "ExemptionCase",
    "MemberCase",
    "OrgDisciplineCase",
    "PlanRecord",
    "RankingRecord",
    "Record",
    "ScreeningCase",
    "TransferCase",
]
