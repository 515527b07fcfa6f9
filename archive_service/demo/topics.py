"""Year plans of lesson topics (тематическое планирование) and homework for the demo journal.

A subject's progression (from the `topics_*` data modules) is spread over the exact number of
lessons the class has in the year: every topic gets one lesson or more, units close with a
test, the year opens with an entrance test and ends with the final one. Each planned lesson
knows its kind (test, dictation, laboratory work…), which drives the marks given at it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from archive_service.demo import (
    topics_arts, topics_humanities, topics_maths, topics_primary, topics_russian, topics_science,
)

_ALL_PROGRAMS = {
    **topics_primary.PROGRAMS, **topics_russian.PROGRAMS, **topics_maths.PROGRAMS,
    **topics_humanities.PROGRAMS, **topics_science.PROGRAMS, **topics_arts.PROGRAMS,
}

#: subjects whose units close with a «Контрольная работа» (from grade 2)
CONTROL_SLUGS = frozenset({"rus", "math", "alg", "geom", "phys", "chem", "eng"})
#: subjects with an entrance test and an analysis lesson after each test
BIG_SLUGS = frozenset({"rus", "math", "alg"})
_SOLVING = frozenset({"math", "alg", "geom", "prob", "phys", "chem"})
NO_TASK = "Без задания"
#: topics that always take exactly one lesson
_ONE_LESSON = ("Инструктаж", "Вводный урок", "Итоговый урок", "Проверка техники", "Летнее чтение")

_KIND_PREFIXES = (
    ("Контрольный диктант", "dictation"), ("Контрольная работа", "control"),
    ("Входная контрольная", "control"), ("Промежуточная аттестация", "control"),
    ("Итоговое тестирование", "control"), ("Лабораторная работа", "lab"),
    ("Практическая работа", "practical"), ("Сочинение", "essay"), ("Проверочная работа", "check"),
    ("Проверка техники чтения", "check"), ("Повторительно-обобщающий урок", "test"),
    ("Анализ контрольной", "analysis"), ("Инструктаж", "intro"),
)


@dataclass(frozen=True)
class PlannedLesson:
    """One lesson of the year plan: its topic, kind and textbook paragraph."""

    topic: str
    kind: str
    paragraph: int


@dataclass(frozen=True)
class _Item:
    text: str
    fixed: bool  # a one-lesson item (test, lab…) rather than a topic that may take several


def lesson_kind(topic: str) -> str:
    """`control`, `dictation`, `lab`, `practical`, `essay`, `check`, `test`, `analysis`, `intro` or `regular`."""
    return next((kind for prefix, kind in _KIND_PREFIXES if topic.startswith(prefix)), "regular")


def _program_text(slug: str, grade: int) -> str:
    for key, text in _ALL_PROGRAMS.items():
        name, _, grades = key.partition(":")
        low, _, high = grades.partition("-")
        if name == slug and int(low) <= grade <= int(high or low):
            return text
    raise KeyError(f"no topic progression for {slug} in grade {grade}")


@lru_cache(maxsize=None)
def _units(slug: str, grade: int) -> tuple[tuple[str, bool, tuple[str, ...]], ...]:
    """(title, closes with a test, topics) for each unit of the progression."""
    units: list[tuple[str, bool, list[str]]] = []
    for line in _program_text(slug, grade).strip().splitlines():
        if line.startswith("#"):
            units.append((line.lstrip("#! ").strip(), not line.startswith("#!"), []))
        else:
            units[-1][2].extend(t.strip() for t in line.split(";") if t.strip())
    return tuple((title, closes, tuple(topics)) for title, closes, topics in units)


class _Numbering:
    """Running numbers of tests, laboratory and practical works within the year."""

    def __init__(self) -> None:
        self.counts = {"К": 0, "Л": 0, "П": 0}

    def next(self, key: str) -> int:
        self.counts[key] += 1
        return self.counts[key]

    def expand(self, topic: str) -> _Item:
        if topic.startswith("Л: "):
            return _Item(f"Лабораторная работа № {self.next('Л')} «{topic[3:]}»", True)
        if topic.startswith("П: "):
            return _Item(f"Практическая работа № {self.next('П')} «{topic[3:]}»", True)
        if topic.startswith("К: "):
            return _Item(topic[3:], True)
        return _Item(topic, lesson_kind(topic) != "regular" or topic.startswith(_ONE_LESSON))


def _closing(slug: str, grade: int, title: str, numbering: _Numbering) -> list[_Item]:
    if slug not in CONTROL_SLUGS:
        return [_Item(f"Повторительно-обобщающий урок по теме «{title}»", True)]
    n = numbering.next("К")
    what = "Контрольный диктант" if slug == "rus" and grade <= 9 and n % 2 else "Контрольная работа"
    items = [_Item(f"{what} № {n} по теме «{title}»", True)]
    if slug in BIG_SLUGS:
        items.append(_Item("Анализ контрольной работы. Работа над ошибками", True))
    return items


def _items(slug: str, grade: int) -> list[_Item]:
    numbering = _Numbering()
    tested = grade >= 2 and slug in CONTROL_SLUGS
    items: list[_Item] = []
    for title, closes, topics in _units(slug, grade):
        for topic in topics:
            items.append(numbering.expand(topic))
            if len(items) == 2 and tested and slug in BIG_SLUGS:
                items.append(_Item("Входная контрольная работа", True))
        if closes and grade >= 2 and len(topics) >= 3:
            items.extend(_closing(slug, grade, title, numbering))
    if tested:
        items.append(_Item("Промежуточная аттестация. Итоговая контрольная работа", True))
        items.append(_Item("Повторение и обобщение изученного за год", False))
    return items


def _fit(items: list[_Item], n: int) -> list[_Item]:
    """Drop analysis lessons, then evenly spread topics, until the plan fits n lessons."""
    if len(items) > n:
        items = [it for it in items if lesson_kind(it.text) != "analysis"]
    if len(items) > n:
        fixed = sum(it.fixed for it in items)
        regular = [i for i, it in enumerate(items) if not it.fixed]
        keep_count = max(n - fixed, 1)
        keep = {regular[round(k * len(regular) / keep_count)] for k in range(keep_count)}
        items = [it for i, it in enumerate(items) if it.fixed or i in keep]
    return items[:n]


def _variant(slug: str, grade: int, topic: str, repeat: int) -> str:
    """The topic as written at its repeat-th extra lesson."""
    if "«" in topic or grade == 1 or topic.startswith(("Повторение", "Решение")):
        return topic
    if slug in _SOLVING and grade >= 5 and repeat % 2 == 1:
        return f"Решение задач по теме «{topic}»"
    if slug in {"rus", "math", "eng"} and repeat % 3 == 2:
        return f"{topic}. Закрепление"
    return topic


def year_plan(slug: str, grade: int, n_lessons: int, seed: str) -> list[PlannedLesson]:
    """Exactly n_lessons planned lessons of the subject in the grade, in order."""
    items = _fit(_items(slug, grade), n_lessons)
    regular = [i for i, it in enumerate(items) if not it.fixed]
    spare = n_lessons - len(items)
    lessons_of = {i: 1 for i in range(len(items))}
    if regular and spare > 0:
        for i in regular:
            lessons_of[i] += spare // len(regular)
        for i in random.Random(seed).sample(regular, spare % len(regular)):
            lessons_of[i] += 1
    plan: list[PlannedLesson] = []
    paragraph = 0
    for i, item in enumerate(items):
        if not item.fixed:
            paragraph += 1
        for repeat in range(lessons_of[i]):
            text = _variant(slug, grade, item.text, repeat) if repeat else item.text
            plan.append(PlannedLesson(text, lesson_kind(text), max(paragraph, 1)))
    while len(plan) < n_lessons:  # a plan without regular topics: repeat the last lesson
        plan.append(plan[-1] if plan else PlannedLesson("Вводный урок", "regular", 1))
    return plan
