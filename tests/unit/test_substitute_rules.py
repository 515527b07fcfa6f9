"""A substitute teacher on a lesson: an optional, backward compatible part of `journal-snapshot/1`."""

from __future__ import annotations

import pytest

from archive_service.domain.substitutes import substitute, substitutes
from archive_service.errors import SnapshotRejected
from archive_service.schema import canonical_bytes, json_schema, parse_snapshot
from builders import as_bytes, snapshot, subject

SUBSTITUTE = {"id": "t9", "full_name": "Петрова Анна Сергеевна"}


def with_teachers(**by_lesson: dict | None) -> dict:
    """The builder's snapshot with `teacher` set on mathematics lessons by index («l2»: lesson 3)."""
    data = snapshot()
    for key, teacher in by_lesson.items():
        subject(data, "math")["lessons"][int(key[1:])]["teacher"] = teacher
    return data


def problems_of(data: dict) -> dict[str, tuple[str, str]]:
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    return {p.code: (p.path, p.message) for p in caught.value.problems}


def test_a_snapshot_without_lesson_teachers_keeps_its_stored_form_and_a_null_one_is_stored_as_absent():
    plain = canonical_bytes(parse_snapshot(as_bytes(snapshot())))
    nulls = snapshot()
    for subj in nulls["subjects"]:
        for lesson in subj["lessons"]:
            lesson["teacher"] = None
    assert canonical_bytes(parse_snapshot(as_bytes(nulls))) == plain
    assert plain.count(b'"teacher"') == 3  # the three subjects' own, nothing on the lessons


def test_a_substitute_is_kept_and_named_only_where_the_subjects_teacher_did_not_give_the_lesson():
    own = {"id": "t1", "full_name": "Николаева Елена Павловна"}
    snap = parse_snapshot(as_bytes(with_teachers(l2=SUBSTITUTE, l5=own, l6=SUBSTITUTE)))
    math = snap.subjects[0]
    assert [substitute(math, lesson) and substitute(math, lesson).full_name for lesson in math.lessons] == \
        [None, None, "Петрова Анна Сергеевна", None, None, None, "Петрова Анна Сергеевна", None]
    assert [p.full_name for p in substitutes(math)] == ["Петрова Анна Сергеевна"]
    assert math.lessons[5].teacher == math.teacher  # stored as the journal sent it, yet no substitution
    assert canonical_bytes(snap).count(b'"teacher":{"full_name":"') == 3 + 3
    assert all(not substitutes(s) for s in snap.subjects[1:])


def test_a_lesson_teacher_is_checked_like_every_teacher():
    problems = problems_of(with_teachers(l0={"id": "t9"}, l1={**SUBSTITUTE, "phone": "1"},
                                         l2={"id": "t/9", "full_name": "Петрова\u200bАнна"}, l3="Петрова"))
    assert problems["schema.missing"][0] == "$.subjects[0].lessons[0].teacher.full_name"
    assert problems["schema.extra_forbidden"][0] == "$.subjects[0].lessons[1].teacher.phone"
    path, message = problems["schema.forbidden_character"]
    assert path.startswith("$.subjects[0].lessons[2].teacher.") and "содержит" in message
    assert problems["schema.model_type"][0] == "$.subjects[0].lessons[3].teacher"


def test_the_published_schema_describes_the_lesson_teacher_as_an_optional_person():
    lesson = json_schema()["$defs"]["Lesson"]
    assert "teacher" not in lesson.get("required", [])
    assert lesson["properties"]["teacher"]["anyOf"] == [{"$ref": "#/$defs/Person"}, {"type": "null"}]
