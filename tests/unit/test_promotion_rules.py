"""The pedagogical council's decisions in a year snapshot: an optional, backward compatible part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive_service.domain.promotion import DECISIONS, decision_text
from archive_service.errors import SnapshotRejected
from archive_service.schema import canonical_bytes, content_hash, json_schema, parse_snapshot
from builders import as_bytes, snapshot

DOC = Path(__file__).resolve().parents[2] / "docs" / "snapshot-format.md"
#: the content address of the documented example as archive_service computed it before
#: `promotion` existed: a stored snapshot keeps its address
DOC_EXAMPLE_SHA256 = "b49b4c8b554bad22dde675fbba523afd2136a5302a2b6a69e14452ab2c28c11a"


def year_snapshot(**overrides) -> dict:
    data = snapshot(period={"kind": "year", "number": 1, "start": "2026-09-01", "end": "2027-05-26"},
                    source={"system": "Сетевой город. Образование", "exported_at": "2027-06-30T18:30:00+07:00"})
    for subj in data["subjects"]:
        subj["period_marks"] = [{**m, "period": "year"} for m in subj["period_marks"]]
    data.update(overrides)
    return data


def decision(student_id: str, code: str = "promoted", number: str = "11", day: str = "2027-05-27") -> dict:
    return {"student_id": student_id, "decision": code, "protocol_number": number, "protocol_date": day}


def problems_of(data: dict) -> dict[str, tuple[str, str]]:
    """code → (path, message) of every problem the snapshot has."""
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    return {p.code: (p.path, p.message) for p in caught.value.problems}


def test_an_old_snapshot_without_promotion_validates_and_keeps_its_content_address():
    example = re.search(r"```json\n(\{.*?)```", DOC.read_text(encoding="utf-8"), re.S)[1]
    snap = parse_snapshot(example.encode())
    assert snap.promotion is None
    canonical = canonical_bytes(snap)
    assert b"promotion" not in canonical
    assert content_hash(canonical) == DOC_EXAMPLE_SHA256


def test_a_null_promotion_is_stored_as_if_absent():
    plain = canonical_bytes(parse_snapshot(as_bytes(year_snapshot())))
    assert canonical_bytes(parse_snapshot(as_bytes(year_snapshot(promotion=None)))) == plain


def test_a_year_snapshot_with_decisions_validates_and_keeps_them():
    data = year_snapshot(promotion=[decision("s1"), decision("s2", "promoted_conditionally"),
                                    decision("s3", "retained")])
    snap = parse_snapshot(as_bytes(data))
    assert [(p.student_id, p.decision, p.protocol_number) for p in snap.promotion] == \
        [("s1", "promoted", "11"), ("s2", "promoted_conditionally", "11"), ("s3", "retained", "11")]
    assert b'"promotion":[' in canonical_bytes(snap)


def test_promotion_in_a_quarter_snapshot_is_refused():
    path, message = problems_of(snapshot(promotion=[decision("s1", day="2026-12-20")]))["promotion_outside_year"]
    assert path == "$.promotion" and "только в снимке учебного года" in message


def test_a_decision_for_an_unknown_student_is_refused():
    path, message = problems_of(year_snapshot(promotion=[decision("s9")]))["unknown_student"]
    assert path == "$.promotion[0].student_id" and message == \
        "ученик «s9» из решения педагогического совета не найден в списке класса"


def test_two_decisions_for_one_student_are_refused():
    path, message = problems_of(year_snapshot(promotion=[decision("s1"), decision("s1")]))["duplicate_promotion"]
    assert path == "$.promotion[1]" and message == \
        "Алексеев Иван Петрович: решение педагогического совета передано дважды"


def test_an_unknown_decision_is_refused_with_the_allowed_ones():
    path, message = problems_of(year_snapshot(promotion=[decision("s1", "expelled")]))["schema.literal_error"]
    assert path == "$.promotion[0].decision" and "недопустимое значение «expelled»" in message
    assert "'graduated'" in message


def test_graduation_from_grade_5_and_promotion_from_grade_11_are_refused():
    path, message = problems_of(year_snapshot(promotion=[decision("s1", "graduated")]))[
        "promotion_decision_wrong_grade"]
    assert path == "$.promotion[0].decision" and "выпуск только из 9 и 11 класса" in message
    eleventh = year_snapshot(promotion=[decision("s1")])
    eleventh["class"] = {**eleventh["class"], "name": "11А", "grade": 11}
    assert "из 11 класса не переводят" in problems_of(eleventh)["promotion_decision_wrong_grade"][1]


@pytest.mark.parametrize("day", ["2026-08-20", "2027-07-01"])
def test_a_protocol_dated_outside_the_year_until_export_is_refused(day):
    path, message = problems_of(year_snapshot(promotion=[decision("s1", day=day)]))[
        "promotion_protocol_date_invalid"]
    assert path == "$.promotion[0].protocol_date" and "вне учебного года до выгрузки" in message


def test_a_decision_without_protocol_is_refused():
    item = decision("s1")
    del item["protocol_number"]
    assert problems_of(year_snapshot(promotion=[item]))["schema.missing"][0] == "$.promotion[0].protocol_number"


def test_the_published_schema_lists_the_decision_codes():
    spec = json_schema()["$defs"]["Promotion"]
    assert spec["properties"]["decision"]["enum"] == list(DECISIONS)
    assert set(spec["required"]) == {"student_id", "decision", "protocol_number", "protocol_date"}


def test_the_decision_reads_in_russian_agreed_with_the_student_and_names_the_next_class():
    assert decision_text("promoted", "f", 1) == "переведена во 2\u00a0класс"
    assert decision_text("promoted_conditionally", "m", 7) == "переведён в 8\u00a0класс условно"
    assert decision_text("retained", "", 3) == "оставлен(а) на повторное обучение"
    assert decision_text("graduated", "f", 11) == "выпущена"
