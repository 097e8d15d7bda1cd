"""Writing a generated province to a folder: governance files, cases, and the plan record."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoso import yamlio
from hoso.repo import expected_path
from hoso.rules.calendar import Calendar
from hoso.sample import org as org_module
from hoso.sample.cases import CaseMaker, every_state
from hoso.sample.people import People
from hoso.sample.plan import plan_record

SAMPLE_BANNER = "# DỮ LIỆU MẪU HƯ CẤU: mọi tên người, đơn vị và con số đều do máy sinh ra."

CASE_KINDS = ("admission", "screening", "discipline", "transfer", "exemption", "plan")

POLICY: dict[str, Any] = {
    "sample": True,
    "rules": [
        {
            "id": "admission-decision",
            "description": "Quyết định kết nạp, công nhận chính thức, "
            "xóa tên dự bị cần Ban Thường vụ cấp huyện phê duyệt.",
            "source": "QĐ 24-QĐ/TW, 30/7/2021",
            "match": {
                "kinds": ["admission"],
                "to_states": ["decided", "recognised", "struck_from_probation"],
            },
            "require": [{"committee": "standing", "of": "case_unit", "fraction": 0.5}],
        },
        {
            "id": "removal",
            "description": "Xóa tên, cho ra khỏi Đảng cần Ban Thường vụ cấp huyện.",
            "source": "HD 12-HD/BTCTW, 18/1/2022",
            "match": {"kinds": ["screening"], "to_states": ["struck_off", "released"]},
            "require": [{"committee": "standing", "of": "case_unit", "fraction": 0.5}],
        },
        {
            "id": "expulsion",
            "description": "Khai trừ cần Ủy ban Kiểm tra cấp huyện phê duyệt, có chữ ký số.",
            "source": "QĐ 22-QĐ/TW, 28/7/2021",
            "match": {"kinds": ["discipline"], "forms": ["expulsion"]},
            "require": [
                {
                    "committee": "inspection",
                    "of": "case_unit",
                    "fraction": 0.5,
                    "assurance": "signed",
                }
            ],
        },
        {
            "id": "any-case",
            "description": "Mọi thay đổi hồ sơ cần ít nhất một ủy viên Ban Tổ chức "
            "cấp huyện xem xét.",
            "match": {"kinds": list(CASE_KINDS)},
            "require": [{"committee": "organisation", "of": "case_unit", "count": 1}],
        },
        {
            "id": "governance",
            "description": "Thay đổi tệp quản trị cần ba ủy viên Ban Thường vụ "
            "Tỉnh ủy, có chữ ký số.",
            "match": {"kinds": ["governance"]},
            "require": [
                {"committee": "standing", "of": "province", "count": 3, "assurance": "signed"}
            ],
        },
    ],
    "corrections": [
        {"committee": "organisation", "of": "province", "count": 2, "assurance": "signed"}
    ],
    "conflicts": [],
}


@dataclass(frozen=True)
class Generated:
    cases: int
    by_kind: dict[str, int]


def generate(out: Path, cases: int, seed: int) -> Generated:
    """Write a fictional province with ``cases`` case files (plus the plan record) to ``out``."""
    rng = random.Random(seed)
    people = People(rng)
    org = org_module.build(rng, people)
    calendar = Calendar()
    _write(out / "governance/units.yaml", "units", {"sample": True, "units": org.units})
    _write(
        out / "governance/committees.yaml",
        "committees",
        {"sample": True, "committees": org.committees},
    )
    _write(out / "governance/policy.yaml", "policy", POLICY)
    _write(
        out / "governance/settings.yaml",
        "settings",
        {
            "sample": True,
            "province": org_module.PROVINCE,
            "party_card_pattern": "^[0-9]{8}$",
            "extra_holidays": [],
            "extra_workdays": [],
        },
    )
    maker = CaseMaker(rng, people, org, calendar)
    targets = every_state()[:cases]
    targets += [maker.random_target() for _ in range(cases - len(targets))]
    counts: Counter[str] = Counter()
    for kind, target in targets:
        case = maker.make(kind, target)
        _write(out / expected_path(case["unit"], kind, case["id"]), kind, case)
        counts[kind] += 1
    plan = plan_record(rng, org, "KH-2019-" + "".join(rng.choice("abcdefghjk") for _ in range(6)))
    _write(out / expected_path(plan["unit"], "plan", plan["id"]), "plan", plan)
    return Generated(cases, dict(counts))


def _write(path: Path, schema: str, data: dict[str, Any]) -> None:
    depth = len(path.parent.parts) - len(_root_of(path).parts)
    header = (
        f"# yaml-language-server: $schema={'../' * depth}schemas/{schema}.schema.json\n"
        f"{SAMPLE_BANNER}\n"
    )
    yamlio.write_atomic(path, header + yamlio.dump_plain(data))


def _root_of(path: Path) -> Path:
    for parent in path.parents:
        if parent.name in ("cases", "governance"):
            return parent.parent
    return path.parent
