"""What a check found: a JSON path, a stable code for machines and a message for people."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a snapshot is rejected, e.g. `$.subjects[2].lessons[5].marks[0]`."""

    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def where(self) -> str:
        """The place in the file as a person reads it: «предмет 1, урок 1, отметка 9» (the path is
        for machines: the API and the command line's --json)."""
        return place_in_words(self.path)

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


def json_path(*parts: str | int) -> str:
    """`json_path("subjects", 2, "lessons")` → `$.subjects[2].lessons`."""
    out = ["$"]
    for part in parts:
        out.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(out)


PLACES = {"subjects": "предмет", "lessons": "урок", "marks": "отметка", "absences": "пропуск",
          "students": "ученик", "period_marks": "отметка за период", "groups": "группа", "school": "школа",
          "class": "класс", "source": "сведения о выгрузке", "period": "период", "teacher": "учитель",
          "class_teacher": "классный руководитель", "student_ids": "ученик группы"}
"""the snapshot's fields as people name them, in the order a path goes down"""
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")


def place_in_words(path: str) -> str:
    """`$.subjects[0].lessons[0].marks[8]` → «предмет 1, урок 1, отметка 9»; fields people have no
    word for are left out; the whole file (`$`) is «файл целиком»."""
    parts: list[str] = []
    for name, index in _STEP.findall(path):
        if name:
            parts.append(PLACES.get(name, ""))
        elif parts and parts[-1]:
            parts[-1] += f" {int(index) + 1}"
    words = [p for p in parts if p]
    return ", ".join(words) if words else "файл целиком"
