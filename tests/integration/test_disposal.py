"""Disposal: the dry run, the act, the director's approval, destruction on both media, re-runs."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from archive_service.adapters.orm import DocumentRecord
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import backup, disposal, documents, register
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from pdf_reading import pdf_text
from storage import RetentionRefused

PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2026/2027»")
SECRETARY = disposal.Actor("Петрова А. С.", "secretary")
DIRECTOR = disposal.Actor("Смирнов В. В.", "director")
DUE = dt.date(2033, 1, 1)  # a 2026/2027 class journal copy, kept 5 years


@pytest.fixture
def registered(archive):
    """Three class journal copies of 2026/2027, registered; a backup set of their period on A and B."""
    keys = []
    for letter in "АБВ":
        data = snapshot()
        data["class"] = {**data["class"], "id": f"c-5{letter}", "name": f"5{letter}"}
        stored = ingest_snapshot(archive.uow(), as_bytes(data), actor="test", now=NOW)
        doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                        "class_journal", archive.render_options, actor="deputy", now=NOW)
        row = register.register_document(archive.uow(), doc.document_id, handed_over_by="Иванова Т. П.",
                                         accepted_by="Петрова А. С.", placement=PLACE, on=dt.date(2027, 1, 15),
                                         paper_only=True, actor="secretary", now=NOW)
        keys.append(f"{row['number']}/{row['year']}")
    created = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"], "код",
                                   actor=backup.Actor("Иванова Т. П.", "заместитель директора"), now=NOW)
    return keys, created["set_id"]


def _documents(archive) -> list[DocumentRecord]:
    with archive.uow() as uow:
        rows = list(uow.session.scalars(select(DocumentRecord).order_by(DocumentRecord.id)))
        uow.session.expunge_all()  # plain values to read after the session closes
        return rows


def _compose_and_approve(archive, today=DUE) -> str:
    act = disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir, today,
                               actor=SECRETARY, now=NOW)
    disposal.approve_act(archive.uow(), archive.store, archive.settings.templates_dir, act["act"], on=today,
                         actor=DIRECTOR, now=NOW)
    return act["act"]


def test_the_dry_run_changes_nothing_and_refuses_documents_still_in_retention(archive, registered):
    keys, set_id = registered
    early = disposal.plan(archive.uow(), DUE - dt.timedelta(days=1))
    assert early["eligible"] == [] and early["not_due"] == 3
    assert [b["may_go"] for b in early["backup_sets"]] == [False]
    with pytest.raises(ArchiveError, match="нет документов, срок хранения которых истёк"):
        disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir, DUE - dt.timedelta(days=1),
                             actor=SECRETARY, now=NOW)
    due = disposal.plan(archive.uow(), DUE)
    assert [r["register"] for r in due["eligible"]] == keys
    assert due["backup_sets"] == [{"set_id": set_id, "retain_until": "2033-01-01", "may_go": True,
                                   "reason": "срок хранения истёк, все документы набора уничтожены"}]
    assert all(r["status"] == "in_archive" for r in register.list_register(archive.uow()))
    assert disposal.list_acts(archive.uow()) == []


def test_an_approved_act_destroys_files_everywhere_and_marks_the_register(archive, registered):
    keys, set_id = registered
    stored = [d.sha256 for d in _documents(archive)]
    act = _compose_and_approve(archive)
    assert act == "1/2033"
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                  today=DUE, actor=SECRETARY, now=NOW)
    assert result["status"] == "executed" and result["blocked"] == [] and result["deleted_sets"] == [set_id]
    assert not any(archive.store.exists(digest) for digest in stored)
    assert all(medium.list(set_id) == [] for medium in archive.media())
    assert [r["status"] for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    assert all(d.destroyed_by_act == act for d in _documents(archive))  # rows stay as evidence
    assert documents.list_documents(archive.uow()) == []
    assert backup.list_backups(archive.uow())[0]["destroyed_by_act"] == act
    assert backup.journal_rows(archive.uow())[-1]["action"] == "уничтожение"
    assert backup.audit_backups(archive.uow(), archive.media(), actor=backup.Actor("x", "y"), now=NOW) == []
    with archive.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("disposal.destroyed") == 3 and actions[-1] == "disposal.act_executed"
    text = pdf_text(disposal.act_pdf(archive.uow(), archive.store, act))
    assert "АКТ" in text and "о выделении к уничтожению" in text and "Отметка об уничтожении" in text
    assert "Итого: 3 (три) дела" in text and "уничтожены" in text and "Смирнов В. В." in text
    # carrying out an executed act again is a no-op
    again = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                 today=DUE, actor=SECRETARY, now=NOW)
    assert again["status"] == "executed" and again["deleted_sets"] == []


def test_only_the_director_approves_and_nothing_is_destroyed_before(archive, registered):
    act = disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir, DUE,
                               actor=SECRETARY, now=NOW)["act"]
    with pytest.raises(ArchiveError, match="ещё не утверждён"):
        disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                             today=DUE, actor=SECRETARY, now=NOW)
    with pytest.raises(PermissionDenied, match="только директор"):
        disposal.approve_act(archive.uow(), archive.store, archive.settings.templates_dir, act, on=DUE,
                             actor=SECRETARY, now=NOW)
    assert all(archive.store.exists(d.sha256) for d in _documents(archive))
    # a second act cannot list what the open one lists
    assert disposal.plan(archive.uow(), DUE)["eligible"] == []
    text = pdf_text(disposal.act_pdf(archive.uow(), archive.store, act))
    assert "УТВЕРЖДАЮ" in text and "составлен, ждёт утверждения" in text


def test_a_hold_blocks_disposal_before_the_act_and_after_its_approval(archive, registered):
    keys, set_id = registered
    year, number = (int(x) for x in reversed(keys[0].split("/")))
    register.place_hold(archive.uow(), year, number, reason="проверка Рособрнадзора", on=DUE, actor="secretary",
                        now=NOW)
    planned = disposal.plan(archive.uow(), DUE)
    assert [r["register"] for r in planned["eligible"]] == keys[1:]
    assert planned["refused"][0]["reason"] == "запрет уничтожения: проверка Рособрнадзора"
    assert planned["backup_sets"][0]["may_go"] is False  # the held document is in the set
    act = _compose_and_approve(archive)
    # a hold placed after the approval still stops that file
    year2, number2 = (int(x) for x in reversed(keys[1].split("/")))
    register.place_hold(archive.uow(), year2, number2, reason="спор о годовой отметке", on=DUE, actor="secretary",
                        now=NOW)
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                  today=DUE, actor=SECRETARY, now=NOW)
    assert result["status"] == "approved"
    assert result["blocked"] == [{"register": keys[1], "reason": "запрет уничтожения: спор о годовой отметке"}]
    assert [r["status"] for r in register.list_register(archive.uow())] == ["in_archive", "in_archive", "destroyed"]
    assert result["deleted_sets"] == [] and archive.media()[0].list(set_id)
    # the hold released, the act completes; the first file never was in it
    register.release_hold(archive.uow(), year2, number2, on=DUE, actor="secretary", now=NOW)
    done = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                today=DUE, actor=SECRETARY, now=NOW)
    assert done["status"] == "executed" and len(done["items"]) == 2


def test_an_interrupted_disposal_completes_on_re_run(archive, registered, monkeypatch):
    keys, set_id = registered
    act = _compose_and_approve(archive)
    real_delete, calls = archive.store.delete, []

    def crashing(digest):
        calls.append(digest)
        if len(calls) == 2:
            raise OSError("питание отключено")
        return real_delete(digest)

    monkeypatch.setattr(archive.store, "delete", crashing)
    with pytest.raises(OSError):
        disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                             today=DUE, actor=SECRETARY, now=NOW)
    assert [r["status"] for r in register.list_register(archive.uow())] == ["destroyed", "in_archive", "in_archive"]
    assert disposal.act_summary(archive.uow(), act)["status"] == "approved"
    # the backup set dies half-way too: its marker first, so it is never taken for complete
    medium_a = archive.media()[0]
    monkeypatch.setattr(archive.store, "delete", real_delete)
    real_medium_delete = type(medium_a).delete
    deleted: list[str] = []

    def medium_crash(self, name, *, today):
        deleted.append(name)
        if len(deleted) == 3:
            raise OSError("диск отключён")
        return real_medium_delete(self, name, today=today)

    monkeypatch.setattr(type(medium_a), "delete", medium_crash)
    with pytest.raises(OSError):
        disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                             today=DUE, actor=SECRETARY, now=NOW)
    assert deleted[0].endswith("COMPLETE") and medium_a.list(set_id)
    monkeypatch.setattr(type(medium_a), "delete", real_medium_delete)
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                  today=DUE, actor=SECRETARY, now=NOW)
    assert result["status"] == "executed" and result["deleted_sets"] == [set_id]
    assert [r["status"] for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    assert not any(archive.store.exists(d.sha256) for d in _documents(archive))
    assert all(m.list(set_id) == [] for m in archive.media())
    with archive.uow() as uow:
        assert [e.action for e in uow.audit.entries()].count("disposal.destroyed") == 3  # once per file


def test_a_medium_refuses_to_delete_a_set_before_its_own_retention_ends(archive, registered):
    _, set_id = registered
    with pytest.raises(RetentionRefused, match="хранится до 01.01.2033"):
        archive.media()[1].delete(f"{set_id}/bagit.txt", today=DUE - dt.timedelta(days=1))


def test_the_cli_runs_dry_compose_approve_execute(archive, registered, runner, tmp_path):
    dry = runner.invoke(args=["retention", "dispose", "--today", "2033-01-01"])
    assert dry.exit_code == 0 and "Пробный прогон" in dry.output and "Можно уничтожить: 3" in dry.output
    out = tmp_path / "act.pdf"
    composed = runner.invoke(args=["retention", "dispose", "--today", "2033-01-01", "--execute", "--out", str(out)])
    assert composed.exit_code == 0, composed.output
    assert "Акт № 1/2033" in composed.output and "retention approve 1/2033" in composed.output
    assert out.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(args=["retention", "approve", "1-2033"])
    assert bad.exit_code != 0 and "N/ГГГГ" in bad.output
    assert runner.invoke(args=["retention", "approve", "1/2033", "--date", "2033-01-09"]).exit_code == 0
    executed = runner.invoke(args=["retention", "dispose", "--today", "2033-01-10", "--execute", "--out", str(out)])
    assert executed.exit_code == 0 and "исполнен" in executed.output, executed.output
    listed = runner.invoke(args=["retention", "acts"])
    assert "№ 1/2033" in listed.output and "исполнен" in listed.output


def test_the_inventory_prints_and_exports(archive, registered, runner, tmp_path):
    for suffix in ("pdf", "csv", "xlsx"):
        out = tmp_path / f"inventory.{suffix}"
        result = runner.invoke(args=["register", "inventory", "--out", str(out)])
        assert result.exit_code == 0 and "дел: 3" in result.output, result.output
    text = pdf_text((tmp_path / "inventory.pdf").read_bytes())
    assert "ОПИСЬ" in text and "внесено 3 (три) дела с № 1 по № 3" in text and "5 лет" in text
    csv = (tmp_path / "inventory.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert csv[0].startswith("№ п/п;Индекс дела;Заголовок дела") and len(csv) == 4
