"""Plan 63-KH/TU (19/04/2019) as a plan record, its tasks summarised in our own words."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from hoso.sample.org import PROVINCE, Org

TASKS: list[dict[str, Any]] = [
    {
        "id": "quan-triet",
        "title": "Tổ chức học tập, quán triệt Chỉ thị 28-CT/TW và xây dựng kế "
        "hoạch riêng của từng đảng bộ",
        "responsible": ["Ban Thường vụ cấp ủy cấp huyện"],
        "applies_to": "district",
        "deadline": date(2019, 4, 30),
    },
    {
        "id": "ra-soat-dot-dau",
        "title": "Rà soát đội ngũ đảng viên lần đầu, làm rõ các trường hợp "
        "không còn đủ tư cách và đưa ra khỏi Đảng",
        "responsible": ["Ban Thường vụ cấp ủy cấp huyện", "Ban Tổ chức Tỉnh ủy"],
        "applies_to": "district",
        "deadline": date(2019, 5, 18),
    },
    {
        "id": "ra-soat-thuong-xuyen",
        "title": "Rà soát, sàng lọc thường xuyên từ chi bộ",
        "responsible": ["Cấp ủy cơ sở", "Chi bộ"],
        "applies_to": "cell",
        "recurrence": "continuous",
    },
    {
        "id": "kiem-tra-chi-bo",
        "title": "Cấp ủy cấp trên trực tiếp kiểm tra việc sinh hoạt đảng "
        "và quản lý đảng viên ở các chi bộ",
        "responsible": ["Cấp ủy cơ sở"],
        "applies_to": "grassroots",
        "recurrence": "half_yearly",
    },
    {
        "id": "bao-cao-6-thang",
        "title": "Báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy qua Ban Tổ chức Tỉnh ủy",
        "responsible": ["Ban Thường vụ cấp ủy cấp huyện"],
        "applies_to": "district",
        "recurrence": "half_yearly",
    },
    {
        "id": "chuong-trinh-boi-duong",
        "title": "Rà soát chương trình bồi dưỡng nhận thức về Đảng và quy trình kiểm tra cuối khóa",
        "responsible": ["Ban Tuyên giáo Tỉnh ủy"],
        "applies_to": "province",
    },
    {
        "id": "giam-sat-mat-tran",
        "title": "Mặt trận và các đoàn thể giám sát đảng viên, giới thiệu "
        "quần chúng ưu tú, phản ánh đảng viên suy thoái",
        "responsible": ["Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội"],
        "applies_to": "province",
        "recurrence": "continuous",
    },
    {
        "id": "ket-nap-moi",
        "title": "Kết nạp đảng viên mới theo tiêu chuẩn, không chạy theo số lượng",
        "responsible": ["Ban Thường vụ cấp ủy cấp huyện"],
        "applies_to": "district",
        "recurrence": "yearly",
        "target": 60,
    },
]

SUMMARY = (
    "Kế hoạch của Ban Thường vụ Tỉnh ủy Điện Biên triển khai Chỉ thị 28-CT/TW: nâng chất lượng "
    "kết nạp theo tiêu chuẩn thay vì theo số lượng; rà soát mọi đảng viên bắt đầu từ chi bộ và "
    "đưa ra khỏi Đảng người không còn đủ tư cách; các đảng bộ cấp huyện báo cáo 6 tháng một lần "
    "qua Ban Tổ chức Tỉnh ủy; kết quả được tính vào xếp loại chất lượng hằng năm. Các tiến độ "
    "báo cáo dưới đây là dữ liệu mẫu của một tỉnh hư cấu."
)


def plan_record(rng: random.Random, org: Org, case_id: str) -> dict[str, Any]:
    districts = [u["code"] for u in org.units if u["level"] == "district"]
    reports = []
    for district in districts:
        study_day = date(2019, 4, 30) - timedelta(days=rng.randrange(-6, 20))
        reports.append(
            {"unit": district, "task": "quan-triet", "date": study_day, "status": "done"}
        )
        review_day = date(2019, 5, 18) - timedelta(days=rng.randrange(-10, 15))
        reports.append(
            {
                "unit": district,
                "task": "ra-soat-dot-dau",
                "date": review_day,
                "status": "done" if rng.random() < 0.85 else "in_progress",
            }
        )
        for year in range(2019, 2026):
            for month, day in ((6, 25), (12, 20)):
                reports.append(
                    {
                        "unit": district,
                        "task": "bao-cao-6-thang",
                        "date": date(year, month, day) - timedelta(days=rng.randrange(0, 9)),
                        "status": "done",
                        "document": {
                            "number": f"{rng.randrange(100, 400)}-BC/HU",
                            "date": date(year, month, day - 1),
                            "issuer": f"{district}.standing",
                        },
                    }
                )
            reports.append(
                {
                    "unit": district,
                    "task": "ket-nap-moi",
                    "date": date(year, 12, 28),
                    "status": "done",
                    "value": rng.randrange(35, 80),
                }
            )
    reports.sort(key=lambda r: (r["date"], r["unit"], r["task"]))
    return {
        "id": case_id,
        "kind": "plan",
        "unit": PROVINCE,
        "sample": True,
        "document": {"number": "63-KH/TU", "date": date(2019, 4, 19), "issuer": PROVINCE},
        "title": "Kế hoạch thực hiện Chỉ thị số 28-CT/TW ngày 21/01/2019 của Ban Bí thư về nâng "
        "cao chất lượng kết nạp đảng viên và rà soát, sàng lọc đảng viên",
        "implements": [{"number": "28-CT/TW", "date": date(2019, 1, 21), "issuer": "ban-bi-thu"}],
        "summary": SUMMARY,
        "tasks": TASKS,
        "reports": reports,
    }
