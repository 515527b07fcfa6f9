"""Configured journal sources end to end through the CLI: a file-based journal system served over
HTTP (tests/fake_journal.py) registered through the connector registry in place of NetSchool.

Run on SQLite and PostgreSQL (the `app` fixture).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text

from archive_service.adapters.orm import AuditEvent, JournalSourceRecord, SnapshotRecord, SourcePull
from archive_service.adapters.sources.roster import register_from
from archive_service.domain.actor import Actor
from archive_service.services import source_pull, sources
from builders import subject
from fake_journal import LOGIN, PASSWORD, FileJournal, FileJournalServer
from sources_support import class_snapshot, make_school, use_fake_journal, write_class
from web_support import NAMES

PULL = ["--as", "deputy", "source", "pull", "school", "--year", "2026/2027", "--period", "Q2"]


@pytest.fixture
def journal(tmp_path, archive):
    use_fake_journal(archive)
    folder = make_school(tmp_path / "journal")
    with FileJournalServer(folder) as server:
        yield server


@pytest.fixture
def added(runner, journal):
    result = runner.invoke(args=["--as", "admin",
                                 "source", "add", "school", "--system", "netschool", "--url", journal.url,
                                 "--login", LOGIN], env={"ARCHIVE_SOURCE_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return journal


def _rows(archive, model):
    with archive.session_factory() as session:
        return session.scalars(select(model)).all()


def test_the_secret_is_encrypted_at_rest_with_a_key_outside_the_database(runner, archive, added, settings):
    row = _rows(archive, JournalSourceRecord)[0]
    secret = PASSWORD.encode("utf-8")
    assert secret not in bytes(row.secret) and json.loads(archive.source_box.open(row.secret))["secret"] == PASSWORD
    assert PASSWORD not in repr(row)
    key_file = settings.home / "source_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and key_file in archive.own_state()
    assert key_file.read_bytes().strip() not in bytes(row.secret)
    with archive.engine.connect() as conn:
        dumped = " ".join(str(r) for r in conn.execute(text("SELECT * FROM journal_source")))
        dumped += " ".join(str(r) for r in conn.execute(text("SELECT * FROM audit_event")))
    assert PASSWORD not in dumped
    if settings.database_url.startswith("sqlite"):
        archive.engine.dispose()
        assert secret not in Path(settings.database_url.removeprefix("sqlite:///")).read_bytes()
    listed = runner.invoke(args=["source", "list", "--json"])
    assert PASSWORD not in listed.output and json.loads(listed.output)[0]["login"] == LOGIN


def test_add_list_test_and_remove_through_the_cli(runner, archive, added):
    listed = runner.invoke(args=["source", "list"])
    assert listed.exit_code == 0 and "school" in listed.output and "выгрузок не было" in listed.output
    tested = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert tested.exit_code == 0, tested.output
    assert "Вход выполнен: Сетевой город. Образование, МБОУ СОШ № 21, 2026/2027" in tested.output
    assert "Классы (2): 5А, 6Б" in tested.output and "Период Q2: II четверть, 2026-11-05 — 2026-12-25" in tested.output
    twice = runner.invoke(args=["--as", "admin",
                                "source", "add", "school", "--system", "netschool", "--url", added.url],
                          env={"ARCHIVE_SOURCE_PASSWORD": "x"})
    assert twice.exit_code == 1 and "уже есть" in twice.output
    removed = runner.invoke(args=["--as", "admin", "source", "remove", "school"])
    assert removed.exit_code == 0 and _rows(archive, JournalSourceRecord) == []
    gone = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert gone.exit_code == 1 and "источник «school» не найден" in gone.output


def test_an_unknown_system_or_a_missing_connector_module_is_a_clear_message(runner, archive, journal):
    unknown = runner.invoke(args=["--as", "admin", "source", "add", "x", "--system", "epos", "--url", journal.url],
                            env={"ARCHIVE_SOURCE_PASSWORD": "x"})
    assert unknown.exit_code == 1 and "неизвестная система «epos»" in unknown.output
    archive.connectors.register("eljur", "archive_service.adapters.sources.no_such_module")
    added = runner.invoke(args=["--as", "admin", "source", "add", "e", "--system", "eljur", "--url", journal.url],
                          env={"ARCHIVE_SOURCE_PASSWORD": "x", "ARCHIVE_SOURCE_DEVKEY": "k"})
    assert added.exit_code == 0, added.output
    missing = runner.invoke(args=["--as", "admin", "source", "test", "e"])
    assert missing.exit_code == 1 and "подключение к системе ЭлЖур не установлено" in missing.output


def test_a_wrong_password_an_unreachable_server_and_a_changed_shape_each_have_their_own_message(
        runner, archive, added):
    (added.folder / "password").write_text("другой пароль", encoding="utf-8")
    wrong = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert wrong.exit_code == 1 and "Вход не выполнен: неверное имя пользователя или пароль" in wrong.output
    (added.folder / "password").write_text(PASSWORD, encoding="utf-8")
    (added.folder / "calendar.json").write_text('{"school": "СОШ"}', encoding="utf-8")
    shape = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert shape.exit_code == 1 and "формат ответа изменился" in shape.output and "«academic_year»" in shape.output
    added.__exit__()
    down = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert down.exit_code == 1 and "Система недоступна:" in down.output and "нет связи" in down.output
    assert PASSWORD not in wrong.output + shape.output + down.output


def test_a_pull_prints_a_line_per_class_and_a_second_pull_of_unchanged_data_stores_nothing(runner, archive, added):
    first = runner.invoke(args=PULL)
    assert first.exit_code == 0, first.output
    assert "5А    новый снимок: 5А, II четверть: сохранена версия 1" in first.output
    assert "6Б    новый снимок" in first.output
    for name in ("5А", "6Б"):  # exported again later, nothing else changed
        data = class_snapshot(name)
        data["source"]["exported_at"] = "2026-12-27T08:00:00+07:00"
        write_class(added.folder, data)
    second = runner.invoke(args=PULL)
    assert second.exit_code == 0, second.output
    assert "5А    без изменений" in second.output and "6Б    без изменений" in second.output
    assert len(_rows(archive, SnapshotRecord)) == 2
    pulls = _rows(archive, SourcePull)
    assert [p.state for p in pulls] == ["ok", "ok"] and pulls[1].results[0]["status"] == "unchanged"


def test_a_changed_mark_becomes_a_new_version_whose_reason_names_the_system_and_whose_diff_shows_it(
        runner, archive, added):
    assert runner.invoke(args=PULL).exit_code == 0
    data = class_snapshot("5А")
    subject(data, "math")["lessons"][0]["marks"][0]["value"] = 3
    write_class(added.folder, data)
    pulled = runner.invoke(args=PULL + ["--class", "5А"])
    assert pulled.exit_code == 0, pulled.output
    assert "5А    новая версия: 5А, II четверть: сохранена версия 2 (причина: выгрузка из «Сетевой город. " \
           "Образование»)" in pulled.output and "6Б" not in pulled.output
    diff = runner.invoke(args=["snapshot", "diff", "--year", "2026/2027", "--period", "Q2", "--class", "5А"])
    assert "09.11.2026 Математика: Алексеев Иван Петрович" in diff.output and "5 → 3" in diff.output
    shown = runner.invoke(args=["snapshot", "show", "--year", "2026/2027", "--period", "Q2", "--class", "5А",
                                "--version", "1"])
    assert shown.exit_code == 0 and subject(json.loads(shown.output), "math")["lessons"][0]["marks"][0]["value"] == 5
    newest = json.loads(runner.invoke(args=["snapshot", "show", "--year", "2026/2027", "--period", "Q2",
                                            "--class", "5А"]).output)
    assert subject(newest, "math")["lessons"][0]["marks"][0]["value"] == 3
    absent = runner.invoke(args=["snapshot", "show", "--year", "2026/2027", "--period", "Q2", "--class", "5А",
                                 "--version", "7"])
    assert absent.exit_code == 1 and "нет версии 7" in absent.output


def test_a_rejected_class_fails_alone_with_its_reasons_and_nothing_of_it_is_stored(runner, archive, added):
    broken = class_snapshot("6Б")
    broken["students"][1]["id"] = "s1"  # two students with one id
    write_class(added.folder, broken)
    (added.folder / "7В.json").write_text("<html>Технические работы</html>", encoding="utf-8")
    (added.folder / "8Г.json").write_text("HTTP 500", encoding="utf-8")
    result = runner.invoke(args=PULL)
    assert result.exit_code == 1
    assert "5А    новый снимок" in result.output
    assert "6Б    ОТКЛОНЁН: 6Б: снимок журнала отклонён" in result.output and "s1" in result.output
    assert "7В    ОТКЛОНЁН: 7В: Система ответила не так, как описано (формат ответа изменился?): журнал класса " \
           "7В: сервер ответил не в формате JSON" in result.output
    assert "8Г    ОТКЛОНЁН: 8Г: Система недоступна:" in result.output and "ошибкой 500" in result.output
    assert [r.class_name for r in _rows(archive, SnapshotRecord)] == ["5А"]
    pull = _rows(archive, SourcePull)[0]
    assert pull.state == "partial" and {r["class_name"]: r["status"] for r in pull.results} == {
        "5А": "new", "6Б": "rejected", "7В": "rejected", "8Г": "rejected"}
    assert pull.results[3]["error"] == "SourceUnreachableError"  # the scheduled task retries on this
    assert any("s1" in p for p in pull.results[1]["problems"])


def test_a_pull_and_its_ingest_are_audited_with_the_persons_name(archive, added):
    source_pull.pull(archive.uow(), archive.source_box, archive.open_connector, "school", "2026/2027", "Q2", "5А",
                     actor=Actor("Иванова Татьяна Петровна", "deputy", "web 127.0.0.1"), now=archive.now)
    events = {e.action: e for e in _rows(archive, AuditEvent)}
    assert events["source.pulled"].actor == "Иванова Татьяна Петровна"
    assert events["source.pulled"].details["classes"] == {"5А": "new"}
    assert events["snapshot.ingested"].actor == "Иванова Татьяна Петровна"
    assert events["snapshot.ingested"].origin == "source:school"
    assert events["source.added"].actor == NAMES["admin"], "the administrator named at the terminal (--as admin)"
    assert PASSWORD not in json.dumps([e.details for e in events.values()], ensure_ascii=False)


def test_a_recorded_pull_replays_into_the_same_snapshots_with_no_server(runner, archive, added, tmp_path):
    record = tmp_path / "record"
    assert runner.invoke(args=PULL + ["--record", str(record)]).exit_code == 0
    recorded = "".join(p.read_text(encoding="utf-8") for p in record.glob("*.json"))
    assert PASSWORD not in recorded and (record / "pull.info").exists()
    added.__exit__()
    shown = runner.invoke(args=["--as", "deputy", "source", "replay", str(record), "--show"])
    assert shown.exit_code == 0, shown.output
    assert [s["class"]["name"] for s in json.loads(shown.output)] == ["5А", "6Б"]
    again = runner.invoke(args=["--as", "deputy",
                                "source", "replay", str(record), "--system", "netschool", "--year", "2026/2027",
                                "--period", "Q2"])
    assert again.exit_code == 0 and "без изменений — 2" in again.output, again.output
    assert len(_rows(archive, SnapshotRecord)) == 2


def test_the_schools_register_goes_with_a_recording_so_the_replay_reads_the_copy(runner, archive, journal,
                                                                                   tmp_path):
    seen: list[str] = []

    class RegisterReading(FileJournal):
        """The file journal, reading the school's register as the real connectors do."""

        def __init__(self, credentials, transport):
            super().__init__(credentials, transport)
            register = register_from(credentials, system="Сетевого города")
            seen.append(register.director if register else "")

    archive.connectors.register("netschool", RegisterReading)
    path = tmp_path / "реестр.json"
    path.write_text(json.dumps({"school": {"director": "Сергеева Ольга Викторовна"}, "students": {}},
                               ensure_ascii=False), encoding="utf-8")
    added = runner.invoke(args=["--as", "admin",
                                "source", "add", "school", "--system", "netschool", "--url", journal.url,
                                "--login", LOGIN, "--extra", f"register={path}"],
                          env={"ARCHIVE_SOURCE_PASSWORD": PASSWORD})
    assert added.exit_code == 0, added.output
    record = tmp_path / "record"
    assert runner.invoke(args=PULL + ["--record", str(record)]).exit_code == 0
    assert json.loads((record / "pull.info").read_text(encoding="utf-8"))["extra"] == {"register": "register.school"}
    path.unlink()  # the developers replaying the recording do not have the school's file
    shown = runner.invoke(args=["--as", "deputy", "source", "replay", str(record), "--show"])
    assert shown.exit_code == 0, shown.output
    assert seen == ["Сергеева Ольга Викторовна"] * 2


