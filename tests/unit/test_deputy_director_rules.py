"""The rules of the deputy's and director's work, on the fake unit of work (no database): the
backup list looked at once a day, the backup set's retention from the editable schedule, the
commands' refusals that write nothing, and a job left behind by a dead web process."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.adapters.orm import ArchiveKeyRecord, BackupSet, RetentionRule
from archive_service.domain.actor import Actor
from archive_service.domain.clock import Clock
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.services import backup, jobs
from archive_service.services.backup_command import CreateBackup
from archive_service.services.backup_payload import retain_until
from archive_service.services.period_close import ClosePeriod
from archive_service.services.signing import AllSigned, SignDocuments
from fakes import MOMENT, FakeArchiveKeys, FakeJobs, FakeUnitOfWork, seed_document, seed_snapshot
from storage.archive_key import new_archive_key
from storage.sealing import KdfParams

DIRECTOR = Actor("Смирнов Виктор Васильевич", "director", "web 10.0.0.7", "director")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "web 10.0.0.8", "deputy")


def _set(uow: FakeUnitOfWork, set_id: str = "2025-2026-Y-1") -> BackupSet:
    row = BackupSet(set_id=set_id, academic_year="2025/2026", periods="Y", created_at=MOMENT, created_by=DEPUTY.person,
                    copies={}, files=3, size=10, complete=True, state="complete", retain_until=dt.date(2031, 1, 1),
                    destroyed_by_act=None)
    uow.backups.add(row)
    return row


def _looks(uow: FakeUnitOfWork) -> list[tuple[str, str]]:
    return [(u.person, u.role) for u in uow.backups.journal() if u.action == "просмотр списка"]


def test_the_backup_list_is_journaled_once_a_day_per_person_and_again_after_any_other_use():
    uow = FakeUnitOfWork()
    _set(uow)
    (row,) = backup.list_backups(uow, actor=DIRECTOR, now=MOMENT, once_a_day=True)
    assert (row.set_id, row.retain_until, row.as_dict()["created_by"]) == ("2025-2026-Y-1", "2031-01-01",
                                                                            DEPUTY.person)
    backup.list_backups(uow, actor=DIRECTOR, now=MOMENT + dt.timedelta(hours=3), once_a_day=True)
    assert _looks(uow) == [(DIRECTOR.person, "директор")], "a reload adds nothing to the paper journal"
    uow.backups.record_use(at=MOMENT, person=DEPUTY.person, role="заместитель директора", medium="—", set_id="*",
                           action="проверка", purpose="проверка", result="в порядке")
    backup.list_backups(uow, actor=DIRECTOR, now=MOMENT + dt.timedelta(hours=4), once_a_day=True)
    backup.list_backups(uow, actor=DIRECTOR, now=MOMENT + dt.timedelta(days=1), once_a_day=True)
    backup.list_backups(uow, actor=DEPUTY, now=MOMENT + dt.timedelta(days=1), once_a_day=True)
    assert _looks(uow) == [(DIRECTOR.person, "директор")] * 3 + [(DEPUTY.person, "заместитель директора")]


def test_once_a_day_is_the_school_day_not_the_utc_day():
    uow = FakeUnitOfWork()
    evening = dt.datetime(2027, 1, 10, 20, 0, tzinfo=dt.timezone.utc)  # 23:00 in Moscow
    backup.list_backups(uow, actor=DIRECTOR, now=evening, once_a_day=True)
    backup.list_backups(uow, actor=DIRECTOR, now=evening + dt.timedelta(hours=2), once_a_day=True)  # 01:00 next day
    assert _looks(uow) == [(DIRECTOR.person, "директор")] * 2, "the same UTC day, another day at school"


def test_without_once_a_day_every_look_is_journaled_and_without_an_actor_none_is():
    uow = FakeUnitOfWork()
    backup.list_backups(uow)
    backup.list_backups(uow, actor=Actor.system(), now=MOMENT)
    backup.list_backups(uow, actor=Actor.system(), now=MOMENT)
    assert _looks(uow) == [("Архив (автоматически)", "система")] * 2


def test_a_backup_set_is_kept_as_long_as_the_schedule_keeps_its_longest_kept_file():
    uow = FakeUnitOfWork()
    assert retain_until(uow, "2025/2026", ["Q4"]) == dt.date(2032, 1, 1)  # journals: 5 years by default
    assert retain_until(uow, "2025/2026", ["Q4", "year"]) == dt.date(2052, 1, 1)  # summary sheets: 25
    uow.register.add_rule(RetentionRule(kind="class_journal", years=10, case_index="", basis="приказ"))
    assert retain_until(uow, "2025/2026", ["Q4"]) == dt.date(2037, 1, 1), "the secretary's edit counts"


def _keyed(uow: FakeUnitOfWork) -> FakeUnitOfWork:
    """The director's archive key set (what a set is sealed for)."""
    uow.archive_keys = FakeArchiveKeys()
    key = new_archive_key("лиса-ручей-47-окно", KdfParams(log2_n=10))
    uow.archive_keys.add(ArchiveKeyRecord(generation=1, holder="director", holder_name="Директор",
                                          fingerprint=key.fingerprint, public_key=key.public,
                                          sealed_private=key.sealed_private, created_at=MOMENT, created_by="Директор"))
    return uow


