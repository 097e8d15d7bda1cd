"""Record models: one module per case kind, plus the shared parts and governance files."""

from __future__ import annotations

from hoso.models import admission, discipline, exemption, screening, transfer
from hoso.models.admission import AdmissionCase
from hoso.models.discipline import DisciplineCase
from hoso.models.exemption import ExemptionCase
from hoso.models.plan import PlanRecord
from hoso.models.screening import ScreeningCase
from hoso.models.transfer import TransferCase

Case = AdmissionCase | ScreeningCase | DisciplineCase | TransferCase | ExemptionCase
Record = Case | PlanRecord

RECORD_MODELS: dict[str, type[Record]] = {
    "admission": AdmissionCase,
    "screening": ScreeningCase,
    "discipline": DisciplineCase,
    "transfer": TransferCase,
    "exemption": ExemptionCase,
    "plan": PlanRecord,
}
"""Every record kind, keyed by the ``kind`` field and the folder name in ``cases/<unit>/``."""

ID_PREFIX = {
    "admission": "KN",
    "screening": "RS",
    "discipline": "KL",
    "transfer": "CS",
    "exemption": "MS",
    "plan": "KH",
}

KIND_LABELS = {
    "admission": "Kết nạp đảng viên",
    "screening": "Rà soát, sàng lọc đảng viên",
    "discipline": "Kỷ luật đảng viên",
    "transfer": "Chuyển sinh hoạt đảng",
    "exemption": "Miễn sinh hoạt đảng",
    "plan": "Kế hoạch thực hiện",
}

STATE_LABELS: dict[str, dict[str, str]] = {
    "admission": admission.STATE_LABELS,
    "screening": screening.STATE_LABELS,
    "discipline": discipline.STATE_LABELS,
    "transfer": transfer.STATE_LABELS,
    "exemption": exemption.STATE_LABELS,
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
    "PlanRecord",
    "Record",
    "ScreeningCase",
    "TransferCase",
]
