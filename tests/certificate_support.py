"""Pupils for the certificate search: two Киселёвы (one with «ё» in 2011, one in 2012), a Киселев
and a Григорьева, in the year snapshots of 5А (2026/2027) and 6А (2027/2028)."""

from __future__ import annotations

from builders import snapshot

KRISTINA = "Киселёва Кристина Владиславовна"
PUPILS = [(KRISTINA, "2011-04-12"), ("Киселёва Анна Игоревна", "2012-09-01"), ("Киселев Олег Ильич", "2011-01-20"),
          ("Григорьева Анна Сергеевна", "2011-12-05")]


def year_snapshot(class_name: str, grade: int, academic_year: str) -> dict:
    """The builder's class as a year snapshot of another class and year, with these pupils."""
    data = snapshot(academic_year=academic_year)
    first = int(academic_year[:4])
    data["period"] = {"kind": "year", "number": 1, "start": f"{first}-09-01", "end": f"{first + 1}-05-26"}
    data["class"] = {**data["class"], "id": f"c-{class_name}", "name": class_name, "grade": grade}
    data["source"]["exported_at"] = f"{first + 1}-06-30T18:30:00+07:00"
    for student, (name, born) in zip(data["students"], PUPILS):
        student.update(full_name=name, birth_date=born, enrolled_on=None, left_on=None)
    for subject in data["subjects"]:
        subject["period_marks"] = [{**m, "period": "year"} for m in subject["period_marks"]]
        subject["lessons"] = []
    return data