@pytest.mark.parametrize(("keyed", "periods", "month", "message"), [
    (False, ["Y"], None, "ключ архива ещё не создан"),
    (True, [], None, "ни один период"),
    (True, ["Y"], "2026-13", "ГГГГ-ММ"),
    (True, ["Q1"], None, "нет снимков журнала для резервной копии: 2025/2026 Q1"),
])
def test_the_backup_command_refuses_having_written_nothing(keyed, periods, month, message):
    uow = FakeUnitOfWork()
    uow.archive_keys = FakeArchiveKeys()
    if keyed:
        _keyed(uow)
    seed_snapshot(uow, "5А")
    command = CreateBackup(uow, None, [], "2025/2026", periods, actor=DEPUTY, now=MOMENT, month=month)
    with pytest.raises(ArchiveError, match=message):
        command.run()
    assert (uow.backups.all(), uow.backups.journal(), uow.audit.entries(), uow.commits) == ([], [], [], 0)


def test_the_backup_command_needs_no_code_once_the_director_set_the_key():
    uow = _keyed(FakeUnitOfWork())
    seed_snapshot(uow, "5А")
    CreateBackup(uow, None, [], "2025/2026", ["Y"], actor=DEPUTY, now=MOMENT).validate()
    assert uow.backups.all() == [] and uow.commits == 0


def test_only_the_director_signs_and_a_signed_selection_is_said_to_be_signed_already():
    uow = FakeUnitOfWork()
    seed_document(uow, seed_snapshot(uow, "5А"), "class_journal", signed=True)
    with pytest.raises(PermissionDenied, match="только директор"):
        SignDocuments(uow, None, {"2025/2026": ["Y"]}, actor=DEPUTY, now=lambda: MOMENT).validate()
    with pytest.raises(AllSigned, match="все 1 уже подписаны"):
        SignDocuments(uow, None, {"2025/2026": ["Y"]}, actor=DIRECTOR, now=lambda: MOMENT).run(None)
    with pytest.raises(NotFoundError, match="ни один период"):
        SignDocuments(uow, None, {}, actor=DIRECTOR, now=lambda: MOMENT).validate()
    assert uow.audit.entries() == [] and uow.commits == 0


def test_closing_a_period_is_the_deputys_and_needs_stored_snapshots():
    uow = FakeUnitOfWork()
    seed_snapshot(uow, "5А")
    seed_snapshot(uow, "5Б")
    with pytest.raises(PermissionDenied):
        ClosePeriod(uow, None, "2025/2026", ["Y"], actor=DIRECTOR, clock=Clock(lambda: MOMENT)).validate()
    with pytest.raises(NotFoundError, match="нет сохранённых снимков"):
        ClosePeriod(uow, None, "2025/2026", ["Q1"], actor=DEPUTY, clock=Clock(lambda: MOMENT)).run()
    jobs_planned = ClosePeriod(uow, None, "2025/2026", ["Y"], actor=DEPUTY, clock=Clock(lambda: MOMENT)).validate()
    assert [(j.class_name, j.kind) for j in jobs_planned] == [("5А", "class_journal"), ("5Б", "class_journal")]
    assert uow.audit.entries() == []


