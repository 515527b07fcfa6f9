"""Disposal: the dry run, the act, the director's approval, destruction on both media, re-runs."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DocumentRecord, LegalHold, RegisterEntry
from archive_service.domain.clock import Clock
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import accounts, backup, disposal, documents, register
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from keys_support import with_archive_key
from pdf_reading import pdf_text
from web_support import NAMES, PASSWORD
from storage import DirectoryMedium, RetentionRefused
from store_support import Wrapped

CLERK = Actor("secretary", "secretary")

PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2026/2027»")
SECRETARY = Actor("Петрова А. С.", "secretary")
DIRECTOR = Actor("Смирнов В. В.", "director")
DUE = dt.date(2033, 1, 1)  # a 2026/2027 class journal copy, kept 5 years
AT_DUE = Clock(lambda: dt.datetime(2033, 1, 1, 9, 0, tzinfo=dt.timezone.utc))  # the real clock, standing on DUE


@pytest.fixture
def registered(archive):
    """Three class journal copies of 2026/2027, registered; a backup set of their period on A and B."""
    keys = []
    for letter in "АБВ":
        data = snapshot()
        data["class"] = {**data["class"], "id": f"c-5{letter}", "name": f"5{letter}"}
        stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
        doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                        "class_journal", archive.render_options, actor=Actor("deputy", "deputy"),
                                        now=NOW)
        row = register.register_document(archive.uow(), doc.document_id, handed_over_by="Иванова Т. П.",
                                         accepted_by="Петрова А. С.", placement=PLACE, on=dt.date(2027, 1, 15),
                                         paper_only=True, actor=CLERK, now=NOW)
        keys.append(f"{row.number}/{row.year}")
    with_archive_key(archive)
    created = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                   actor=Actor("Иванова Т. П.", "deputy"), now=NOW)
    return keys, created.set_id


def _documents(archive) -> list[DocumentRecord]:
    with archive.uow() as uow:
        rows = list(uow.session.scalars(select(DocumentRecord).order_by(DocumentRecord.id)))
        uow.session.expunge_all()  # plain values to read after the session closes
        return rows


def _compose_and_approve(archive, clock=AT_DUE) -> str:
    act = disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir, clock=clock,
                               actor=SECRETARY)
    disposal.approve_act(archive.uow(), archive.store, archive.settings.templates_dir, act["act"], clock=clock,
                         actor=DIRECTOR)
    return act["act"]


def test_the_dry_run_changes_nothing_and_refuses_documents_still_in_retention(archive, registered):
    keys, set_id = registered
    early = disposal.plan(archive.uow(), DUE - dt.timedelta(days=1))
    assert early.eligible == [] and early.not_due == 3
    assert [b["may_go"] for b in early.backup_sets] == [False]
    with pytest.raises(ArchiveError, match="нет документов, срок хранения которых истёк"):
        disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir,
                             clock=Clock(lambda: dt.datetime(2032, 12, 31, 12, 0, tzinfo=dt.timezone.utc)),
                             actor=SECRETARY)
    due = disposal.plan(archive.uow(), DUE)
    assert [r["register"] for r in due.eligible] == keys
    assert due.backup_sets == [{"set_id": set_id, "retain_until": "2033-01-01", "may_go": True,
                                   "reason": "срок хранения истёк, все документы набора уничтожены"}]
    assert all(r.status == "in_archive" for r in register.list_register(archive.uow()))
    assert disposal.list_acts(archive.uow()) == []


def test_an_approved_act_destroys_files_everywhere_and_marks_the_register(archive, registered):
    keys, set_id = registered
    stored = [d.sha256 for d in _documents(archive)]
    act = _compose_and_approve(archive)
    assert act == "1/2033"
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                  clock=AT_DUE, actor=SECRETARY)
    assert result["status"] == "executed" and result["blocked"] == [] and result["deleted_sets"] == [set_id]
    assert not any(archive.store.exists(digest) for digest in stored)
    assert all(medium.list(set_id) == [] for medium in archive.media())
    assert [r.status for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    assert all(d.destroyed_by_act == act for d in _documents(archive))  # rows stay as evidence
    assert documents.list_documents(archive.uow()) == []
    assert backup.list_backups(archive.uow())[0].destroyed_by_act == act
    assert backup.journal_rows(archive.uow())[-1]["action"] == "уничтожение"
    assert backup.audit_backups(archive.uow(), archive.media(), actor=Actor.system(), now=NOW) == []
    with archive.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("disposal.destroyed") == 3 and actions[-1] == "disposal.act_executed"
    text = pdf_text(disposal.act_pdf(archive.uow(), archive.store, act))
    assert "АКТ" in text and "о выделении к уничтожению" in text and "Отметка об уничтожении" in text
    assert "Итого: 3 (три) дела" in text and "уничтожены" in text and "Смирнов В. В." in text
    # carrying out an executed act again is a no-op
    again = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                 clock=AT_DUE, actor=SECRETARY)
    assert again["status"] == "executed" and again["deleted_sets"] == []


def test_only_the_director_approves_and_nothing_is_destroyed_before(archive, registered):
    act = disposal.compose_act(archive.uow(), archive.store, archive.settings.templates_dir, clock=AT_DUE,
                               actor=SECRETARY)["act"]
    with pytest.raises(ArchiveError, match="ещё не утверждён"):
        disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                             clock=AT_DUE, actor=SECRETARY)
    with pytest.raises(PermissionDenied, match="только директор"):
        disposal.approve_act(archive.uow(), archive.store, archive.settings.templates_dir, act, clock=AT_DUE,
                             actor=SECRETARY)
    assert all(archive.store.exists(d.sha256) for d in _documents(archive))
    # a second act cannot list what the open one lists
    assert disposal.plan(archive.uow(), DUE).eligible == []
    text = pdf_text(disposal.act_pdf(archive.uow(), archive.store, act))
    assert "УТВЕРЖДАЮ" in text and "составлен, ждёт утверждения" in text


def test_a_hold_blocks_disposal_before_the_act_and_after_its_approval(archive, registered):
    keys, set_id = registered
    year, number = (int(x) for x in reversed(keys[0].split("/")))
    register.place_hold(archive.uow(), year, number, reason="проверка Рособрнадзора", on=DUE, actor=CLERK,
                        now=NOW)
    planned = disposal.plan(archive.uow(), DUE)
    assert [r["register"] for r in planned.eligible] == keys[1:]
    assert planned.refused[0]["reason"] == "запрет уничтожения: проверка Рособрнадзора"
    assert planned.backup_sets[0]["may_go"] is False  # the held document is in the set
    act = _compose_and_approve(archive)
    # a hold placed after the approval still stops that file
    year2, number2 = (int(x) for x in reversed(keys[1].split("/")))
    register.place_hold(archive.uow(), year2, number2, reason="спор о годовой отметке", on=DUE, actor=CLERK,
                        now=NOW)
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                  clock=AT_DUE, actor=SECRETARY)
    assert result["status"] == "approved"
    assert result["blocked"] == [{"register": keys[1], "reason": "запрет уничтожения: спор о годовой отметке"}]
    assert [r.status for r in register.list_register(archive.uow())] == ["in_archive", "in_archive", "destroyed"]
    assert result["deleted_sets"] == [] and archive.media()[0].list(set_id)
    # the hold released, the act completes; the first file never was in it
    register.release_hold(archive.uow(), year2, number2, on=DUE, actor=CLERK, now=NOW)
    done = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                clock=AT_DUE, actor=SECRETARY)
    assert done["status"] == "executed" and len(done["items"]) == 2


class FailingStore(Wrapped):
    """The content store whose `fail_on`-th delete fails, as a disk turned read-only would."""

    def __init__(self, inner, fail_on: int):
        super().__init__(inner)
        self.fail_on, self.deletes = fail_on, 0

    def delete(self, digest: str) -> bool:
        self.deletes += 1
        if self.deletes == self.fail_on:
            raise OSError("только для чтения")
        return self.inner.delete(digest)


class DyingMedium(DirectoryMedium):
    """Medium A failing on its `fail_on`-th delete: half of the set deleted, the rest left."""

    def __init__(self, medium: DirectoryMedium, fail_on: int):
        super().__init__(medium.root, medium.label, medium.location)
        self.fail_on, self.deletes = fail_on, 0

    def delete(self, name: str, *, today: dt.date) -> None:
        self.deletes += 1
        if self.deletes == self.fail_on:
            raise OSError("диск отключён")
        super().delete(name, today=today)


def test_an_interrupted_disposal_reports_what_is_left_and_completes_on_re_run(archive, registered):
    keys, set_id = registered
    act = _compose_and_approve(archive)
    failing = FailingStore(archive.store, fail_on=2)
    first = disposal.execute_act(archive.uow(), failing, archive.settings.templates_dir, archive.media(), act,
                                 clock=AT_DUE, actor=SECRETARY)
    assert first["status"] == "approved" and first["deleted_sets"] == []
    assert first["blocked"] == [{"register": keys[1], "reason": "уничтожение начато, но файлы документа не удалось "
                                 "удалить из хранилища; проверьте хранилище и исполните акт ещё раз"}]
    assert "исполнен не полностью: уничтожено дел 2 из 3, уничтожение начато и не завершено: 1" in first["status_text"]
    # the half-destroyed entry never says «в архиве»; its backup set waits for it
    assert [r.status for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    assert archive.media()[0].list(set_id)
    # the backup set dies half-way on medium A: the act says so and stays approved
    dying = DyingMedium(archive.media()[0], fail_on=3)
    second = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir,
                                  [dying, archive.media()[1]], act, clock=AT_DUE, actor=SECRETARY)
    assert second["status"] == "approved" and second["blocked"] == [] and second["deleted_sets"] == []
    (left,) = second["left_sets"]
    assert left["set_id"] == set_id and "Носитель A: осталось объектов" in left["reason"]
    assert dying.list(set_id) and not dying.exists(f"{set_id}/COMPLETE")  # the marker went first
    assert backup.journal_rows(archive.uow())[-1]["result"].startswith("не завершено")
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                  clock=AT_DUE, actor=SECRETARY)
    assert result["status"] == "executed" and result["deleted_sets"] == [set_id] and result["left_sets"] == []
    assert [r.status for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    assert not any(archive.store.exists(d.sha256) for d in _documents(archive))
    assert all(m.list(set_id) == [] for m in archive.media())
    with archive.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("disposal.destroyed") == 3 and actions.count("disposal.destruction_started") == 3
    assert actions.count("disposal.act_incomplete") == 2 and actions[-1] == "disposal.act_executed"


class SidecarLost(DirectoryMedium):
    """A medium whose set deletion stops silently half-way, as a delete that skips a file whose
    sidecar is gone would: the marker and one object go, the rest stays, no error is raised."""

    def delete(self, name: str, *, today: dt.date) -> None:
        if not name.endswith(("COMPLETE", "bagit.txt")):
            return
        super().delete(name, today=today)


def test_an_act_is_never_executed_while_a_medium_still_holds_part_of_a_set(archive, registered):
    _, set_id = registered
    act = _compose_and_approve(archive)
    medium_a = archive.media()[0]
    quiet = SidecarLost(medium_a.root, medium_a.label, medium_a.location)
    result = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir,
                                  [quiet, archive.media()[1]], act, clock=AT_DUE, actor=SECRETARY)
    assert result["status"] == "approved" and result["deleted_sets"] == []
    assert result["left_sets"][0]["set_id"] == set_id
    assert "Носитель A: осталось объектов" in result["left_sets"][0]["reason"]
    assert "Носитель B: набор удалён" in result["left_sets"][0]["reason"]
    assert backup.list_backups(archive.uow())[0].destroyed_by_act is None
    done = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                clock=AT_DUE, actor=SECRETARY)
    assert done["status"] == "executed" and done["deleted_sets"] == [set_id]


def test_a_hold_is_refused_once_destruction_has_begun_and_the_re_run_finishes_the_file(archive, registered):
    keys, set_id = registered
    act = _compose_and_approve(archive)
    failing = FailingStore(archive.store, fail_on=1)  # the first file's delete fails: destruction begun
    disposal.execute_act(archive.uow(), failing, archive.settings.templates_dir, archive.media(), act,
                         clock=AT_DUE, actor=SECRETARY)
    year, number = (int(x) for x in reversed(keys[0].split("/")))
    with pytest.raises(ArchiveError, match=f"уничтожение документа №{keys[0]} по акту № {act} уже начато"):
        register.place_hold(archive.uow(), year, number, reason="проверка Рособрнадзора", on=DUE,
                            actor=CLERK, now=NOW)
    with pytest.raises(ArchiveError, match="уже начато: выдать его нельзя"):
        register.move_file(archive.uow(), year, number, "issued", person="инспектор", purpose="проверка", on=DUE,
                           return_by=DUE, actor=CLERK, now=NOW)
    assert register.holds(archive.uow()) == {}
    done = disposal.execute_act(archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act,
                                clock=AT_DUE, actor=SECRETARY)
    assert done["status"] == "executed" and done["deleted_sets"] == [set_id]
    assert [r.status for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    assert not any(archive.store.exists(d.sha256) for d in _documents(archive))


def test_a_hold_being_placed_while_the_act_runs_wins_over_the_destruction(archive, registered):
    """The hold's transaction holds the entry's row when the act reaches that file: the act waits
    for it, then sees the hold and leaves the file alone (never a hold on a destroyed file)."""
    keys, _ = registered
    act = _compose_and_approve(archive)
    outcome: dict = {}
    with archive.uow() as uow:
        entry = uow.session.scalar(select(RegisterEntry).where(RegisterEntry.number == 1).with_for_update())
        uow.session.add(LegalHold(entry_id=entry.id, reason="проверка прокуратуры", placed_on=DUE,
                                  placed_by="secretary"))
        uow.session.flush()
        worker = threading.Thread(target=lambda: outcome.update(disposal.execute_act(
            archive.uow(), archive.store, archive.settings.templates_dir, archive.media(), act, clock=AT_DUE,
            actor=SECRETARY)))
        worker.start()
        time.sleep(1.5)  # the act is waiting for the entry's lock
        assert "status" not in outcome
        uow.commit()
    worker.join(timeout=120)
    assert outcome["blocked"] == [{"register": keys[0], "reason": "запрет уничтожения: проверка прокуратуры"}]
    assert [r.status for r in register.list_register(archive.uow())] == ["in_archive", "destroyed", "destroyed"]
    assert archive.store.exists(_documents(archive)[0].sha256)


def test_a_medium_refuses_to_delete_a_set_before_its_own_retention_ends(archive, registered):
    _, set_id = registered
    with pytest.raises(RetentionRefused, match="хранится до 01.01.2033"):
        archive.media()[1].delete(f"{set_id}/bagit.txt", today=DUE - dt.timedelta(days=1))


def _stand_at(monkeypatch, archive, moment: dt.datetime) -> None:
    """The machine's clock stands at `moment` (the only clock destruction reads)."""
    monkeypatch.setattr(archive, "now", lambda: moment)


