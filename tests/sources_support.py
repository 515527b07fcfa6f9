"""A school's journal system for the source tests: a folder of snapshots served by `FileJournalServer`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from builders import snapshot
from fake_journal import PASSWORD, FileJournal

CLASSES = {"5А": ("c-5a", 5), "6Б": ("c-6b", 6)}


def class_snapshot(name: str) -> dict:
    class_id, grade = CLASSES[name]
    data = snapshot()
    data["class"].update(id=class_id, name=name, grade=grade)
    return data


def write_class(folder: Path, data: dict) -> None:
    (folder / f"{data['class']['name']}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def make_school(folder: Path, q2_end: dt.date = dt.date(2026, 12, 25)) -> Path:
    """Two classes of 2026/2027, Q2 ending on `q2_end` in the system's calendar."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "password").write_text(PASSWORD, encoding="utf-8")
    (folder / "calendar.json").write_text(json.dumps({
        "school": "МБОУ СОШ № 21", "academic_year": "2026/2027",
        "periods": [{"code": "Q1", "name": "I четверть", "start": "2026-09-01", "end": "2026-10-26"},
                    {"code": "Q2", "name": "II четверть", "start": "2026-11-05", "end": q2_end.isoformat()}]},
        ensure_ascii=False), encoding="utf-8")
    for name in CLASSES:
        write_class(folder, class_snapshot(name))
    return folder


def use_fake_journal(archive) -> None:
    """The registry answers `netschool` with the file-based fake (the test's own connector)."""
    archive.connectors.register("netschool", FileJournal)
