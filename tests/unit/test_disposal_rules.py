"""Disposal decisions and backup-set retention, on the fake unit of work: the dry run, who may
approve, what a set needs before it may leave its media."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import BackupSet, DisposalAct, DisposalActItem
from archive_service.domain.clock import Clock
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import disposal, register
from fakes import MOMENT, FakeUnitOfWork, seed_document, seed_snapshot

THE_DIRECTOR = Actor("директор", "director")
CLERK = Actor("секретарь", "secretary")

PLACE = register.Placement("кабинет 12", "шкаф 1", "папка 3")
JOURNALS_DUE = dt.date(2032, 1, 1)  # 2025/2026 journals: 5 years from 1 January 2027


def _archive(classes=("5А", "5Б", "6А", "6Б")) -> FakeUnitOfWork:
    """Registered, signed class journal copies of 2025/2026, one per class, numbers 1.. in order."""
    uow = FakeUnitOfWork()
    for name in classes:
        document = seed_document(uow, seed_snapshot(uow, name), "class_journal", signed=True)
        register.register_document(uow, document.document_id, handed_over_by="Завуч", accepted_by="Секретарь",
                                   placement=PLACE, on=dt.date(2026, 6, 1), paper_only=False, actor=CLERK,
                                   now=MOMENT)
    return uow


def _backup(uow, retain_until: dt.date, periods="Y") -> BackupSet:
    backup = BackupSet(set_id=f"set-{len(uow.backups.sets) + 1}", academic_year="2025/2026", periods=periods,
                       retain_until=retain_until, complete=True, state="complete", copies={}, destroyed_by_act=None)
    uow.backups.add(backup)
    return backup


def test_nothing_is_due_before_the_retention_ends():
    uow = _archive()
    result = disposal.plan(uow, JOURNALS_DUE - dt.timedelta(days=1))
    assert (result.eligible, result.refused, result.not_due) == ([], [], 4)


def test_holds_issues_and_open_acts_stop_a_due_file_with_a_reason():
    uow = _archive()
    register.place_hold(uow, 2026, 1, reason="судебный спор", on=dt.date(2031, 5, 1), actor=THE_DIRECTOR,
                        now=MOMENT)
    register.move_file(uow, 2026, 2, "issued", person="Инспектор", purpose="проверка", on=dt.date(2031, 5, 1),
                       return_by=dt.date(2031, 5, 15), actor=CLERK, now=MOMENT)
    act = DisposalAct(year=2032, number=1, status="proposed")
    uow.disposal.add(act)
    uow.disposal.add_item(DisposalActItem(act_id=act.id, entry_id=uow.register.get(2026, 3).id, position=1,
                                          evidence={}))
    result = disposal.plan(uow, JOURNALS_DUE)
    assert [r["register"] for r in result.eligible] == ["4/2026"]
    assert {r["register"]: r["reason"] for r in result.refused} == {
        "1/2026": "запрет уничтожения: судебный спор",
        "2/2026": "дело выдано из архива: уничтожить можно после возврата",
        "3/2026": "уже включён в акт № 1/2032"}
    row = result.eligible[0]
    assert (row["years"], row["kind"], row["retention_end"], row["place"]) == (
        5, "class_journal", "2032-01-01", "кабинет 12, шкаф 1, папка 3")


def test_a_released_hold_and_a_destroyed_file_count_as_the_rules_say():
    uow = _archive(("5А", "5Б"))
    register.place_hold(uow, 2026, 1, reason="спор", on=dt.date(2031, 5, 1), actor=THE_DIRECTOR, now=MOMENT)
    register.release_hold(uow, 2026, 1, on=dt.date(2031, 6, 1), actor=THE_DIRECTOR, now=MOMENT)
    uow.register.get(2026, 2).status = "destroyed"
    result = disposal.plan(uow, JOURNALS_DUE)
    assert [r["register"] for r in result.eligible] == ["1/2026"]
    assert result.refused == []


def test_a_backup_set_goes_only_after_its_own_retention_and_its_documents():
    uow = _archive(("5А", "5Б"))
    early = _backup(uow, dt.date(2033, 1, 1))
    held = _backup(uow, dt.date(2032, 1, 1))
    decisions = {d["set_id"]: d for d in disposal.plan(uow, JOURNALS_DUE).backup_sets}
    assert (decisions[early.set_id]["may_go"], decisions[early.set_id]["reason"]) == (False, "хранится до 01.01.2033")
    # both documents are eligible today, so the set may go with them
    assert (decisions[held.set_id]["may_go"], decisions[held.set_id]["reason"]) == (
        True, "срок хранения истёк, все документы набора уничтожены")
    register.place_hold(uow, 2026, 2, reason="спор", on=dt.date(2031, 5, 1), actor=THE_DIRECTOR, now=MOMENT)
    decision = next(d for d in disposal.plan(uow, JOURNALS_DUE).backup_sets if d["set_id"] == held.set_id)
    assert (decision["may_go"], decision["reason"]) == (False, "содержит неуничтоженные документы: 5Б (Y)")


def test_a_monthly_set_holds_the_years_class_journals_and_a_deleted_set_is_left_out():
    uow = _archive(("5А",))
    seed_document(uow, seed_snapshot(uow, "7А"), "summary_sheet")  # not in a monthly set
    monthly = _backup(uow, dt.date(2032, 1, 1), periods="месяц 2026-05")
    gone = _backup(uow, dt.date(2032, 1, 1))
    gone.destroyed_by_act = "1/2032"
    decisions = disposal.plan(uow, JOURNALS_DUE).backup_sets
    assert [(d["set_id"], d["may_go"]) for d in decisions] == [(monthly.set_id, True)]


def test_only_the_director_approves_and_nothing_is_destroyed_before_approval():
    uow = _archive(("5А",))
    clock = Clock(lambda: dt.datetime(2032, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    with pytest.raises(PermissionDenied, match="утверждает только директор"):
        disposal.approve_act(uow, None, None, "1/2032", clock=clock, actor=Actor("Секретарь", "secretary"))
    act = DisposalAct(year=2032, number=1, status="proposed")
    uow.disposal.add(act)
    with pytest.raises(ArchiveError, match="ещё не утверждён директором: уничтожать нельзя"):
        disposal.execute_act(uow, None, None, [], "1/2032", clock=clock, actor=Actor("Директор", "director"))
    with pytest.raises(ArchiveError, match="номер акта указывается как N/ГГГГ"):
        disposal.act_summary(uow, "первый")
    assert uow.register.get(2026, 1).status == "in_archive"
