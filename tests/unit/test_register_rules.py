"""Register numbering, the schedule it uses, legal holds and file movements, on the fake unit of work."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DisposalAct, DisposalActItem, DocumentSupersession
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import register
from fakes import MOMENT, FakeUnitOfWork, seed_document, seed_snapshot

THE_DIRECTOR = Actor("директор", "director")
CLERK = Actor("секретарь", "secretary")

PLACE = register.Placement("кабинет 12", "шкаф 1", "папка 3")


def _register(uow, document, *, on=dt.date(2026, 6, 1), paper_only=False) -> register.RegisterRow:
    return register.register_document(uow, document.document_id, handed_over_by="Завуч", accepted_by="Секретарь",
                                      placement=PLACE, on=on, paper_only=paper_only, actor=CLERK, now=MOMENT)


def _signed(uow, class_name="5А", kind="summary_sheet"):
    return seed_document(uow, seed_snapshot(uow, class_name), kind, signed=True)


def test_numbers_follow_each_other_within_a_year_and_start_again_on_1_january():
    uow = FakeUnitOfWork()
    first, second, third = _signed(uow, "5А"), _signed(uow, "5Б"), _signed(uow, "6А")
    assert (_register(uow, first).number, _register(uow, second).number) == (1, 2)
    next_year = _register(uow, third, on=dt.date(2027, 1, 10))
    assert (next_year.year, next_year.number) == (2027, 1)
    assert [e.details for e in uow.audit.events if e.action == "register.added"] == [
        {"year": 2026, "number": 1}, {"year": 2026, "number": 2}, {"year": 2027, "number": 1}]
    assert [(r.year, r.number) for r in register.list_register(uow, 2026)] == [(2026, 1), (2026, 2)]


def test_the_entry_keeps_the_place_and_the_schedule_of_its_kind():
    uow = FakeUnitOfWork()
    row = _register(uow, _signed(uow, "9А", "class_journal"))
    # the 2025/2026 file closes on 31.08.2026; 5 years counted from 1 January of the next year
    assert row.retention_end == "2032-01-01"
    assert (row.room, row.cabinet, row.folder, row.status) == ("кабинет 12", "шкаф 1", "папка 3",
                                                                           "in_archive")
    assert row.title == "Бумажная копия электронного классного журнала, 9А класс"


def test_an_edited_schedule_applies_to_the_next_entries():
    uow = FakeUnitOfWork()
    register.set_rule(uow, "summary_sheet", years=50, case_index="02-07", actor=CLERK, now=MOMENT)
    row = _register(uow, _signed(uow))
    assert (row.retention_end, row.case_index) == ("2077-01-01", "02-07")
    with pytest.raises(NotFoundError):
        register.set_rule(uow, "timetable", years=5, actor=CLERK, now=MOMENT)


def test_unsigned_documents_wait_for_the_signature_unless_the_school_works_on_paper():
    uow = FakeUnitOfWork()
    document = seed_document(uow, seed_snapshot(uow, "5А"))
    with pytest.raises(register.NotSigned, match="ещё не подписан директором"):
        _register(uow, document)
    assert uow.register.entries == [] and uow.register.counters == {}
    assert _register(uow, document, paper_only=True).number == 1


def test_a_document_is_registered_once_and_a_replaced_copy_not_at_all():
    uow = FakeUnitOfWork()
    document = _signed(uow)
    _register(uow, document)
    with pytest.raises(ArchiveError, match="уже внесён в реестр"):
        _register(uow, document)
    old = seed_document(uow, seed_snapshot(uow, "5Б"), signed=True)
    new = seed_document(uow, seed_snapshot(uow, "5Б", version=2), signed=True)
    uow.supersessions.add(DocumentSupersession(superseded_id=old.id, successor_id=new.id, reason="исправлена отметка",
                                               version=2, corrected_by="завуч", corrected_at=MOMENT,
                                               recorded_at=MOMENT, recorded_by="завуч"))
    with pytest.raises(ArchiveError, match=f"в реестр вносится действующая копия \\(документ {new.document_id}\\)"):
        _register(uow, old)
    with pytest.raises(NotFoundError):
        register.register_document(uow, "D-9999", handed_over_by="", accepted_by="", placement=PLACE,
                                   on=dt.date(2026, 6, 1), paper_only=True, actor=CLERK, now=MOMENT)


def test_holds_are_placed_shown_on_due_entries_and_released():
    uow = FakeUnitOfWork()
    _register(uow, _signed(uow, "9А", "class_journal"))
    register.place_hold(uow, 2026, 1, reason="запрос прокуратуры", on=dt.date(2026, 7, 1), actor=THE_DIRECTOR,
                        now=MOMENT)
    assert register.holds(uow) == {(2026, 1): "запрос прокуратуры"}
    due = register.retention_due(uow, dt.date(2032, 1, 1))
    assert [(r.number, r.hold) for r in due] == [(1, "запрос прокуратуры")]
    assert register.retention_due(uow, dt.date(2031, 12, 31)) == []
    register.release_hold(uow, 2026, 1, on=dt.date(2027, 1, 1), actor=THE_DIRECTOR, now=MOMENT)
    assert register.holds(uow) == {}
    with pytest.raises(ArchiveError, match="нет действующего запрета"):
        register.release_hold(uow, 2026, 1, on=dt.date(2027, 1, 1), actor=THE_DIRECTOR, now=MOMENT)
    with pytest.raises(NotFoundError, match="нет записи №7/2026"):
        register.place_hold(uow, 2026, 7, reason="—", on=dt.date(2027, 1, 1), actor=THE_DIRECTOR, now=MOMENT)


def test_no_hold_and_no_issue_once_destruction_has_begun():
    uow = FakeUnitOfWork()
    _register(uow, _signed(uow))
    entry = uow.register.get(2026, 1)
    act = DisposalAct(year=2053, number=1, status="approved")
    uow.disposal.add(act)
    uow.disposal.add_item(DisposalActItem(act_id=act.id, entry_id=entry.id, position=1, evidence={},
                                          destruction_started_at=MOMENT))
    with pytest.raises(ArchiveError, match="по акту № 1/2053 уже начато: запретить уничтожение нельзя"):
        register.place_hold(uow, 2026, 1, reason="—", on=dt.date(2053, 1, 2), actor=THE_DIRECTOR, now=MOMENT)
    with pytest.raises(ArchiveError, match="выдать его нельзя"):
        register.move_file(uow, 2026, 1, "issued", person="инспектор", purpose="проверка", on=dt.date(2053, 1, 2),
                           return_by=dt.date(2053, 1, 16), actor=CLERK, now=MOMENT)
    assert uow.holds.holds == [] and uow.register.movements == []


def test_a_file_is_issued_and_returned_in_turn():
    uow = FakeUnitOfWork()
    _register(uow, _signed(uow))
    issue = dict(person="Инспектор Петрова", purpose="проверка", on=dt.date(2026, 9, 1), actor=CLERK,
                 now=MOMENT, return_by=dt.date(2026, 9, 15))
    with pytest.raises(ArchiveError, match="сейчас в архиве: вернуть нельзя"):
        register.move_file(uow, 2026, 1, "returned", **issue)
    register.move_file(uow, 2026, 1, "issued", **issue)
    assert register.issued_to(uow) == {(2026, 1): {"person": "Инспектор Петрова", "purpose": "проверка",
                                                   "on": dt.date(2026, 9, 1), "return_by": dt.date(2026, 9, 15)}}
    with pytest.raises(ArchiveError, match="сейчас выдано: выдать нельзя"):
        register.move_file(uow, 2026, 1, "issued", **issue)
    register.move_file(uow, 2026, 1, "returned", **issue)
    assert register.issued_to(uow) == {} and uow.register.get(2026, 1).status == "in_archive"
    assert [(m.action, m.return_by) for m in uow.register.movements] == [("issued", dt.date(2026, 9, 15)),
                                                                         ("returned", None)]
