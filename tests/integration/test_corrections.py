"""Corrections carried through (SQLite and PostgreSQL): a copy made from a corrected snapshot
replaces the earlier copy everywhere, and the earlier copy stays as evidence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DocumentSupersession, RegisterEntry
from archive_service.errors import ArchiveError
from archive_service.services import audit, backup, disposal, documents, register, register_printout
from archive_service.services.signing import awaiting_signature
from archive_service.services.retrieval import verify_document
from corrections_support import (
    CORRECTED_AT,
    CORRECTOR,
    REASON,
    SECOND_CLOSE,
    close,
    correct_a_signed_registered_copy,
    register as register_copy,
    sign,
)
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from pdf_reading import pdf_text

CLERK = Actor("secretary", "secretary")

DEPUTY = Actor("Иванова Т. П.", "deputy")


@pytest.fixture
def corrected(archive):
    return correct_a_signed_registered_copy(archive)


def rows_by_id(archive) -> dict[str, dict]:
    return {r["document_id"]: r for r in documents.list_documents(archive.uow(), "2026/2027", ["Q2"])}


def test_the_copy_of_a_corrected_snapshot_records_which_copy_it_replaces_and_why(archive, corrected):
    assert corrected.new.status == "rendered" and corrected.new.document_id != corrected.old.document_id
    rows = rows_by_id(archive)
    assert rows[corrected.new.document_id]["superseded"] is None
    replaced = rows[corrected.old.document_id]["superseded"]
    assert replaced["successor"] == replaced["current"] == corrected.new.document_id
    assert replaced["reason"] == REASON and replaced["version"] == 2 and replaced["corrected_by"] == CORRECTOR
    assert replaced["text"] == (f"заменена копией (документ {corrected.new.document_id}, версия снимка 2, "
                                f"в реестр ещё не внесена), причина: {REASON}")
    with archive.uow() as uow:
        [event] = [(e.actor, e.object_id, e.at, e.details) for e in uow.audit.entries()
                   if e.action == "document.superseded"]
    assert event[:3] == ("Иванова Татьяна Петровна", corrected.old.document_id, SECOND_CLOSE)
    assert event[3] == {"successor": corrected.new.document_id, "class": "5А", "period": "Q2",
                                  "kind": "class_journal", "reason": REASON, "version": 2, "corrected_by": CORRECTOR,
                                  "corrected_at": CORRECTED_AT.isoformat(), "register": "1/2027"}
    assert audit.verify_audit_log(archive.uow())[1] == []


def test_the_replaced_copy_is_kept_unchanged_and_its_signed_file_still_verifies(archive, corrected):
    with archive.uow() as uow:
        old = uow.documents.by_document_id(corrected.old.document_id)
        entry = uow.session.scalar(select(RegisterEntry).where(RegisterEntry.document_id == old.id))
        assert (old.sha256, old.destroyed_by_act) == (corrected.old.sha256, None)
        assert (entry.status, entry.number, entry.year) == ("in_archive", 1, 2027)
    assert archive.store.verify(corrected.old.sha256) and archive.store.verify(corrected.old_signed_sha256)
    card, report = verify_document(archive.uow(), archive.store, archive.trust, corrected.old.document_id,
                                   actor=Actor("inspector", "inspector", "test"), now=dt.datetime.now(dt.timezone.utc))
    assert report.valid and card.replaced.current == corrected.new.document_id


def test_the_register_and_its_printouts_say_the_copy_was_replaced_by_the_registered_successor(archive, corrected):
    sign(archive)
    register_copy(archive, corrected.new.document_id, dt.date(2027, 1, 11))
    old_row, new_row = register.list_register(archive.uow())
    assert old_row.status == "in_archive", "the entry itself is not changed"
    assert old_row.superseded["text"] == f"заменена копией № 2/2027, причина: {REASON}"
    assert new_row.superseded is None
    data, count = register_printout.printout(archive.uow(), archive.settings.templates_dir, "register", "csv",
                                             year=None, actor=CLERK, now=NOW)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert count == 2 and table[0][-2:] == ["Состояние", "Примечание"]
    assert table[1][-2:] == ["заменена", f"заменена копией № 2/2027, причина: {REASON}"]
    assert table[2][-2:] == ["в архиве", ""]
    xlsx, _ = register_printout.printout(archive.uow(), archive.settings.templates_dir, "register", "xlsx",
                                         year=None, actor=CLERK, now=NOW)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[2]][-2:] == ["заменена", f"заменена копией № 2/2027, причина: {REASON}"]
    inventory, _ = register_printout.printout(archive.uow(), archive.settings.templates_dir, "inventory", "csv",
                                              year=None, actor=CLERK, now=NOW)
    notes = [row[-1] for row in csv.reader(io.StringIO(inventory.decode("utf-8-sig")), delimiter=";")][1:]
    assert f"реестр № 1/2027; заменена копией № 2/2027, причина: {REASON}" in notes and "реестр № 2/2027" in notes


def test_the_register_pdf_and_inventory_pdf_print_the_replacement(archive, corrected):
    for what in ("register", "inventory"):
        pdf, _ = register_printout.printout(archive.uow(), archive.settings.templates_dir, what, "pdf", year=None,
                                   actor=CLERK, now=NOW)
        text = " ".join(pdf_text(pdf).split())
        assert "заменена копией" in text and "Исправлена четвертная отметка" in text, what


def test_only_the_new_copy_awaits_the_signature_and_the_register(archive, corrected):
    assert [p.document_id for p in awaiting_signature(archive.uow(), "2026/2027", ["Q2"])] == [
        corrected.new.document_id]
    sign(archive)
    assert awaiting_signature(archive.uow(), "2026/2027", ["Q2"]) == []
    assert rows_by_id(archive)[corrected.new.document_id]["signature"] is not None


def test_a_copy_replaced_before_registration_cannot_be_registered(archive, corrected):
    """A third version replaces the second copy, which was never registered."""
    from archive_service.services.ingest import ingest_snapshot
    from builders import as_bytes
    from corrections_support import corrected_snapshot

    third = corrected_snapshot()
    third["subjects"][0]["lessons"][0]["topic"] = "Уточнённая тема урока"
    ingest_snapshot(archive.uow(), as_bytes(third), actor=Actor(CORRECTOR, "deputy"), reason="Уточнена тема",
                    now=SECOND_CLOSE)
    newest = close(archive, "Иванова Татьяна Петровна", SECOND_CLOSE + dt.timedelta(hours=1))
    with pytest.raises(ArchiveError, match="заменена копией .* причина: Уточнена тема; в реестр вносится действующая"):
        register_copy(archive, corrected.new.document_id, dt.date(2027, 1, 11))
    first = rows_by_id(archive)[corrected.old.document_id]["superseded"]
    assert first["successor"] == corrected.new.document_id and first["current"] == newest.document_id


def test_a_rerun_of_the_close_records_a_replacement_left_unrecorded_once(archive, corrected):
    with archive.uow() as uow:
        uow.session.execute(delete(DocumentSupersession))
        uow.commit()
    assert rows_by_id(archive)[corrected.old.document_id]["superseded"] is None
    assert close(archive, "Иванова Татьяна Петровна", NOW).status == "reused"
    assert close(archive, "Иванова Татьяна Петровна", NOW).status == "reused"
    with archive.uow() as uow:
        reasons = [row.reason for row in uow.session.scalars(select(DocumentSupersession))]
    assert reasons == [REASON]
    assert rows_by_id(archive)[corrected.old.document_id]["superseded"]["current"] == corrected.new.document_id


def test_the_newest_backup_carries_the_current_copy_and_keeps_the_replaced_one_apart(archive, corrected, tmp_path):
    with_archive_key(archive)
    made = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                actor=DEPUTY, now=NOW)
    bag = backup.restore_backup(archive.uow(), archive.media(), made.set_id, KEY_CODE, tmp_path / "bag",
                                actor=DEPUTY, purpose="проверка", now=NOW, own_state=archive.own_state())
    assert (bag / "data/documents/5А_2_четверть_журнал.pdf").read_bytes() == archive.store.read(corrected.new.sha256)
    kept = bag / f"data/documents/заменённые/5А_2_четверть_журнал_{corrected.old.document_id}.pdf"
    assert kept.read_bytes() == archive.store.read(corrected.old_signed_sha256)
    listed = {r["document_id"]: r for r in json.loads((bag / "data/documents.json").read_bytes())}
    assert listed[corrected.old.document_id]["superseded"]["reason"] == REASON


def test_a_replaced_copy_keeps_the_retention_of_its_file(archive, corrected):
    sign(archive)
    register_copy(archive, corrected.new.document_id, dt.date(2027, 1, 11))
    old_row, new_row = register.list_register(archive.uow())
    assert old_row.retention_end == new_row.retention_end == "2033-01-01"
    assert disposal.plan(archive.uow(), dt.date(2032, 12, 31)).eligible == []
    due = disposal.plan(archive.uow(), dt.date(2033, 1, 1))
    assert {r["register"] for r in due.eligible} == {"1/2027", "2/2027"}


def test_the_command_line_lists_say_the_copy_was_replaced_in_words(archive, corrected, runner):
    listed = runner.invoke(args=["register", "list"])
    assert listed.exit_code == 0, listed.output
    assert f"заменена; заменена копией (документ {corrected.new.document_id}" in listed.output
    assert "in_archive" not in listed.output
    documents_listed = runner.invoke(args=["documents", "list", "--year", "2026/2027"])
    assert f"заменена копией (документ {corrected.new.document_id}" in documents_listed.output