def test_the_cli_runs_dry_compose_approve_execute(archive, registered, runner, tmp_path, staff, monkeypatch):
    dry = runner.invoke(args=["--as", "secretary", "retention", "dispose", "--today", "2033-01-01"])
    assert dry.exit_code == 0 and "Пробный прогон" in dry.output and "Можно уничтожить: 3" in dry.output
    _stand_at(monkeypatch, archive, dt.datetime(2033, 1, 9, 9, 0, tzinfo=dt.timezone.utc))
    out = tmp_path / "act.pdf"
    composed = runner.invoke(args=["--as", "secretary", "retention", "dispose", "--execute", "--out", str(out)])
    assert composed.exit_code == 0, composed.output
    assert "Акт № 1/2033" in composed.output and "retention approve 1/2033" in composed.output
    assert out.read_bytes().startswith(b"%PDF")
    director = {"ARCHIVE_PASSWORD": PASSWORD}
    bad = runner.invoke(args=["retention", "approve", "1-2033", "--login", "director"], env=director)
    assert bad.exit_code != 0 and "N/ГГГГ" in bad.output
    approved = runner.invoke(args=["retention", "approve", "1/2033", "--login", "director"], env=director)
    assert approved.exit_code == 0, approved.output
    assert f"утверждён ({NAMES['director']})" in approved.output
    act = disposal.act_summary(archive.uow(), "1/2033")
    assert (act["approved_by"], act["approved_on"]) == (NAMES["director"], "2033-01-09")
    _stand_at(monkeypatch, archive, dt.datetime(2033, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    executed = runner.invoke(args=["--as", "secretary", "retention", "dispose", "--execute", "--out", str(out)])
    assert executed.exit_code == 0 and "исполнен" in executed.output, executed.output
    listed = runner.invoke(args=["retention", "acts"])
    assert "№ 1/2033" in listed.output and "исполнен" in listed.output


def test_the_cli_destroys_only_as_of_the_real_today(archive, registered, runner, staff, monkeypatch):
    """The reproduction: on 2026-11-30 `--today 2033-01-01 --execute` composed an act and destroyed files."""
    _stand_at(monkeypatch, archive, dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone.utc))
    forged = runner.invoke(args=["--as", "secretary", "retention", "dispose", "--today", "2033-01-01", "--execute"])
    assert forged.exit_code != 0 and "--today — только для пробного прогона" in forged.output
    assert disposal.list_acts(archive.uow()) == []
    today = runner.invoke(args=["--as", "secretary", "retention", "dispose", "--execute"])
    assert today.exit_code != 0 and "на 30.11.2026 нет документов" in today.output
    assert disposal.list_acts(archive.uow()) == []
    assert all(archive.store.exists(d.sha256) for d in _documents(archive))
    assert [r.status for r in register.list_register(archive.uow())] == ["in_archive"] * 3


def test_the_cli_approval_needs_the_directors_account_and_password(archive, registered, runner, staff, monkeypatch,
                                                                    tmp_path):
    _stand_at(monkeypatch, archive, dt.datetime(2033, 1, 9, 9, 0, tzinfo=dt.timezone.utc))
    assert runner.invoke(args=["--as", "secretary",
                               "retention", "dispose", "--execute", "--out", str(tmp_path / "act.pdf")]).exit_code == 0
    no_login = runner.invoke(args=["retention", "approve", "1/2033"])
    assert no_login.exit_code != 0 and "--login" in no_login.output
    secretary = runner.invoke(args=["retention", "approve", "1/2033", "--login", "secretary"],
                              env={"ARCHIVE_PASSWORD": PASSWORD})
    assert secretary.exit_code != 0 and "утверждает только директор" in secretary.output
    for _ in range(accounts.MAX_FAILURES):
        wrong = runner.invoke(args=["retention", "approve", "1/2033", "--login", "director"],
                              input="не тот пароль\n")
        assert wrong.exit_code != 0 and "неверное имя или пароль" in wrong.output
    locked = runner.invoke(args=["retention", "approve", "1/2033", "--login", "director"],
                           env={"ARCHIVE_PASSWORD": PASSWORD})
    assert locked.exit_code != 0 and "вход временно заблокирован" in locked.output
    assert disposal.act_summary(archive.uow(), "1/2033")["status"] == "proposed"
    _stand_at(monkeypatch, archive, dt.datetime(2033, 1, 9, 10, 0, tzinfo=dt.timezone.utc))  # the lock has run out
    typed = runner.invoke(args=["retention", "approve", "1/2033", "--login", "director"], input=f"{PASSWORD}\n")
    assert typed.exit_code == 0, typed.output
    with archive.uow() as uow:
        approved = [e.actor for e in uow.audit.entries() if e.action == "disposal.act_approved"]
    assert approved == [NAMES["director"]]


def test_the_cli_says_what_an_act_left_undone_and_fails(archive, registered, runner, monkeypatch, tmp_path):
    keys, _ = registered
    _stand_at(monkeypatch, archive, dt.datetime(2033, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    act = _compose_and_approve(archive, clock=archive.clock)
    register.place_hold(archive.uow(), 2027, 2, reason="спор о годовой отметке", on=DUE, actor=CLERK, now=NOW)
    result = runner.invoke(args=["--as", "secretary",
                                 "retention", "dispose", "--execute", "--out", str(tmp_path / "act.pdf")])
    assert result.exit_code == 1
    assert f"НЕ уничтожен: №{keys[1]}: запрет уничтожения: спор о годовой отметке" in result.output
    assert f"акт № {act} исполнен не полностью" in result.output
    listed = runner.invoke(args=["retention", "acts"]).output
    assert "утверждён директором; исполнен не полностью: уничтожено дел 2 из 3 — исполните акт ещё раз" in listed


def test_the_inventory_prints_and_exports(archive, registered, runner, tmp_path):
    for suffix in ("pdf", "csv", "xlsx"):
        out = tmp_path / f"inventory.{suffix}"
        result = runner.invoke(args=["--as", "secretary", "register", "inventory", "--out", str(out)])
        assert result.exit_code == 0 and "дел: 3" in result.output, result.output
    text = pdf_text((tmp_path / "inventory.pdf").read_bytes())
    assert "ОПИСЬ" in text and "внесено 3 (три) дела с № 1 по № 3" in text and "5 лет" in text
    csv = (tmp_path / "inventory.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert csv[0].startswith("№ п/п;Индекс дела;Заголовок дела") and len(csv) == 4
