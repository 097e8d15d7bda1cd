"""Invented people: names drawn from syllables, card numbers from a seeded generator.

Every combination is made up; the generator never reads a list of real persons.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Lò",
    "Quàng",
    "Cầm",
    "Lường",
    "Vàng",
    "Giàng",
    "Sùng",
    "Mùa",
    "Lý",
    "Điêu",
    "Tòng",
    "Bạc",
    "Hà",
    "Vừ",
    "Đinh",
]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "A", "Hữu", "Thành"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Diệu"]
GIVEN_MALE = [
    "Khải",
    "Tuấn",
    "Hưng",
    "Sơn",
    "Thắng",
    "Chiến",
    "Dũng",
    "Phong",
    "Lâm",
    "Nam",
    "Khoa",
    "Vượng",
    "Tùng",
    "Hải",
    "Bình",
    "Sáng",
    "Chinh",
    "Pao",
    "Dính",
    "Lử",
]
GIVEN_FEMALE = [
    "Lan",
    "Hoa",
    "Mai",
    "Xuân",
    "Thảo",
    "Hương",
    "Nga",
    "Yến",
    "Ly",
    "Dung",
    "Mỷ",
    "Chi",
    "Pà",
    "Sua",
    "Hiền",
    "Quỳnh",
    "Vân",
    "Thoa",
    "Nhung",
    "Oanh",
]
ETHNICITIES = ["Kinh", "Thái", "Mông", "Khơ Mú", "Dao", "Hà Nhì", "Lào", "Lự"]


class People:
    """A seeded source of fictional persons."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cards: set[str] = set()

    def sex(self) -> str:
        return self.rng.choice(["male", "female"])

    def name(self, sex: str) -> str:
        r = self.rng
        middle, given = (
            (MIDDLE_MALE, GIVEN_MALE) if sex == "male" else (MIDDLE_FEMALE, GIVEN_FEMALE)
        )
        return f"{r.choice(SURNAMES)} {r.choice(middle)} {r.choice(given)}"

    def ethnicity(self) -> str:
        return self.rng.choice(ETHNICITIES)

    def card(self) -> str:
        while True:
            card = f"{self.rng.randrange(10**7, 10**8):08d}"
            if card not in self._cards:
                self._cards.add(card)
                return card

    def birth(self, on: date, min_age: int, max_age: int) -> date:
        """A birth date giving an age in [min_age, max_age) years on ``on``."""
        years = self.rng.randrange(min_age, max_age)
        days = self.rng.randrange(30, 330)
        born = on - timedelta(days=365 * years + years // 4 + days)
        return born
