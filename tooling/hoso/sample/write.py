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
from hoso.sample.organisations import rankings
from hoso.sample.people import People
from hoso.sample.plan import plan_record

SAMPLE_BANNER = "# DỮ LIỆU MẪU HƯ CẤU: mọi tên người, đơn vị và con số đều do máy sinh ra."

CASE_KINDS = (
    "admission",
    "screening",
    "discipline",
    "transfer",
    "exemption",
    "org_discipline",
    "ranking",
    "plan",
)

CODE_PATHS = (
    "tooling/**",
    "site_src/**",
    "schemas/**",
    "tests/**",
    ".github/**",
    ".gitlab/**",
    ".gitlab-ci.yml",
    ".ci/**",
    "noxfile.py",
    "pyproject.toml",
    "mkdocs.yml",
    ".pre-commit-hooks.yaml",
    ".gitattributes",
    ".gitignore",
    "README.md",
)
"""What decides how the gate and the audit work: the code rule owns it (anything else no rule
names falls to the governance rule)."""

POLICY: dict[str, Any] = {
    "sample": True,
    "rules": [
        {
            "id": "admission-decision",
            "description": "Quyết định kết nạp, công nhận chính thức, "
            "xóa tên dự bị cần Ban Thường vụ cấp huyện phê duyệt.",
            "source": "QĐ 24-QĐ/TW, 30/07/2021",
            "match": {
                "kinds": ["admission"],
                "to_states": ["decided", "recognised", "struck_from_probation"],
            },
            "require": [{"committee": "standing", "of": "case_unit", "fraction": 0.5}],
        },
        {
            "id": "removal",
            "description": "Xóa tên, cho ra khỏi Đảng và trả lời khiếu nại về việc xóa tên "
            "cần Ban Thường vụ cấp huyện.",
            "source": "HD 12-HD/BTCTW, 18/01/2022",
            "match": {
                "kinds": ["screening"],
                "to_states": ["struck_off", "released", "complaint_answered"],
            },
            "require": [{"committee": "standing", "of": "case_unit", "fraction": 0.5}],
        },
        {
            "id": "expulsion",
            "description": "Khai trừ cần Ủy ban Kiểm tra cấp huyện phê duyệt, có chữ ký số.",
            "source": "QĐ 22-QĐ/TW, 28/07/2021",
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
            "id": "org-discipline-decision",
            "description": "Quyết định kỷ luật tổ chức đảng, không thi hành kỷ luật hoặc giải "
            "quyết khiếu nại của tổ chức đảng cần Ban Thường vụ cấp huyện phê duyệt.",
            "source": "QĐ 22-QĐ/TW, 28/07/2021",
            "match": {
                "kinds": ["org_discipline"],
                "to_states": ["decided", "dismissed", "appeal_answered"],
            },
            "require": [{"committee": "standing", "of": "case_unit", "fraction": 0.5}],
        },
        {
            "id": "dissolution",
            "description": "Giải tán tổ chức đảng cần Ban Thường vụ Tỉnh ủy phê duyệt, có chữ "
            "ký số.",
            "source": "QĐ 22-QĐ/TW, 28/07/2021",
            "match": {"kinds": ["org_discipline"], "forms": ["dissolution"]},
            "require": [
                {"committee": "standing", "of": "province", "fraction": 0.5, "assurance": "signed"}
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
        {
            "id": "code",
            "description": "Thay đổi mã nguồn, quy trình CI, cấu hình và trang web (những thứ "
            "quyết định cách cổng phê duyệt và kiểm toán làm việc) cần ba ủy viên Ban Thường "
            "vụ Tỉnh ủy, có chữ ký số.",
            "match": {"paths": list(CODE_PATHS)},
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


@dataclass
class Province:
    """A generated province in memory: file path to text for the governance files, and the
    cases and plan record as plain data."""

    governance: dict[str, str]
    committees: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    plan: dict[str, Any]
    rankings: list[dict[str, Any]]


def province(cases: int, seed: int) -> Province:
    rng = random.Random(seed)
    people = People(rng)
    org = org_module.build(rng, people)
    calendar = Calendar()
    settings = {
        "sample": True,
        "province": org_module.PROVINCE,
        "party_card_pattern": "^[0-9]{8}$",
        "extra_holidays": [],
        "extra_workdays": [],
    }
    governance = {
        "governance/units.yaml": render(
            "governance/units.yaml", "units", {"sample": True, "units": org.units}
        ),
        "governance/committees.yaml": render(
            "governance/committees.yaml",
            "committees",
            {"sample": True, "committees": org.committees},
        ),
        "governance/policy.yaml": render("governance/policy.yaml", "policy", POLICY),
        "governance/settings.yaml": render("governance/settings.yaml", "settings", settings),
    }
    maker = CaseMaker(rng, people, org, calendar)
    targets = every_state()[:cases]
    targets += [maker.random_target() for _ in range(cases - len(targets))]
    made = [maker.make(kind, target) for kind, target in targets]
    plan = plan_record(rng, org, "KH-2019-" + "".join(rng.choice("abcdefghjk") for _ in range(6)))
    ranked, screenings = rankings(seed, org, maker)
    return Province(governance, org.committees, [*made, *screenings], plan, ranked)


def generate(out: Path, cases: int, seed: int) -> Generated:
    """Write a fictional province with ``cases`` case files (plus the plan record) to ``out``."""
    made = province(cases, seed)
    for rel, text in made.governance.items():
        yamlio.write_atomic(out / rel, text)
    counts: Counter[str] = Counter()
    for case in [*made.cases, made.plan, *made.rankings]:
        rel = expected_path(case["unit"], case["kind"], case["id"])
        yamlio.write_atomic(out / rel, render(rel, case["kind"], case))
        counts[case["kind"]] += 1
    by_kind = {k: n for k, n in counts.items() if k != "plan"}
    return Generated(sum(by_kind.values()), by_kind)


def render(rel: str, schema: str, data: dict[str, Any]) -> str:
    """A file's text in the house style, with its schema line and the sample banner."""
    depth = rel.count("/")
    header = (
        f"# yaml-language-server: $schema={'../' * depth}schemas/{schema}.schema.json\n"
        f"{SAMPLE_BANNER}\n"
    )
    return header + yamlio.dump_plain(data)