def test_the_secret_can_come_from_a_hidden_prompt(runner, archive, journal, monkeypatch):
    monkeypatch.delenv("ARCHIVE_SOURCE_PASSWORD", raising=False)
    result = runner.invoke(args=["--as", "admin",
                                 "source", "add", "typed", "--system", "netschool", "--url", journal.url,
                                 "--login", LOGIN], input=PASSWORD + "\n")
    assert result.exit_code == 0 and PASSWORD not in result.output
    assert json.loads(archive.source_box.open(_rows(archive, JournalSourceRecord)[0].secret))["secret"] == PASSWORD


def test_a_pull_of_a_year_or_period_the_system_does_not_have_says_so_and_is_recorded_as_failed(
        runner, archive, added):
    other_year = runner.invoke(args=["--as", "deputy",
                                     "source", "pull", "school", "--year", "2025/2026", "--period", "Q2"])
    assert other_year.exit_code == 1
    assert "система ведёт 2026/2027 учебный год, а запрошен 2025/2026" in other_year.output
    no_period = runner.invoke(args=["--as", "deputy",
                                    "source", "pull", "school", "--year", "2026/2027", "--period", "Q4"])
    assert no_period.exit_code == 1 and "в системе нет периода Q4 (есть: Q1, Q2)" in no_period.output
    no_class = runner.invoke(args=PULL + ["--class", "11А"])
    assert no_class.exit_code == 1 and "в системе нет класса 11А (есть: 5А, 6Б)" in no_class.output
    assert [p.state for p in _rows(archive, SourcePull)] == ["failed"] * 3
    assert _rows(archive, SnapshotRecord) == []


