"""The secretary's and the director's commands on the fake unit of work: `validate()` refuses in
Russian having written nothing, `run()` writes the action and — for a person acting through the
web pages — the request, with its origin, in the same unit of work."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.adapters.orm import DisposalAct
from archive_service.domain.actor import Actor
from archive_service.domain.clock import Clock
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import disposal, register
from fakes import MOMENT, FakeUnitOfWork, seed_document, seed_snapshot

AT_THE_DESK = Actor("Петрова Анна Сергеевна", "secretary", "web 10.0.0.7", "petrova")
AT_THE_TERMINAL = Actor("Петрова Анна Сергеевна", "secretary", "командная строка на archive-01, учётная запись petrova",
                        "petrova")
DIRECTOR = Actor("Смирнов Виктор Викторович", "director", "web 10.0.0.8", "smirnov")
PLACE = register.Placement("кабинет 12", "шкаф 1", "папка 3")


def _registration(uow: FakeUnitOfWork, document_id: str, actor: Actor, *, paper_only: bool):
    return register.RegisterDocument(uow, document_id, handed_over_by="Завуч", accepted_by="Секретарь",
                                     placement=PLACE, on=dt.date(2026, 6, 1), paper_only=paper_only, actor=actor,
                                     now=MOMENT)


def _written(uow: FakeUnitOfWork) -> tuple:
    return uow.commits, uow.audit.actions(), len(uow.register.entries), len(uow.disposal.acts)


def test_a_registration_refused_by_validate_writes_nothing():
    uow = FakeUnitOfWork()
    document = seed_document(uow, seed_snapshot(uow, "5А"))
    before = _written(uow)
    with pytest.raises(register.NotSigned, match="ещё не подписан директором"):
        _registration(uow, document.document_id, AT_THE_DESK, paper_only=False).validate()
    with pytest.raises(ArchiveError, match="не найден"):
        _registration(uow, "D-9999", AT_THE_DESK, paper_only=True).validate()
    assert _written(uow) == before


def test_a_registration_through_the_web_records_the_request_with_its_origin_in_the_same_unit_of_work():
    uow = FakeUnitOfWork()
    document = seed_document(uow, seed_snapshot(uow, "5А"))
    row = _registration(uow, document.document_id, AT_THE_DESK, paper_only=True).run()
    assert (row.year, row.number, row.status) == (2026, 1, "in_archive")
    added, request = uow.audit.events
    assert (added.action, added.actor, added.origin) == ("register.added", AT_THE_DESK.person, "")
    assert (request.action, request.actor, request.origin, request.details) == (
        "web.register_added", AT_THE_DESK.person, "web 10.0.0.7", {"register": "1/2026"})


def test_the_command_line_records_only_the_action():
    uow = FakeUnitOfWork()
    document = seed_document(uow, seed_snapshot(uow, "5А"))
    _registration(uow, document.document_id, AT_THE_TERMINAL, paper_only=True).run()
    register.place_hold(uow, 2026, 1, reason="спор", on=dt.date(2026, 7, 1), actor=AT_THE_TERMINAL, now=MOMENT)
    assert uow.audit.actions() == ["register.added", "register.hold_placed"]
    assert {e.actor for e in uow.audit.events} == {"Петрова Анна Сергеевна"}


def _act(uow: FakeUnitOfWork, status: str) -> DisposalAct:
    act = DisposalAct(year=2032, number=1, status=status, composed_on=dt.date(2032, 1, 10), composed_by="секретарь")
    uow.disposal.add(act)
    return act


def test_composing_with_nothing_due_is_refused_by_validate_having_written_nothing():
    uow = FakeUnitOfWork()
    document = seed_document(uow, seed_snapshot(uow, "5А"), "class_journal", signed=True)
    _registration(uow, document.document_id, AT_THE_DESK, paper_only=False).run()
    before = _written(uow)
    early = Clock(lambda: dt.datetime(2031, 12, 31, 9, 0, tzinfo=dt.timezone.utc))
    with pytest.raises(ArchiveError, match="на 31.12.2031 нет документов"):
        disposal.ComposeAct(uow, None, None, clock=early, actor=AT_THE_DESK).validate()
    assert _written(uow) == before


def test_approval_is_validated_before_anything_is_written():
    uow = FakeUnitOfWork()
    clock = Clock(lambda: dt.datetime(2032, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    _act(uow, "approved")
    before = _written(uow)
    with pytest.raises(PermissionDenied, match="утверждает только директор"):
        disposal.ApproveAct(uow, None, None, "1/2032", clock=clock, actor=AT_THE_DESK).validate()
    with pytest.raises(ArchiveError, match="утвердить можно только составленный акт"):
        disposal.ApproveAct(uow, None, None, "1/2032", clock=clock, actor=DIRECTOR).validate()
    with pytest.raises(ArchiveError, match="акт № 2/2032 не найден"):
        disposal.ApproveAct(uow, None, None, "2/2032", clock=clock, actor=DIRECTOR).validate()
    assert _written(uow) == before


def test_an_act_is_carried_out_only_once_approved_and_running_an_executed_one_again_records_only_the_request():
    uow = FakeUnitOfWork()
    clock = Clock(lambda: dt.datetime(2032, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    _act(uow, "proposed")
    with pytest.raises(ArchiveError, match="ещё не утверждён директором: уничтожать нельзя"):
        disposal.ExecuteAct(uow, None, None, [], "1/2032", clock=clock, actor=AT_THE_DESK).validate()
    assert uow.audit.actions() == []
    uow.disposal.get(2032, 1).status = "executed"
    result = disposal.ExecuteAct(uow, None, None, [], "1/2032", clock=clock, actor=AT_THE_DESK).run()
    assert (result["status"], result["blocked"], result["deleted_sets"]) == ("executed", [], [])
    (event,) = uow.audit.events
    assert (event.action, event.origin, event.details["status"]) == ("web.disposal_act_executed", "web 10.0.0.7",
                                                                     "executed")
