"""Bad input at the door: what a hostile or broken journal system sends is refused, never stored
half-understood and never a crash (issue 11, points 1, 12 and 13)."""

from __future__ import annotations

import pytest

from archive_service.errors import SnapshotRejected
from archive_service.schema import parse_snapshot
from builders import EXPORTED_AT, as_bytes, snapshot


def problems_of(raw: bytes | str) -> list:
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(raw)
    problems = caught.value.problems
    assert problems and all(p.message and p.path.startswith("$") for p in problems)
    return problems


def only_problem(data: dict):
    (problem,) = problems_of(as_bytes(data))
    return problem


# --- academic year -------------------------------------------------------------------------

def test_the_academic_year_0000_0001_is_a_clear_error_not_a_crash():
    problem = only_problem(snapshot(academic_year="0000/0001"))
    assert (problem.path, problem.code) == ("$.academic_year", "academic_year_invalid")
    assert "0000/0001" in problem.message and "2000" in problem.message


@pytest.mark.parametrize("year", ["２０２６/２０２７", "٢٠٢٦/٢٠٢٧", "2026/２０２７", "२०२६/२०२७"])
def test_an_academic_year_in_other_than_ascii_digits_is_refused(year):
    problem = only_problem(snapshot(academic_year=year))
    assert problem.path == "$.academic_year" and "цифрами 0–9" in problem.message


def test_a_plausible_academic_year_far_in_the_future_is_refused_too():
    problem = only_problem(snapshot(academic_year="9998/9999"))
    assert problem.code == "academic_year_invalid"


# --- exported_at ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1798300000", "1798300000.5", "2026-12-26 18:30:00+07:00",
                                   "2026-12-26T18:30+07:00", "2026-12-26T18:30:00", "２０２６-12-26T18:30:00+07:00"])
def test_exported_at_must_be_an_iso_8601_date_and_time_with_seconds_and_offset(value):
    problem = only_problem(snapshot(source={"system": "Сетевой город", "exported_at": value}))
    assert problem.path == "$.source.exported_at" and "2026-12-26T18:30:00+07:00" in problem.message


@pytest.mark.parametrize("value", [EXPORTED_AT, "2026-12-26T11:30:00Z", "2026-12-26T11:30:00.250+00:00",
                                   "2026-12-26T11:30:00.123456789-03:30"])
def test_exported_at_in_iso_8601_with_an_offset_is_accepted(value):
    snap = parse_snapshot(as_bytes(snapshot(source={"system": "Сетевой город", "exported_at": value})))
    assert snap.source.exported_at.utcoffset() is not None


# --- duplicate keys --------------------------------------------------------------------------

def test_a_duplicate_key_at_the_top_is_refused_and_named():
    raw = as_bytes(snapshot()).replace(b'"format"', b'"academic_year": "2025/2026", "format"', 1)
    (problem,) = problems_of(raw)
    assert (problem.path, problem.code) == ("$", "duplicate_key")
    assert "«academic_year»" in problem.message


def test_a_duplicate_key_deep_inside_is_refused_with_its_path():
    data = snapshot()
    raw = as_bytes(data).replace(b'"value": 5, "work_type"', b'"value": 5, "value": 2, "work_type"', 1)
    assert raw != as_bytes(data)
    (problem,) = problems_of(raw)
    assert problem.code == "duplicate_key" and "«value»" in problem.message
    assert problem.path == "$.subjects[0].lessons[0].marks[0]"


def test_a_duplicate_key_is_refused_also_when_the_snapshot_comes_as_text():
    text = as_bytes(snapshot()).decode().replace('"format"', '"format": "x", "format"', 1)
    assert problems_of(text)[0].code == "duplicate_key"


# --- characters ------------------------------------------------------------------------------

def _with(path: tuple, value: str) -> dict:
    data = snapshot()
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


STRING_FIELDS = [
    ("students", 0, "full_name"), ("students", 0, "id"), ("school", "full_name"), ("school", "id"),
    ("class", "name"), ("class", "id"), ("subjects", 0, "name"), ("subjects", 0, "lessons", 0, "topic"),
    ("subjects", 0, "lessons", 0, "homework"), ("subjects", 0, "lessons", 0, "marks", 0, "work_type"),
    ("source", "system"), ("school", "director", "position"),
]


@pytest.mark.parametrize("path", STRING_FIELDS, ids=lambda p: ".".join(map(str, p)))
def test_a_nul_character_in_any_string_field_is_refused_with_a_russian_message(path):
    problems = problems_of(as_bytes(_with(path, "5\x00А")))
    assert any("U+0000" in p.message for p in problems)


@pytest.mark.parametrize("name", ["10Я/../10А", "10\\А", "10А\u200b", "1\u202e0А", "10\u00a0А", "10А\x7f",
                                  "10\u2066А", "10\ufeffА", "10\u00adА", "10\u3164А"])
def test_a_class_name_with_a_separator_control_or_invisible_character_is_refused(name):
    problems = problems_of(as_bytes(_with(("class", "name"), name)))
    assert [p.path for p in problems if p.code == "schema.forbidden_character"] == ["$.class.name"]


@pytest.mark.parametrize("path", [("class", "id"), ("school", "id"), ("students", 0, "full_name"),
                                  ("subjects", 1, "id"), ("school", "short_name")],
                         ids=lambda p: ".".join(map(str, p)))
@pytest.mark.parametrize("bad", ["/", "\\", "\u200d", "\n", "\u2028"])
def test_ids_and_names_refuse_separators_and_invisible_characters(path, bad):
    problems = problems_of(as_bytes(_with(path, f"x{bad}y")))
    assert any(p.code == "schema.forbidden_character" for p in problems)


def test_free_text_keeps_line_breaks_and_slashes_but_not_other_control_characters():
    fine = _with(("subjects", 0, "lessons", 0, "homework"), "№ 12/3,\nупр. 5\tустно")
    assert parse_snapshot(as_bytes(fine)).subjects[0].lessons[0].homework.startswith("№ 12/3")
    problem = only_problem(_with(("subjects", 0, "lessons", 0, "topic"), "Тема\x1b[31m"))
    assert (problem.path, problem.code) == ("$.subjects[0].lessons[0].topic", "schema.forbidden_character")
    assert "U+001B" in problem.message


def test_the_message_names_the_character_in_russian():
    problem = only_problem(_with(("class", "name"), "10А\u200b"))
    assert "U+200B" in problem.message and "невидим" in problem.message