def test_a_pull_whose_process_died_is_listed_as_interrupted(runner, archive, added):
    import datetime as dt

    with archive.session_factory() as session:
        session.add(SourcePull(source_name="school", system="netschool", academic_year="2026/2027", period_code="Q2",
                               triggered_by="расписание", started_at=archive.now() - dt.timedelta(hours=3),
                               finished_at=None, state="running", message="", results=[]))
        session.commit()
    listed = json.loads(runner.invoke(args=["source", "list", "--json"]).output)
    assert listed[0]["last_pull"]["state"] == "interrupted"


def test_the_eljur_devkey_is_sealed_with_the_password_and_only_the_plain_parameters_are_listed(
        runner, archive, journal, settings):
    devkey = "d3vk3y-0f-th3-sch00l"
    result = runner.invoke(args=["--as", "admin", "source", "add", "ej", "--system", "eljur", "--url", "https://sch21.eljur.ru/",
                                 "--login", "zavuch", "--extra", "vendor=sch21"],
                           env={"ARCHIVE_SOURCE_PASSWORD": PASSWORD, "ARCHIVE_SOURCE_DEVKEY": devkey})
    assert result.exit_code == 0, result.output
    row = _rows(archive, JournalSourceRecord)[0]
    assert row.extra == {"vendor": "sch21"} and devkey.encode() not in bytes(row.secret)
    with archive.engine.connect() as conn:
        assert devkey not in " ".join(str(r) for r in conn.execute(text("SELECT * FROM journal_source")))
    listed = runner.invoke(args=["source", "list", "--json"]).output
    assert devkey not in listed and json.loads(listed)[0]["extra"] == {"vendor": "sch21"}
    _, credentials = sources.credentials_of(archive.uow(), archive.source_box, "ej")
    assert credentials.extra == {"vendor": "sch21", "devkey": devkey} and credentials.secret == PASSWORD
    assert devkey not in repr(credentials) and PASSWORD not in repr(credentials)
