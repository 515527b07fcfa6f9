"""The 5-day procedure board on the fake unit of work: deadlines, records people make, facts the
archive knows (signature, register entry, the backup set's hand-over), corrections."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.adapters.orm import BackupSet, RegisterEntry
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import period_steps
from fakes import MOMENT, FakeUnitOfWork, seed_document, seed_snapshot

DEPUTY = Actor("завуч", "deputy")

END = dt.date(2026, 5, 26)  # the period's last day; day 1 of the holidays is 27.05


def _board(uow, today=dt.date(2026, 5, 27)):
    return period_steps.period_board(uow, "2025/2026", "Y", today)


def _states(row) -> dict[str, str]:
    return {cell.step.code: cell.state for cell in row.cells}


def _uow(*classes: str) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for name in classes:
        seed_snapshot(uow, name)
    return uow


def test_deadlines_are_counted_in_days_of_the_holidays():
    board = _board(_uow("5А"))
    assert board.period_end == END
    assert board.deadlines["marks_checked"] == dt.date(2026, 5, 27)
    assert board.deadlines["copies_printed"] == dt.date(2026, 5, 28)
    assert board.deadlines["director_signed"] == dt.date(2026, 5, 31)
    assert set(_states(board.classes[0]).values()) == {"pending"}


def test_steps_not_done_by_their_day_are_late():
    board = _board(_uow("5А"), today=dt.date(2026, 5, 29))
    states = _states(board.classes[0])
    assert (states["marks_checked"], states["backups"], states["teachers_signed"]) == ("late", "late", "pending")
    assert board.count("late") == 3


def test_a_record_marks_a_step_done_and_a_newer_record_undoes_it():
    uow = _uow("5А", "5Б")
    assert period_steps.record_step(uow, "2025/2026", "Y", "marks_checked", ["5А", "5Б", "5А"], actor=DEPUTY,
                                    note=" проверено ", now=MOMENT) == 2
    rows = {r.class_name: r for r in _board(uow).classes}
    assert _states(rows["5А"])["marks_checked"] == _states(rows["5Б"])["marks_checked"] == "done"
    assert rows["5А"].cells[0].record.note == "проверено"
    period_steps.record_step(uow, "2025/2026", "Y", "marks_checked", ["5Б"], done=False, actor=DEPUTY,
                             now=MOMENT + dt.timedelta(hours=1))
    rows = {r.class_name: r for r in _board(uow).classes}
    assert (_states(rows["5А"])["marks_checked"], _states(rows["5Б"])["marks_checked"]) == ("done", "pending")
    assert uow.audit.actions() == ["period.step_recorded"] * 2 + ["period.step_undone"]


def test_records_for_unknown_classes_or_steps_are_refused_whole():
    uow = _uow("5А")
    with pytest.raises(NotFoundError, match="нет классов: 9Я"):
        period_steps.record_step(uow, "2025/2026", "Y", "marks_checked", ["5А", "9Я"], actor=DEPUTY, now=MOMENT)
    with pytest.raises(ArchiveError, match="нет такого шага"):
        period_steps.record_step(uow, "2025/2026", "Y", "lunch", ["5А"], actor=DEPUTY, now=MOMENT)
    with pytest.raises(NotFoundError, match="нет сохранённых снимков"):
        period_steps.period_board(uow, "2025/2026", "1", dt.date(2026, 5, 27))
    assert uow.steps.rows == []


def test_the_signature_and_the_register_entry_settle_their_steps():
    uow = _uow("5А")
    document = seed_document(uow, uow.snapshots.records[0], "class_journal", signed=True)
    uow.register.add(RegisterEntry(year=2026, number=7, document_id=document.id, registered_on=dt.date(2026, 5, 30),
                                   accepted_by="Секретарь", status="in_archive"))
    row = _board(uow).classes[0]
    states = _states(row)
    assert (states["copies_printed"], states["director_e_signed"], states["registered"]) == ("pending", "done", "done")
    assert states["director_signed"] == "pending"  # the paper signature is not the electronic one
    assert (row.document_id, row.signed) == (document.document_id, True)
    registered = next(c for c in row.cells if c.step.code == "registered")
    assert registered.facts[0].text == "в реестре № 7 за 2026 г."


def test_the_backups_step_is_done_when_the_director_confirms_the_newest_complete_set():
    uow = _uow("5А")
    backup = BackupSet(set_id="s1", academic_year="2025/2026", periods="1,2,Y", complete=True,
                       copies={"A": {}, "B": {}},
                       created_at=MOMENT, created_by="завуч", destroyed_by_act=None, handover_confirmed_at=None,
                       retain_until=dt.date(2052, 1, 1), files=3, size=10)
    uow.backups.add(backup)
    board = _board(uow)
    assert [f.text for f in board.period_facts["backups"]] == ["записана и проверена на 2 носителях",
                                                               "директор ещё не подтвердил получение"]
    assert _states(board.classes[0])["backups"] == "pending"
    backup.handover_confirmed_at, backup.handover_confirmed_by = MOMENT, "директор"
    assert _states(_board(uow).classes[0])["backups"] == "done"
    assert [b.set_id for b in period_steps.period_backups(uow, "2025/2026", "Y")] == ["s1"]
    assert period_steps.period_backups(uow, "2025/2026", "3") == []


def test_after_a_correction_the_steps_start_again_for_the_new_copy():
    uow = _uow("5А")
    old = seed_document(uow, uow.snapshots.records[0], "class_journal", signed=True)
    period_steps.record_step(uow, "2025/2026", "Y", "marks_checked", ["5А"], actor=DEPUTY, now=MOMENT)
    seed_snapshot(uow, "5А", version=2, ingested_at=MOMENT + dt.timedelta(days=1), reason="исправлена отметка")
    row = _board(uow).classes[0]
    states = _states(row)
    assert (states["marks_checked"], states["director_e_signed"]) == ("pending", "pending")
    assert row.document_id is None and row.corrections[0].startswith("журнал исправлен: версия снимка 2, "
                                                                     "причина: исправлена отметка")
    signed_before = next(c for c in row.cells if c.step.code == "director_e_signed").history
    assert [f.text for f in signed_before] == ["прежняя копия: подписано электронной подписью"]
    assert old.document_id != row.document_id
