"""Curricula of the demo school by grade, after the federal basic curricula (5-day week).

ФОП НОО for grades 1–4, ФОП ООО for 5–9 (История 2,5 h in grade 9: the «Введение в новейшую
историю России» module), ФОП СОО for 10–11: class «А» follows the technological profile
(deep mathematics and informatics), class «Б» the universal one (deep mathematics and social
studies). A subject is identified by a short ASCII slug (`rus`, `alg`, …).
"""

from __future__ import annotations

from dataclasses import dataclass

#: slug → subject name as the journal shows it
NAMES: dict[str, str] = {
    "rus": "Русский язык",
    "read": "Литературное чтение",
    "lit": "Литература",
    "eng": "Иностранный язык (английский)",
    "math": "Математика",
    "alg": "Алгебра",
    "geom": "Геометрия",
    "prob": "Вероятность и статистика",
    "inf": "Информатика",
    "hist": "История",
    "soc": "Обществознание",
    "geo": "География",
    "bio": "Биология",
    "phys": "Физика",
    "chem": "Химия",
    "env": "Окружающий мир",
    "orkse": "Основы религиозных культур и светской этики",
    "odnknr": "Основы духовно-нравственной культуры народов России",
    "mus": "Музыка",
    "art": "Изобразительное искусство",
    "tech": "Труд (технология)",
    "pe": "Физическая культура",
    "obzr": "Основы безопасности и защиты Родины",
    "proj": "Индивидуальный проект",
}
SENIOR_ALGEBRA = "Алгебра и начала математического анализа"

#: weekly hours in grades 1–9 (index 0 = grade 1); 0 = not taught
_BASIC_HOURS: dict[str, tuple[float, ...]] = {
    "rus": (5, 5, 5, 5, 5, 6, 4, 3, 3),
    "read": (4, 4, 4, 3, 0, 0, 0, 0, 0),
    "lit": (0, 0, 0, 0, 3, 3, 2, 2, 3),
    "eng": (0, 2, 2, 2, 3, 3, 3, 3, 3),
    "math": (4, 4, 4, 4, 5, 5, 0, 0, 0),
    "alg": (0, 0, 0, 0, 0, 0, 3, 3, 3),
    "geom": (0, 0, 0, 0, 0, 0, 2, 2, 2),
    "prob": (0, 0, 0, 0, 0, 0, 1, 1, 1),
    "inf": (0, 0, 0, 0, 0, 0, 1, 1, 1),
    "hist": (0, 0, 0, 0, 2, 2, 2, 2, 2.5),
    "soc": (0, 0, 0, 0, 0, 1, 1, 1, 1),
    "geo": (0, 0, 0, 0, 1, 1, 2, 2, 2),
    "bio": (0, 0, 0, 0, 1, 1, 1, 2, 2),
    "phys": (0, 0, 0, 0, 0, 0, 2, 2, 3),
    "chem": (0, 0, 0, 0, 0, 0, 0, 2, 2),
    "env": (2, 2, 2, 2, 0, 0, 0, 0, 0),
    "orkse": (0, 0, 0, 1, 0, 0, 0, 0, 0),
    "odnknr": (0, 0, 0, 0, 1, 1, 0, 0, 0),
    "mus": (1, 1, 1, 1, 1, 1, 1, 1, 0),
    "art": (1, 1, 1, 1, 1, 1, 1, 0, 0),
    "tech": (1, 1, 1, 1, 2, 2, 2, 1, 1),
    "pe": (2, 2, 2, 2, 2, 2, 2, 2, 2),
    "obzr": (0, 0, 0, 0, 0, 0, 0, 1, 1),
}

#: weekly hours in grades 10–11 by profile: (grade 10, grade 11)
_SENIOR_HOURS: dict[str, dict[str, tuple[float, float]]] = {
    "tech": {
        "rus": (2, 2), "lit": (3, 3), "eng": (3, 3), "alg": (4, 4), "geom": (3, 3), "prob": (1, 1),
        "inf": (4, 4), "hist": (2, 2), "soc": (2, 2), "geo": (1, 1), "phys": (2, 2), "chem": (1, 1),
        "bio": (1, 1), "pe": (2, 2), "obzr": (1, 1), "proj": (1, 0),
    },
    "univ": {
        "rus": (2, 2), "lit": (3, 3), "eng": (3, 3), "alg": (4, 4), "geom": (3, 3), "prob": (1, 1),
        "inf": (1, 1), "hist": (2, 2), "soc": (4, 4), "geo": (1, 1), "phys": (2, 2), "chem": (1, 1),
        "bio": (1, 1), "pe": (2, 2), "obzr": (1, 1), "proj": (1, 0),
    },
}

#: subjects taught in two subgroups (from the given grade) when the class is large
GROUPED_FROM: dict[str, int] = {"eng": 2, "inf": 7}
GROUP_THRESHOLD = 24
PASS_FAIL = frozenset({"orkse"})
NO_HOMEWORK = frozenset({"pe", "mus", "art", "tech"})
#: subjects a grade 9 / grade 11 pupil may choose for the state exams besides the compulsory ones
EXAM_ELECTIVES = ("soc", "inf", "bio", "hist", "phys", "chem", "geo", "lit", "eng")
EXAM_COMPULSORY = ("rus", "alg")


@dataclass(frozen=True)
class SubjectSpec:
    """One line of a class's curriculum."""

    slug: str
    name: str
    hours: float
    grouped: bool


def profile_of(grade: int, letter: str) -> str:
    """`basic` for grades 1–9; `tech` (class А) or `univ` for grades 10–11."""
    if grade <= 9:
        return "basic"
    return "tech" if letter == "А" else "univ"


def subject_name(slug: str, grade: int) -> str:
    return SENIOR_ALGEBRA if slug == "alg" and grade >= 10 else NAMES[slug]


def curriculum(grade: int, letter: str, class_size: int) -> list[SubjectSpec]:
    """The subjects of a class in journal order, with weekly hours and subgroup division."""
    if grade <= 9:
        hours = {slug: row[grade - 1] for slug, row in _BASIC_HOURS.items()}
    else:
        table = _SENIOR_HOURS[profile_of(grade, letter)]
        hours = {slug: pair[grade - 10] for slug, pair in table.items()}
    specs = []
    for slug in NAMES:
        h = hours.get(slug, 0)
        if not h:
            continue
        grouped = slug in GROUPED_FROM and grade >= GROUPED_FROM[slug] and class_size > GROUP_THRESHOLD
        specs.append(SubjectSpec(slug, subject_name(slug, grade), _number(h), grouped))
    return specs


def _number(hours: float) -> int | float:
    """Whole hours as int (the schema keeps 3 and 2.5 apart)."""
    return int(hours) if float(hours).is_integer() else float(hours)


def speciality(slug: str, grade: int) -> str:
    """Which kind of teacher teaches the subject in the grade (`primary`, `ruslit`, `math`…)."""
    if grade <= 4 and slug in {"rus", "read", "math", "env", "art", "tech", "orkse"}:
        return "primary"
    return {
        "rus": "ruslit", "lit": "ruslit", "math": "math", "alg": "math", "geom": "math", "prob": "math",
        "hist": "hist", "soc": "hist", "odnknr": "hist", "proj": "class_teacher",
    }.get(slug, slug)