def test_a_job_whose_heartbeat_stopped_is_marked_interrupted_with_the_reason_and_a_live_one_is_left():
    uow = FakeUnitOfWork()
    uow.jobs = FakeJobs()  # type: ignore[attr-defined]
    x = Actor("x", "deputy")
    dead = jobs.create(uow, "period_copies", "Копии", {}, total=3, actor=x, now=MOMENT - dt.timedelta(minutes=5))
    alive = jobs.create(uow, "period_backup", "Копия", {}, total=1, actor=x, now=MOMENT - dt.timedelta(seconds=30))
    done = jobs.create(uow, "period_copies", "Копии", {}, total=1, actor=x, now=MOMENT - dt.timedelta(hours=1))
    jobs.progress(uow, done, status="done", now=MOMENT - dt.timedelta(hours=1))
    assert jobs.mark_left_behind(uow, now=MOMENT) == 1
    states = {j.id: (j.status, j.message) for j in uow.jobs.rows}  # type: ignore[attr-defined]
    assert states[dead] == ("interrupted", jobs.LEFT_BEHIND) and states[alive][0] == "queued"
    assert states[done][0] == "done"
    assert jobs.get(uow, dead, now=MOMENT)["status_text"] == jobs.STATUS["interrupted"]
    with pytest.raises(NotFoundError, match="задание не найдено"):
        jobs.beat(uow, "нет такого", now=MOMENT)


class _Runner:
    """Renders nothing: answers each job as a worker would, 5Б failing."""

    def render(self, jobs_, actor, ready=None):
        for job in jobs_:
            yield job, ({"error": "шрифт не найден"} if job.class_name == "5Б" else
                        {"status": "rendered", "sheets": 20, "pages": 40, "document_id": f"D-{job.class_name}"})


def test_closing_a_period_tallies_every_class_and_records_one_event_with_who_and_from_where():
    uow = FakeUnitOfWork()
    for name in ("5А", "5Б", "5В"):
        seed_snapshot(uow, name)
    heard = []
    made = ClosePeriod(uow, _Runner(), "2025/2026", ["Y"], actor=DEPUTY, clock=Clock(lambda: MOMENT)).run(
        lambda done, job, outcome: heard.append((done, job.class_name)))
    assert (made.rendered, made.reused, made.failed, made.sheets, made.pages) == (2, 0, 1, 40, 80)
    assert made.errors == ("5Б: шрифт не найден",) and [d for d, _ in heard] == [1, 2, 3]
    (event,) = uow.audit.entries()
    assert (event.action, event.actor, event.origin, event.object_id) == (
        "period.copies_made", DEPUTY.person, DEPUTY.origin, "2025/2026:Y")
    assert event.details == made.as_dict() == {"rendered": 2, "reused": 0, "failed": 1, "sheets": 40,
                                               "errors": ["5Б: шрифт не найден"], "made": ["5А", "5В"],
                                               "remade": [], "ready": [],
                                               "summary": "Сделаны копии: 5А, 5В."}


def test_an_upload_outcome_reads_as_the_dict_it_replaced():
    from archive_service.services.ingest import IngestResult
    from archive_service.services.period_close import UploadOutcome

    stored = IngestResult("stored", 7, "ab" * 32, 1, "2026/2027", "Q2", "5А", marks=3, message="сохранён")
    ok = UploadOutcome("5А.json", stored.status, stored.message, stored=stored)
    assert ok.as_dict() == {"file": "5А.json", "problems": [], **stored.as_dict()}
    assert (ok["class_name"], ok.class_name, ok.period_code) == ("5А", "5А", "Q2")
    bad = UploadOutcome("x.json", "rejected", "не снимок", ({"code": "schema", "path": "$"},))
    assert bad.as_dict() == {"file": "x.json", "problems": [{"code": "schema", "path": "$"}], "status": "rejected",
                             "message": "не снимок"}
    assert (bad.class_name, bad.academic_year) == ("", "")


def test_a_job_state_reads_as_the_dict_it_replaced():
    uow = FakeUnitOfWork()
    uow.jobs = FakeJobs()  # type: ignore[attr-defined]
    job_id = jobs.create(uow, "period_copies", "Копии", {"period": "Q2"}, total=4, actor=Actor("x", "deputy"),
                         now=MOMENT)
    jobs.progress(uow, job_id, done=1, status="running", now=MOMENT)
    state = jobs.get(uow, job_id, now=MOMENT)
    assert state["percent"] == state.percent == 25 and state.created_by == "x"
    assert set(state.as_dict()) == {"id", "kind", "title", "params", "status", "status_text", "total", "done",
                                    "percent", "message", "result", "created_by", "created_at"}
