"""A replaced copy on every page that shows it: sheet check, search, document, board, signing, register."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.actor import Actor
from archive_service.services import period_steps
from corrections_support import (
    CORRECTED_AT,
    FIRST_CLOSE,
    REASON,
    correct_a_signed_registered_copy,
    register,
    sign,
)


@pytest.fixture
def corrected(archive, staff):
    return correct_a_signed_registered_copy(archive)


def sheet_checks(archive) -> list[dict]:
    with archive.uow() as uow:
        return [e.details for e in uow.audit.entries() if e.action == "sheet.checked"]


def test_a_sheet_of_the_replaced_copy_says_it_was_replaced_and_names_the_copy_in_force(archive, corrected, login_as):
    secretary = login_as("secretary")
    page = secretary.get(f"/check/{corrected.old.document_id}/1/full").get_data(as_text=True)
    assert "Лист заменён: действует копия (документ " + corrected.new.document_id in page
    assert "Лист из архива." not in page and "insp-verdict ok" not in page
    assert REASON in page and f"/inspect/documents/{corrected.new.document_id}" in page
    sign(archive)
    register(archive, corrected.new.document_id, dt.date(2027, 1, 11))
    page = secretary.get(f"/check/{corrected.old.document_id}/1/full").get_data(as_text=True)
    assert "Лист заменён: действует копия № 2/2027" in page and "заменена копией № 2/2027, причина: " in page
    fresh = secretary.get(f"/check/{corrected.new.document_id}/1/full").get_data(as_text=True)
    assert "Лист из архива." in fresh and "Лист заменён" not in fresh
    assert sheet_checks(archive)[0]["replaced_by"] == corrected.new.document_id
    assert "replaced_by" not in sheet_checks(archive)[-1]


def test_the_public_check_of_a_replaced_sheet_says_so_without_the_reason_or_who_corrected(app, archive, corrected):
    client = app.test_client()
    page = client.get(f"/check/{corrected.old.document_id}/1").get_data(as_text=True)
    assert "Лист заменён исправленной копией" in page and "Лист совпадает с архивом" not in page
    assert REASON not in page and "исправление внёс" not in page and corrected.new.document_id not in page
    sign(archive)
    register(archive, corrected.new.document_id, dt.date(2027, 1, 11))
    page = client.get(f"/check/{corrected.old.document_id}/1").get_data(as_text=True)
    assert "Действует исправленная копия № 2/2027" in page
    fresh = client.get(f"/check/{corrected.new.document_id}/1").get_data(as_text=True)
    assert "Лист совпадает с архивом" in fresh and "№ 2/2027" in fresh


def test_the_search_and_the_document_page_mark_the_replaced_copy(corrected, login_as):
    inspector = login_as("inspector")
    found = inspector.get("/inspect?class=5А").get_data(as_text=True)
    assert found.count("badge warn\">заменена</span>") == 1 and REASON in found
    assert found.count("в архиве") == 0, "the replaced copy is not shown as simply «в архиве»"
    page = inspector.get(f"/inspect/documents/{corrected.old.document_id}").get_data(as_text=True)
    assert "Документ заменён: заменена копией" in page and "Открыть действующую копию" in page
    current = inspector.get(f"/inspect/documents/{corrected.new.document_id}").get_data(as_text=True)
    assert "Документ заменён" not in current


def test_the_board_starts_the_steps_again_for_the_new_copy_and_keeps_the_old_ones_as_history(archive, corrected,
                                                                                            login_as):
    before = FIRST_CLOSE + dt.timedelta(days=1)
    period_steps.record_step(archive.uow(), "2026/2027", "Q2", "teachers_signed", ["5А"],
                             actor=Actor("Иванова Т. П.", "deputy"),
                             now=before)
    board = period_steps.period_board(archive.uow(), "2026/2027", "Q2", dt.date(2027, 1, 10))
    (row,) = board.classes
    cells = {c.step.code: c for c in row.cells}
    assert row.document_id == corrected.new.document_id and not row.signed
    assert [cells[s].state for s in ("teachers_signed", "director_e_signed", "registered")] == ["late"] * 3
    assert [f.text for f in cells["director_e_signed"].history] == ["прежняя копия: подписано электронной подписью"]
    assert [f.text for f in cells["registered"].history] == ["прежняя копия: в реестре № 1 за 2027 г."]
    assert [f.text for f in cells["teachers_signed"].history] == ["прежняя копия: выполнено"]
    assert row.corrections[0] == (f"журнал исправлен: версия снимка 2, причина: {REASON}; "
                                  "шаги выполняются заново для новой копии")
    assert row.corrections[1].startswith("прежняя копия заменена копией (документ ")
    period_steps.record_step(archive.uow(), "2026/2027", "Q2", "teachers_signed", ["5А"],
                             actor=Actor("Иванова Т. П.", "deputy"),
                             now=CORRECTED_AT + dt.timedelta(hours=2))
    sign(archive)
    board = period_steps.period_board(archive.uow(), "2026/2027", "Q2", dt.date(2027, 1, 10))
    cells = {c.step.code: c for c in board.classes[0].cells}
    assert cells["teachers_signed"].state == cells["director_e_signed"].state == "done"
    page = login_as("deputy").get("/period/2026-2027/Q2").get_data(as_text=True)
    assert "Исправления журнала после изготовления копий" in page and REASON in page
    assert "прежняя копия: в реестре № 1 за 2027 г." in page


def test_the_deputy_sees_the_replaced_copy_apart_from_the_copies_to_print(corrected, login_as):
    deputy = login_as("deputy")
    page = deputy.get("/period/2026-2027/Q2/documents").get_data(as_text=True)
    to_print, _, replaced = page.partition("Заменённые копии</h2>")
    assert corrected.new.document_id in to_print and corrected.old.document_id not in to_print
    assert corrected.old.document_id in replaced and REASON in replaced
    preview = deputy.get(f"/period/doc/{corrected.old.document_id}").get_data(as_text=True)
    assert "Эта копия заменена копией" in preview


def test_the_director_is_offered_only_the_new_copy_and_told_the_old_one_was_replaced(corrected, login_as):
    director = login_as("director")
    page = director.get("/director/sign").get_data(as_text=True)
    offered, _, replaced = page.partition("Заменены исправленными копиями</h2>")
    assert f"/director/documents/{corrected.new.document_id}.pdf" in offered
    assert corrected.old.document_id not in offered
    assert f"/director/documents/{corrected.old.document_id}.pdf" in replaced and REASON in replaced
    inbox = director.get("/director").get_data(as_text=True)
    assert '<span class="count">1</span>\n    <span>документ ждёт' in inbox
    assert "Заменены исправленными копиями" in inbox and REASON in inbox


def test_the_register_page_shows_the_entry_as_replaced(corrected, login_as):
    page = login_as("secretary").get("/register").get_data(as_text=True)
    assert "badge warn\">заменена</span>" in page and REASON in page
    offered = page.partition("<select name=\"document_id\"")[2].partition("</select>")[0]
    assert corrected.new.document_id in offered and corrected.old.document_id not in offered


def test_a_replaced_copy_that_was_never_registered_is_not_offered_for_the_register(archive, staff, login_as):
    from archive_service.services.ingest import ingest_snapshot
    from builders import as_bytes, snapshot
    from corrections_support import CORRECTOR, close, corrected_snapshot

    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("Сетевой город", "deputy"), now=FIRST_CLOSE)
    old = close(archive, "Иванова Татьяна Петровна", FIRST_CLOSE)
    ingest_snapshot(archive.uow(), as_bytes(corrected_snapshot()), actor=Actor(CORRECTOR, "deputy"), reason=REASON,
                    now=CORRECTED_AT)
    new = close(archive, "Иванова Татьяна Петровна", CORRECTED_AT)
    page = login_as("secretary").get("/register").get_data(as_text=True)
    offered = page.partition("<select name=\"document_id\"")[2].partition("</select>")[0]
    assert new.document_id in offered and old.document_id not in offered
