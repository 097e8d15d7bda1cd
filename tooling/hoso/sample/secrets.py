"""Confidential values for the sample, distinct from case to case as real ones are (so that the
site's privacy check is tried on thousands of values, not three), drawn from a generator of
each case's own so the rest of the sample does not change with them."""

from __future__ import annotations

import random

from hoso.sample.people import People

_WORK = ["làm ruộng", "giáo viên", "công nhân", "buôn bán nhỏ", "bộ đội xuất ngũ", "y sĩ"]
_ILLNESS = ["viêm phổi", "gãy xương", "tim mạch", "thận", "dạ dày", "cột sống"]
_PLACES = ["Bệnh viện tỉnh", "Bệnh viện huyện", "Bệnh viện khu vực", "Trạm y tế xã"]
_ROLES = ["Trưởng ban công tác Mặt trận", "Chi hội trưởng phụ nữ", "Trưởng thôn", "Bí thư đoàn"]


def secret(case_id: str, field: str) -> str:
    """A fictional confidential value for ``field`` of the case ``case_id``."""
    rng = random.Random(f"hoso-mat|{case_id}|{field}")
    people = People(rng)
    if field == "family_background":
        father, mother = people.name("male"), people.name("female")
        return (
            f"Gia đình mẫu: bố {father} ({rng.choice(_WORK)}), mẹ {mother} "
            f"({rng.choice(_WORK)}); {rng.randint(1, 6)} anh chị em; không có tiền án "
            f"(dữ liệu hư cấu, {case_id})."
        )
    if field == "health":
        return (
            f"Điều trị {rng.choice(_ILLNESS)} dài ngày tại {rng.choice(_PLACES)}, hồ sơ bệnh án "
            f"số {rng.randint(1000, 99999)} (dữ liệu hư cấu, {case_id})."
        )
    return (
        f"{rng.choice(_ROLES)} {people.name(rng.choice(['male', 'female']))} phản ánh "
        f"(dữ liệu mẫu, {case_id})."
    )
