"""A school year bound per year: the setting (per school year, audited, on the administrator's
procedures page), the board's year-end steps for the volume settled by the volume itself, and the
register taking the volume as the file with the period copies as its parts."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.domain.periods import period_title
from archive_service.services import documents, period_steps, procedures, register
from retention import file_closes_on, retention_end
from conftest import NOW
from test_volume import AFTER_THE_YEAR, DEPUTY, YEAR, make, store_year

ADMIN = Actor("Иванов Пётр Сергеевич", "admin")
STEPS = ("volume_made", "volume_bound")


def board_cells(archive, period="Q4"):
    board = period_steps.period_board(archive.uow(), YEAR, period, AFTER_THE_YEAR)
    return {c.step.code: c for row in board.classes for c in row.cells if c.step.code in STEPS}


def test_a_year_bound_per_period_has_no_volume_steps(archive):
    store_year(archive)
    assert board_cells(archive) == {}
    with archive.uow() as uow:
        assert procedures.chosen(uow, YEAR).binds_per_year is False


def test_binding_per_year_adds_the_volume_steps_that_the_volume_settles(archive):
    store_year(archive)
    procedures.set_binding(archive.uow(), YEAR, True, actor=ADMIN, now=NOW)
    with archive.uow() as uow:
        assert procedures.chosen(uow, YEAR).binds_per_year is True
        assert procedures.chosen(uow, "2026/2027").binds_per_year is False  # the setting is the year's own
        events = [(e.action, e.actor, e.object_id, e.details) for e in uow.audit.entries()
                  if e.action == "procedure.binding_set"]
    assert events == [("procedure.binding_set", ADMIN.person, YEAR,
                       {"binding": "журнал за год — одним томом", "before": "каждый период — отдельное дело"})]
    cells = board_cells(archive)
    assert {code: cell.state for code, cell in cells.items()} == {"volume_made": "pending", "volume_bound": "pending"}
    assert board_cells(archive, "Q2") == {}  # year-end steps only
    with pytest.raises(ArchiveError, match="Том за год изготовлен"):
        period_steps.record_step(archive.uow(), YEAR, "Q4", "volume_bound", ["5А"], actor=DEPUTY, now=NOW)
    volume = make(archive)
    cells = board_cells(archive)
    assert cells["volume_made"].state == "done"
    assert [f.text for f in cells["volume_made"].facts] == [f"том изготовлен ({volume.sheets} л.)"]
    assert cells["volume_bound"].state == "pending"  # made is not bound: a person records the binding
    period_steps.record_step(archive.uow(), YEAR, "Q4", "volume_bound", ["5А"], actor=DEPUTY, now=NOW)
    assert board_cells(archive)["volume_bound"].state == "done"


def test_the_year_end_deadline_is_30_june(archive):
    store_year(archive)
    procedures.set_binding(archive.uow(), YEAR, True, actor=ADMIN, now=NOW)
    board = period_steps.period_board(archive.uow(), YEAR, "Q4", AFTER_THE_YEAR)
    assert board.deadlines["volume_bound"] == board.deadlines["volume_made"] == dt.date(2026, 6, 30)


SECRETARY = Actor("Кузнецова Ольга Николаевна", "secretary")


def test_the_register_takes_the_volume_as_the_file_and_its_period_copies_as_its_parts(archive):
    store_year(archive)
    procedures.set_binding(archive.uow(), YEAR, True, actor=ADMIN, now=NOW)
    with archive.uow() as uow:
        quarters = [r.id for r in uow.snapshots.listing(YEAR, latest_only=True) if r.period_code != "year"]
    copies = [documents.render_document(archive.uow(), archive.store, archive.renderer, snapshot_id, "class_journal",
                                        archive.render_options, actor=DEPUTY, now=NOW) for snapshot_id in quarters]
    volume = make(archive)

    def enter(document_id):
        place = register.Placement("Архив", "1", "5А")
        return register.register_document(archive.uow(), document_id, handed_over_by=DEPUTY.person,
                                          accepted_by=SECRETARY.person, placement=place,
                                          on=dt.date(2026, 6, 20), paper_only=True, actor=SECRETARY, now=NOW)

    with pytest.raises(ArchiveError, match="часть тома, в реестр вносится том"):
        enter(copies[0].document_id)
    row = enter(volume.document_id)
    (listed,) = register.list_register(archive.uow())
    assert listed.document_id == volume.document_id and listed.sheets == volume.sheets
    assert listed.period == f"{YEAR}, том за учебный год"
    assert listed.retention_end == retention_end(file_closes_on(YEAR), 5).isoformat() == row.retention_end
    by_period = {c.period_code: c for c in copies}
    assert listed.parts == tuple(f"{period_title(code)}: документ {by_period[code].document_id}, "
                                 f"{by_period[code].sheets} л." for code in ("Q1", "Q2", "Q3", "Q4"))
