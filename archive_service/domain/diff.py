"""What changed between two versions of a class's snapshot for one period.

The regulations forbid changing marks retroactively, so the diff is evidence: every mark,
period mark and absence added, removed or changed is listed, and a change to a mark dated
before the earlier version was exported is flagged as retroactive.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot


@dataclass(frozen=True)
class Change:
    change: str  # added | removed | changed
    kind: str  # mark | period_mark | absence
    subject_id: str
    subject: str
    student_id: str
    student: str
    date: dt.date
    what: str  # the work type, the period code, or «пропуск»
    old: Any
    new: Any
    retroactive: bool

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat()
        return out


@dataclass(frozen=True)
class SnapshotDiff:
    old_version: int
    new_version: int
    changes: list[Change] = field(default_factory=list)

    @property
    def retroactive(self) -> list[Change]:
        return [c for c in self.changes if c.retroactive]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(f"{c.kind}_{c.change}" for c in self.changes)
        counts["retroactive"] = len(self.retroactive)
        return dict(counts)

    def as_dict(self) -> dict[str, Any]:
        return {"old_version": self.old_version, "new_version": self.new_version, "summary": self.summary,
                "changes": [c.as_dict() for c in self.changes]}


Key = tuple[str | int, ...]  # kind, subject id, ..., student id at [3], ... (see _entries)
Entry = tuple[Any, dt.date, str, str, str]  # value, date, what, subject name, kind


def _entries(snap: Snapshot) -> dict[Key, Entry]:
    out: dict[Key, Entry] = {}
    for subject in snap.subjects:
        for lesson in subject.lessons:
            seen: Counter[tuple[str, str, str, str]] = Counter()
            for mark in lesson.marks:
                base = (subject.id, lesson.id, mark.student_id, mark.work_type)
                out[("mark", *base, seen[base])] = (mark.value, lesson.date, mark.work_type, subject.name, "mark")
                seen[base] += 1
            for absence in lesson.absences:
                out[("absence", subject.id, lesson.id, absence.student_id)] = (
                    absence.code, lesson.date, "пропуск", subject.name, "absence")
        for pm in subject.period_marks:
            out[("period_mark", subject.id, pm.period, pm.student_id)] = (
                pm.value, snap.period.end, pm.period, subject.name, "period_mark")
    return out


def diff_snapshots(old: Snapshot, new: Snapshot, old_version: int = 1, new_version: int = 2) -> SnapshotDiff:
    """Changes from `old` to `new`; `retroactive` where the date is before `old` was exported."""
    before, after = _entries(old), _entries(new)
    names = {s.id: s.full_name for s in (*old.students, *new.students)}
    cutoff = old.source.exported_at.date()
    result = SnapshotDiff(old_version, new_version)
    for key in sorted(before.keys() | after.keys(), key=lambda k: (after.get(k) or before[k])[1:2] + k):
        was, now = before.get(key), after.get(key)
        if was is not None and now is not None and was[0] == now[0]:
            continue
        change = "added" if was is None else "removed" if now is None else "changed"
        value, date, what, subject, kind = now if now is not None else before[key]
        student_id = str(key[3])  # every key kind keeps the student in the same place
        result.changes.append(Change(
            change=change, kind=kind, subject_id=str(key[1]), subject=subject, student_id=student_id,
            student=names.get(student_id, student_id), date=date, what=what,
            old=was[0] if was else None, new=now[0] if now else None, retroactive=date < cutoff))
    return result
