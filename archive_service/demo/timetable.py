"""A class's weekly timetable: which subjects are taught on which weekday, in which order.

A subject of h hours a week gets h lessons on distinct, preferably non-adjacent days (the
sixth hour of Russian in grade 6 doubles up); a half hour becomes a lesson every other week.
Groups of a divided class share their subject's slot.
"""

from __future__ import annotations

import random
from itertools import combinations

#: a slot of the timetable: the subject's slug and None (every week) or the week parity 0/1
Slot = tuple[str, int | None]
Week = tuple[tuple[Slot, ...], ...]

#: subjects that go early in the school day
_MORNING = {"rus": 0, "math": 0, "alg": 0, "geom": 1, "eng": 1, "phys": 1, "chem": 1, "lit": 2, "read": 1}


def _day_score(days: tuple[int, ...], loads: list[int], rng: random.Random) -> float:
    adjacent = sum(1 for a, b in zip(days, days[1:]) if b - a == 1)
    return sum(loads[d] ** 2 for d in days) + 3 * adjacent + rng.random()


def _pick_days(count: int, loads: list[int], rng: random.Random) -> list[int]:
    """count weekdays (0–4), distinct while count ≤ 5, least loaded and spread out."""
    days: list[int] = []
    while count > 5:
        days.extend(range(5))
        count -= 5
    if count:
        best = min(combinations(range(5), count), key=lambda combo: _day_score(combo, loads, rng))
        days.extend(best)
    return days


def build_week(hours: dict[str, float], rng: random.Random) -> Week:
    """The timetable of a class from the weekly hours of its subjects (slug → hours)."""
    loads = [0] * 5
    days: list[list[Slot]] = [[] for _ in range(5)]
    for slug, h in sorted(hours.items(), key=lambda item: (-item[1], item[0])):
        whole = int(h)
        for day in _pick_days(whole, loads, rng):
            days[day].append((slug, None))
            loads[day] += 1
        if h > whole:
            day = min(range(5), key=lambda d: (loads[d], rng.random()))
            days[day].append((slug, rng.randint(0, 1)))
            loads[day] += 1
    return tuple(tuple(_order(day, rng)) for day in days)


def _order(day: list[Slot], rng: random.Random) -> list[Slot]:
    """Lessons of one day in order: core subjects tend to come first, PE and arts later."""
    return sorted(day, key=lambda slot: _MORNING.get(slot[0], 3) + 2.5 * rng.random())
