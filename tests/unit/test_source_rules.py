"""Journal sources and ingest on the fake unit of work: what is refused before anything is written,
who the audit names, the typed rows, a pull that cannot start, a correction that must say why."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.fernet import Fernet

from archive_service.adapters.orm import SourcePull
from archive_service.adapters.secret_box import SecretBox
from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError, ReasonRequired, SnapshotRejected
from archive_service.services import ingest, source_pull, sources
from builders import as_bytes, snapshot, subject
from fakes import MOMENT, sources_uow

ADMIN = Actor("Админов Артём Андреевич", "admin", "web 10.0.0.7", "admin")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "web 10.0.0.8", "zavuch")
BOX = SecretBox(Fernet.generate_key())
SYSTEMS = ["netschool", "eljur", "dnevnik"]


def _add(uow, name="school", **overrides) -> None:
    form = {"name": name, "system": "netschool", "url": "https://sgo.example.ru/", "login": "zavuch",
            "secret": "пароль", "systems": SYSTEMS, **overrides}
    sources.add_source(uow, BOX, **form, actor=ADMIN, now=MOMENT)


@pytest.mark.parametrize("overrides, words", [
    ({"name": "школа/21"}, "название источника"),
    ({"system": "excel"}, "неизвестная система «excel»"),
    ({"url": "  "}, "не указан адрес"),
    ({"secret": ""}, "не указан пароль"),
])
def test_a_source_that_cannot_be_added_is_refused_in_russian_and_nothing_is_written(overrides, words):
    uow = sources_uow()
    with pytest.raises(sources.SourceConfigError, match=words):
        _add(uow, **overrides)
    assert (uow.sources.records, uow.audit.events, uow.commits) == ([], [], 0)


def test_an_added_source_names_the_person_and_origin_in_one_commit_and_seals_its_secret():
    uow = sources_uow()
    _add(uow, extra={"devkey": "ключ", "vendor": "sch21"})
    (record,) = uow.sources.records
    (event,) = uow.audit.events
    assert (record.created_by, event.actor, event.origin, event.action) == (
        ADMIN.person, ADMIN.person, ADMIN.origin, "source.added")
    assert record.extra == {"vendor": "sch21"} and uow.commits == 1
    assert json.loads(BOX.open(record.secret)) == {"secret": "пароль", "extra": {"devkey": "ключ"}}


def test_a_name_taken_is_refused():
    uow = sources_uow()
    _add(uow)
    with pytest.raises(sources.SourceConfigError, match="уже есть"):
        _add(uow)
    assert len(uow.sources.records) == 1


def test_removing_a_source_not_configured_is_not_found_and_audits_nothing():
    uow = sources_uow()
    with pytest.raises(NotFoundError, match="«нет такого» не найден"):
        sources.remove_source(uow, "нет такого", actor=ADMIN, now=MOMENT)
    assert uow.audit.events == []


def test_a_listed_source_is_a_typed_row_that_still_reads_as_its_dict_and_a_dead_pull_shows_as_interrupted():
    uow = sources_uow()
    _add(uow)
    uow.sources.add_pull(SourcePull(source_name="school", system="netschool", academic_year="2025/2026",
                                    period_code="Q4", triggered_by=sources.SCHEDULE, started_at=MOMENT,
                                    finished_at=None, state="running", message="", results=[]))
    (row,) = sources.list_sources(uow, now=MOMENT + dt.timedelta(hours=3), hour=2, before=7, after=5)
    assert isinstance(row, sources.SourceRow) and row["name"] == row.name == "school"
    assert row.last_pull is not None and row.last_pull.state == "interrupted"
    assert row.as_dict()["last_pull"]["triggered_by"] == "расписание" and "secret" not in row.as_dict()


def test_the_schedule_acts_as_before_under_its_own_name():
    actor = sources.scheduled("beat")
    assert (actor.person, actor.origin) == ("расписание", "beat")


def test_a_pull_of_a_source_not_configured_fails_validation_with_nothing_written():
    uow = sources_uow()
    command = source_pull.PullSource(uow, BOX, lambda *args: None, "нет такого", "2026/2027", "Q2", DEPUTY,
                                     lambda: MOMENT)
    with pytest.raises(NotFoundError):
        command.run()
    assert (uow.sources.pulls, uow.audit.events) == ([], [])


def test_a_snapshot_is_ingested_by_the_actor_from_their_origin():
    uow = sources_uow()
    result = ingest.ingest_snapshot(uow, as_bytes(snapshot()), actor=DEPUTY, now=MOMENT)
    (record,) = uow.snapshots.records
    (event,) = uow.audit.events
    assert (result.status, result.version, record.ingested_by) == ("stored", 1, DEPUTY.person)
    assert (event.action, event.actor, event.origin) == ("snapshot.ingested", DEPUTY.person, DEPUTY.origin)


def test_a_correction_without_a_reason_is_refused_by_validation_and_stored_with_one():
    uow = sources_uow()
    ingest.ingest_snapshot(uow, as_bytes(snapshot()), actor=DEPUTY, now=MOMENT)
    corrected = snapshot()
    subject(corrected, "math")["lessons"][0]["marks"][1]["value"] = 5
    with pytest.raises(ReasonRequired, match="причины"):
        ingest.IngestSnapshot(uow, as_bytes(corrected), DEPUTY).validate()
    assert len(uow.snapshots.records) == 1 and len(uow.audit.events) == 1
    result = ingest.IngestSnapshot(uow, as_bytes(corrected), DEPUTY, " Исправлена отметка ", MOMENT).run()
    assert (result.status, result.version, uow.snapshots.records[-1].reason) == (
        "new_version", 2, "Исправлена отметка")


def test_the_same_snapshot_again_is_a_duplicate_that_writes_nothing():
    uow = sources_uow()
    first = ingest.ingest_snapshot(uow, as_bytes(snapshot()), actor=DEPUTY, now=MOMENT)
    again = ingest.IngestSnapshot(uow, as_bytes(snapshot()), DEPUTY).run()
    assert (again.status, again.version, again.content_hash) == ("duplicate", 1, first.content_hash)
    assert len(uow.snapshots.records) == 1 and len(uow.audit.events) == 1


def test_a_malformed_snapshot_is_rejected_before_the_archive_is_asked():
    uow = sources_uow()
    with pytest.raises(SnapshotRejected):
        ingest.IngestSnapshot(uow, b"{}", DEPUTY).validate()
    assert uow.snapshots.records == []
