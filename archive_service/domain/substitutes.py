"""Substitute teachers: who gave a lesson when the subject's teacher did not.

The regulations (003 §2.11, 004 §5.4) have the substitute fill in the journal for the lessons
they give and sign for them; `journal-snapshot/1` names them as a lesson's optional `teacher`.
A lesson without one, or naming the subject's own teacher (the same `id`), was given by the
subject's teacher: it is not a substitution, and nothing about it is printed differently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Lesson, Person, Subject


def substitute(subject: Subject, lesson: Lesson) -> Person | None:
    """The teacher who gave `lesson` in place of the subject's teacher; None when it was theirs."""
    teacher = lesson.teacher
    if teacher is None or teacher.id == subject.teacher.id:
        return None
    return teacher


def substitutes(subject: Subject) -> list[Person]:
    """Every substitute of the subject once, in the order of their first lesson."""
    seen: dict[str, Person] = {}
    for lesson in subject.lessons:
        teacher = substitute(subject, lesson)
        if teacher is not None and teacher.id not in seen:
            seen[teacher.id] = teacher
    return list(seen.values())
