"""Who the demo school is: its number, identifier, names and director, as a snapshot's `school` says.

The demo has always been МБОУ СОШ № 21 with Сергеева Ольга Викторовна as its director (the tour,
the documentation and the benchmarks name her); that school stays as it was, whatever the seed. Any
other number — a district of demo schools (benchmarks/district.py) — is «… № n» with a director
drawn from the demo's name pools by the seed and the number, so the same seed and number always
give the same person and different schools of one seed have different directors, as a rule.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archive_service.demo import names

DEMO_NUMBER = 21
"""The number of the demo school everyone knows (`archive-service demo`, the documentation)."""
DEMO_DIRECTOR = "Сергеева Ольга Викторовна"


@dataclass(frozen=True)
class SchoolIdentity:
    """A demo school as its snapshots name it."""

    number: int
    director: str

    @classmethod
    def of(cls, number: int = DEMO_NUMBER, seed: int = 2026) -> "SchoolIdentity":
        """School № `number`; its director is drawn by `seed` (№ 21 keeps its known director)."""
        if number < 1:
            raise ValueError(f"a school's number is positive, not {number}")
        if number == DEMO_NUMBER:
            return cls(number, DEMO_DIRECTOR)
        rng = random.Random(f"{seed}/director/{number}")
        return cls(number, names.adult_name(rng, rng.choice(("f", "f", "m"))))

    @property
    def id(self) -> str:
        return f"demo-{self.number}"

    @property
    def short_name(self) -> str:
        return f"МБОУ СОШ № {self.number}"

    def as_dict(self) -> dict:
        """The snapshot's `school` object."""
        return {
            "id": self.id,
            "full_name": "Муниципальное бюджетное общеобразовательное учреждение "
                         f"«Средняя общеобразовательная школа № {self.number}»",
            "short_name": self.short_name,
            "director": {"full_name": self.director, "position": "Директор"},
        }
