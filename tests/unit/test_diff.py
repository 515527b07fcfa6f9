"""The diff between two versions of a snapshot, and the flag for retroactive changes."""

from __future__ import annotations

from archive_service.domain.diff import diff_snapshots
from archive_service.schema import parse_snapshot
from builders import as_bytes, snapshot, subject


def parsed(data: dict):
    return parse_snapshot(as_bytes(data))


def later_version() -> dict:
    return snapshot(source={"system": "Сетевой город. Образование", "exported_at": "2026-12-28T10:00:00+07:00"})


def test_identical_snapshots_have_no_changes():
    assert diff_snapshots(parsed(snapshot()), parsed(later_version())).changes == []


def test_a_changed_mark_before_the_earlier_export_is_flagged_retroactive():
    new = later_version()
    subject(new, "math")["lessons"][0]["marks"][1]["value"] = 5
    (change,) = diff_snapshots(parsed(snapshot()), parsed(new)).changes
    assert (change.change, change.kind, change.old, change.new) == ("changed", "mark", 4, 5)
    assert change.student == "Борисова Мария Андреевна" and change.retroactive


def test_added_and_removed_marks_are_listed():
    new = later_version()
    lesson = subject(new, "music")["lessons"][0]
    lesson["marks"].append({"student_id": "s1", "value": 3, "work_type": "Ответ на уроке", "set_on": "2026-11-11"})
    subject(new, "math")["lessons"][2]["marks"].pop(0)
    diff = diff_snapshots(parsed(snapshot()), parsed(new), 1, 2)
    assert sorted((c.change, c.subject) for c in diff.changes) == [("added", "Музыка"), ("removed", "Математика")]
    assert diff.summary == {"mark_added": 1, "mark_removed": 1, "retroactive": 2}


def test_changes_after_the_earlier_export_are_not_retroactive():
    old = snapshot(source={"system": "ЭлЖур", "exported_at": "2026-12-09T10:00:00+07:00"})
    for subj in old["subjects"]:
        subj["lessons"] = [lesson for lesson in subj["lessons"] if lesson["date"] <= "2026-12-09"]
    new = later_version()
    diff = diff_snapshots(parsed(old), parsed(new))
    added = [c for c in diff.changes if c.kind == "mark"]
    assert added and all(c.change == "added" and not c.retroactive for c in added)


def test_period_mark_and_absence_changes_are_listed():
    new = later_version()
    subject(new, "math")["period_marks"][1]["value"] = 5
    subject(new, "math")["lessons"][7]["absences"][0]["code"] = "У"
    kinds = {(c.kind, c.old, c.new) for c in diff_snapshots(parsed(snapshot()), parsed(new)).changes}
    assert kinds == {("period_mark", 4, 5), ("absence", "О", "У")}
