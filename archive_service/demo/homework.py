"""Homework as teachers write it in the journal: «§ 12, упр. 145», «с. 34, № 5–7», «Без задания».

Paragraph numbers follow the year plan's topics, page and exercise numbers grow with the
lesson's number in the year, so consecutive lessons get consecutive textbook tasks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from archive_service.demo.topics import NO_TASK, PlannedLesson

_OPTIONAL = {
    "pe": ("Комплекс утренней гимнастики", "Повторить правила техники безопасности"),
    "mus": ("Выучить слова песни", "Подготовить сообщение о композиторе"),
    "art": ("Закончить рисунок", "Принести материалы к следующему уроку"),
    "tech": ("Принести материалы к следующему уроку", "Завершить изделие"),
}
_AFTER_TEST = ("Повторить пройденный материал", NO_TASK, NO_TASK, NO_TASK)


@dataclass(frozen=True)
class Lesson:
    """Where a lesson stands: subject, grade, its number in the year and the year's total."""

    slug: str
    grade: int
    number: int
    total: int
    planned: PlannedLesson

    def page(self, per_lesson: float = 1.5, parts: int = 1) -> int:
        """The textbook page reached by this lesson (restarting in part 2 of a two-part book)."""
        span = max(self.total // parts, 1)
        return 4 + int((self.number % span if parts > 1 else self.number) * per_lesson)

    def part(self) -> int:
        return 1 if self.number < self.total // 2 else 2


def homework(lesson: Lesson, rng: random.Random) -> str:
    """The homework entry of the lesson."""
    slug, kind = lesson.slug, lesson.planned.kind
    if lesson.grade == 1:
        return NO_TASK
    if slug in _OPTIONAL:
        return rng.choice(_OPTIONAL[slug]) if rng.random() < 0.08 else NO_TASK
    if kind in {"control", "dictation", "check", "test"}:
        return rng.choice(_AFTER_TEST)
    if kind == "analysis":
        return "Выполнить работу над ошибками"
    if kind == "essay":
        return "Дописать сочинение"
    if slug == "proj":
        return "Работа над проектом"
    writer = _WRITERS.get(slug, _generic)
    return writer(lesson, rng)


def _rus(lesson: Lesson, rng: random.Random) -> str:
    ex = 2 + lesson.number * 4 + rng.randint(0, 3)
    if lesson.grade <= 4:
        if rng.random() < 0.15:
            return f"Выучить правило на с. {lesson.page(1.6, 2)}"
        return f"Ч. {lesson.part()}, с. {lesson.page(1.6, 2)}, упр. {ex // 2 % 240 + 1}"
    if lesson.grade >= 10:
        return rng.choice((f"Упр. {ex // 2}", f"Задания ЕГЭ № {rng.randint(1, 26)}", "Подготовиться к сочинению"))
    p = lesson.planned.paragraph
    if rng.random() < 0.12:
        return f"§ {p}, выучить правило; упр. {ex}"
    return f"§ {p}, упр. {ex}"


def _reading(lesson: Lesson, rng: random.Random) -> str:
    page = lesson.page(2.2, 2)
    return rng.choice((
        f"Ч. {lesson.part()}, с. {page}–{page + 3}, выразительное чтение",
        f"Пересказ текста на с. {page}–{page + 2}", f"Ответить на вопросы на с. {page + 2}",
        f"Ч. {lesson.part()}, с. {page}–{page + 4}, читать",
    ))


def _literature(lesson: Lesson, rng: random.Random) -> str:
    topic, page = lesson.planned.topic, lesson.page(3.0)
    if "Лирика" in topic or "Стихотворени" in topic or "Басни" in topic:
        return rng.choice(("Выучить стихотворение наизусть", f"Анализ стихотворения, с. {page}"))
    return rng.choice((
        f"Ответить на вопросы на с. {page}", f"Прочитать с. {page}–{page + 12}",
        "Подготовить пересказ эпизода", "Письменный ответ на вопрос", f"Прочитать с. {page}–{page + 20}",
    ))


def _maths(lesson: Lesson, rng: random.Random) -> str:
    n = 1 + lesson.number * 7 + rng.randint(0, 4)
    p = lesson.planned.paragraph
    if lesson.grade <= 4:
        return rng.choice((f"с. {lesson.page(1.4, 2)}, № {n % 9 + 1}, {n % 9 + 3}",
                           f"с. {lesson.page(1.4, 2)}, № {n % 7 + 1}–{n % 7 + 3}"))
    if lesson.slug == "geom":
        return f"п. {p}, № {n // 2}, {n // 2 + 2}"
    if lesson.slug == "prob":
        return f"§ {p}, задачи {n // 4 + 1}, {n // 4 + 2}"
    if lesson.grade >= 10:
        return f"§ {p}, № {p}.{rng.randint(3, 12)}, {p}.{rng.randint(13, 24)}"
    if lesson.slug == "math":
        return f"п. {p}, № {n}, {n + 1}, {n + 3}"
    return rng.choice((f"§ {p}, № {n}–{n + 3}", f"§ {p}, № {n}, {n + 2}, {n + 4}"))


def _english(lesson: Lesson, rng: random.Random) -> str:
    page, n = lesson.page(1.2), rng.randint(1, 9)
    return rng.choice((f"Учебник с. {page}, упр. {n}", f"Р. т. с. {page // 2 + 2}, упр. {n}",
                       f"Выучить слова на с. {page}", f"Учебник с. {page}, упр. {n}; выучить слова"))


def _science(lesson: Lesson, rng: random.Random) -> str:
    p, page = lesson.planned.paragraph, lesson.page(2.5)
    options = {
        "hist": (f"§ {p}, вопросы 1–{rng.randint(3, 5)} на с. {page}", f"§ {p}, документ на с. {page}",
                 f"§ {p}, пересказ"),
        "soc": (f"§ {p}, вопросы «Проверим себя»", f"§ {p}, задания 1–3 на с. {page}"),
        "geo": (f"§ {p}, вопросы на с. {page}", f"§ {p}, работа с контурной картой"),
        "bio": (f"§ {p}, вопросы 1–{rng.randint(3, 6)}", f"§ {p}, заполнить таблицу"),
        "phys": (f"§ {p}, упр. {p} (1, 2)", f"§ {p}, вопросы после параграфа"),
        "chem": (f"§ {p}, упр. {rng.randint(1, 4)}–{rng.randint(5, 8)}", f"§ {p}, задача {rng.randint(1, 5)}"),
        "inf": (f"§ {p}, вопросы и задания 1–{rng.randint(4, 8)}", f"§ {p}, задание в тетради"),
        "obzr": (f"§ {p}", f"§ {p}, ответить на вопросы", NO_TASK),
    }
    return rng.choice(options[lesson.slug])


def _generic(lesson: Lesson, rng: random.Random) -> str:
    page = lesson.page(2.0, 2 if lesson.grade <= 4 else 1)
    if lesson.grade <= 4:
        return rng.choice((f"Учебник ч. {lesson.part()}, с. {page}–{page + 3}, ответить на вопросы",
                           f"Р. т. с. {page // 2 + 2}", f"Ч. {lesson.part()}, с. {page}–{page + 3}"))
    return rng.choice((f"с. {page}–{page + 3}, ответить на вопросы", "Подготовить сообщение"))


_WRITERS = {
    "rus": _rus, "read": _reading, "lit": _literature, "math": _maths, "alg": _maths, "geom": _maths,
    "prob": _maths, "eng": _english, "hist": _science, "soc": _science, "geo": _science, "bio": _science,
    "phys": _science, "chem": _science, "inf": _science, "obzr": _science,
}
