"""The ЭлЖур apiv3 connector against its stand-in server over HTTP (tests/standins/eljur.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from archive_service.adapters.sources import (ClassRef, Credentials, PeriodRef, SourceAuthError, SourceError,
                                              SourceShapeError, SourceUnreachableError)
from archive_service.adapters.sources.eljur import (EljurSource, SchoolRegister, StudentFacts, lesson_mark,
                                                    period_code, period_mark)
from archive_service.adapters.sources.transport import RecordingTransport, ReplayTransport, Transport
from archive_service.domain.actor import Actor
from archive_service.domain.diff import diff_snapshots
from archive_service.schema import parse_snapshot
from archive_service.services.ingest import ingest_snapshot
from conftest import NOW
from standins.eljur import CLASS, DEVKEY, LOGIN, PASSWORD, SUBSTITUTE, VENDOR, EljurStandIn, eljur_truth

EXPORT = dt.datetime(2026, 12, 26, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def register_of(truth: dict) -> SchoolRegister:
    """What the school's own records say (ЭлЖур's API has no birth dates, no director)."""
    return SchoolRegister(director=truth["school"]["director"]["full_name"], school_id=truth["school"]["id"],
                          students={s["id"]: StudentFacts(class_name=CLASS, birth_date=s["birth_date"],
                                                          full_name=s["full_name"], enrolled_on=s["enrolled_on"],
                                                          left_on=s["left_on"])
                                    for s in truth["students"]})


def connect(server: EljurStandIn, transport: Transport | None = None, *, password: str = PASSWORD,
            devkey: str = DEVKEY, register: SchoolRegister | None = None,
            now: dt.datetime = EXPORT) -> EljurSource:
    credentials = Credentials(url=server.url, login=LOGIN, secret=password,
                              extra={"devkey": devkey, "vendor": VENDOR})
    transport = transport or Transport(server.url, retries=1, backoff=0.01, system_name="ЭлЖур")
    return EljurSource(credentials, transport, register=register or register_of(server.truth), now=lambda: now)


def pull(source: EljurSource) -> dict:
    info = source.sign_in()
    cls = next(c for c in info.classes if c.name == CLASS)
    period = next(p for p in info.periods if p.code == "Q2")
    return source.fetch(cls, period)


def comparable(snap: dict) -> dict:
    """What the class's journal says, without the ids and counts each side makes up on its own."""
    def marks(lesson: dict) -> list:
        return sorted((m["student_id"], str(m["value"]), m["work_type"], m["set_on"]) for m in lesson["marks"])

    return {
        "system": snap["source"]["system"],
        "school": (snap["school"]["id"], snap["school"]["full_name"], snap["school"]["short_name"],
                   snap["school"]["director"]["full_name"]),
        "year": snap["academic_year"], "period": snap["period"],
        "class": (snap["class"]["name"], snap["class"]["grade"], snap["class"]["class_teacher"]["full_name"]),
        "students": sorted((s["id"], s["full_name"], s["birth_date"], s["enrolled_on"], s["left_on"])
                           for s in snap["students"]),
        "subjects": {(s["name"], (s.get("group") or {}).get("name")): {
            "teacher": s["teacher"]["full_name"],
            "group": sorted((s.get("group") or {}).get("student_ids", [])),
            "lessons": [(les["date"], les["topic"], les["homework"], marks(les),
                         sorted((a["student_id"], a["code"]) for a in les["absences"]),
                         (les.get("teacher") or {}).get("full_name")) for les in s["lessons"]],
            "period_marks": sorted((pm["student_id"], pm["period"], str(pm["value"])) for pm in s["period_marks"]),
        } for s in snap["subjects"]},
    }


def test_a_class_pulled_from_eljur_is_the_class_the_server_holds_and_passes_the_strict_ingest(archive):
    with EljurStandIn() as server:
        source = connect(server)
        info = source.sign_in()
        assert (info.system, info.academic_year) == ("ЭлЖур", "2026/2027")
        assert info.school == server.truth["school"]["full_name"]
        assert [c.name for c in info.classes] == ["5А", "5Б", "6Б"]
        assert [(p.code, p.start, p.end) for p in info.periods][:2] == [("Q1", "2026-09-01", "2026-10-27"),
                                                                        ("Q2", "2026-11-05", "2026-12-25")]
        assert [p.code for p in info.periods] == ["Q1", "Q2", "Q3", "Q4", "year"]
        snap = source.fetch(info.classes[0], info.periods[1])
        source.sign_out()
    assert comparable(snap) == comparable(server.truth)
    assert snap["source"]["exported_at"] == "2026-12-26T11:30:00+00:00"
    weeks = (dt.date(2026, 12, 25) - dt.date(2026, 11, 5)).days / 7 + 1 / 7
    assert {s["name"]: s["hours_per_week"] for s in snap["subjects"]} == {
        s["name"]: round(len(s["lessons"]) / weeks, 1) for s in server.truth["subjects"]}
    assert source.notes == ["ученик 1002, «Математика», 2026-11-09: запись «•» ЭлЖур не учитывает как отметку "
                            "(count=false), в снимок она не взята"]
    result = ingest_snapshot(archive.uow(), json.dumps(snap, ensure_ascii=False), actor=Actor("test", "deputy"),
                             now=NOW)
    assert (result.status, result.class_name, result.period_code) == ("stored", "5А", "Q2")
    again = ingest_snapshot(archive.uow(), json.dumps(snap, ensure_ascii=False), actor=Actor("test", "deputy"), now=NOW)
    assert again.status == "duplicate"


def test_a_lesson_the_diary_names_another_teacher_for_is_a_substitution():
    with EljurStandIn() as server:
        source = connect(server)
        info = source.sign_in()
        snap = source.fetch(info.classes[0], info.periods[1])
    math = next(s for s in snap["subjects"] if s["name"] == "Математика")
    given = [(les["date"], les.get("teacher")) for les in math["lessons"] if les.get("teacher")]
    assert given == [(server.truth["subjects"][0]["lessons"][3]["date"],
                      {"id": SUBSTITUTE, "full_name": SUBSTITUTE})]
    assert math["teacher"]["full_name"] != SUBSTITUTE  # the subject's teacher gave the rest
    assert all("teacher" not in les for s in snap["subjects"] if s["name"] != "Математика" for les in s["lessons"])
    parsed = parse_snapshot(json.dumps(snap, ensure_ascii=False))
    assert [les.teacher.full_name for s in parsed.subjects for les in s.lessons if les.teacher] == [SUBSTITUTE]


def test_two_diaries_naming_different_teachers_for_one_lesson_stop_the_pull_naming_both():
    from archive_service.adapters.sources.eljur_journal import ClassBuild

    def diary(teacher: str) -> dict:
        return {"days": {"20261109": {"name": "20261109", "items": {"1": {
            "name": "Математика", "num": "1", "lesson_id": "345", "teacher": teacher}}}}}

    build = ClassBuild(end=dt.date(2026, 12, 25), notes=[], teacher_ids={})
    build.add_diary("1001", diary("Иванова Татьяна Петровна"))
    with pytest.raises(SourceError, match="разные учителя: «Иванова Татьяна Петровна» и «Руденко Лариса"):
        build.add_diary("1002", diary(SUBSTITUTE))


def test_a_changed_mark_pulled_again_is_a_new_version_whose_diff_shows_it(archive):
    with EljurStandIn() as server:
        first = pull(connect(server))
        math = next(s for s in server.truth["subjects"] if s["id"] == "math")
        math["lessons"][0]["marks"][0]["value"] = 4  # 1001's 5 of 9 November corrected to 4
        second = pull(connect(server, now=EXPORT + dt.timedelta(days=2)))
    ingest_snapshot(archive.uow(), json.dumps(first, ensure_ascii=False), actor=Actor("test", "deputy"),
                    now=NOW)
    result = ingest_snapshot(archive.uow(), json.dumps(second, ensure_ascii=False), actor=Actor("test", "deputy"),
                             now=NOW,
                             reason="выгрузка из ЭлЖур")
    assert (result.status, result.version) == ("new_version", 2)
    changes = diff_snapshots(parse_snapshot(json.dumps(first)), parse_snapshot(json.dumps(second))).changes
    assert [(c.change, c.kind, c.subject, c.student_id, c.date.isoformat(), c.old, c.new, c.retroactive)
            for c in changes] == [("changed", "mark", "Математика", "1001", "2026-11-09", 5, 4, True)]


def test_a_wrong_password_or_devkey_is_refused_with_the_servers_reason_in_russian():
    with EljurStandIn() as server:
        with pytest.raises(SourceAuthError, match="Неверный логин или пароль"):
            connect(server, password="не тот").sign_in()
        with pytest.raises(SourceAuthError, match="не удалось авторизовать разработчика"):
            connect(server, devkey="0" * 32).sign_in()
        assert server.data_calls == 0


def test_a_token_that_expires_in_the_middle_of_a_pull_is_renewed_with_the_password():
    with EljurStandIn() as server:
        expected = comparable(pull(connect(server)))
        server.auth_calls = server.data_calls = 0
        server.expire_token_after = 6  # dies while the students' diaries are being read
        source = connect(server)
        assert comparable(pull(source)) == expected
        assert server.auth_calls == 2


def test_a_refusal_that_persists_after_signing_in_anew_stops_the_pull():
    class Refusing(EljurStandIn):
        def answer(self, method, args):
            if method == "getperiods" and args.get("auth_token") in self.tokens:
                return self._failed("Ошибка авторизации: токен недействителен или истёк")
            return super().answer(method, args)

    with Refusing() as server:
        with pytest.raises(SourceError, match="ЭлЖур отказал в запросе getperiods: «Ошибка авторизации"):
            connect(server).sign_in()
        assert server.auth_calls == 2


def test_a_server_error_on_one_method_is_reported_as_unreachable():
    with EljurStandIn() as server:
        server.fail_method = "getmarks"
        with pytest.raises(SourceUnreachableError, match="ЭлЖур: сервер ответил ошибкой 500"):
            pull(connect(server))


@pytest.mark.parametrize("method, field", [("getmarks", "mtype"), ("getdiary", "lesson_id"),
                                           ("getrules", "hometeacher_name"), ("getfinalassessments", "period"),
                                           ("auth", "token")])
def test_a_response_with_a_missing_field_stops_the_pull_naming_the_field(method, field):
    with EljurStandIn() as server:
        server.drop = (method, field)
        with pytest.raises(SourceShapeError, match=f"нет поля «{field}»"):
            pull(connect(server))


def test_a_recorded_pull_replays_to_the_same_snapshot_and_the_recording_holds_no_secrets(tmp_path: Path):
    folder = tmp_path / "recorded"
    with EljurStandIn() as server:
        recorded = pull(connect(server, RecordingTransport(server.url, folder, retries=0)))
        issued = list(server.issued)
    replayed = pull(connect(server, ReplayTransport(folder), password="", devkey="replay"))
    assert replayed == recorded
    files = sorted(folder.glob("*.json"))
    assert len(files) == 4 + 3 * 4  # auth, getrules, getperiods (all, then the class), three per student
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    for secret in (DEVKEY, PASSWORD, *issued):
        assert secret not in text
    assert "Алексеев Иван Петрович" in text  # the journal itself is there


def test_a_student_the_account_cannot_see_stops_the_pull_naming_the_student():
    truth = eljur_truth()
    register = register_of(truth)
    hidden = dict(register.students, **{"1009": StudentFacts(class_name=CLASS, birth_date="2015-05-05",
                                                             full_name="Ефимов Глеб Артёмович")})
    with EljurStandIn(truth) as server:
        source = connect(server, register=SchoolRegister(director=register.director, students=hidden))
        with pytest.raises(SourceAuthError, match="видит не всех учеников класса 5А: не видны Ефимов Глеб"):
            pull(source)


def test_without_the_schools_register_the_pull_says_what_eljur_cannot_give():
    with EljurStandIn() as server:
        source = connect(server)
        source.register = None
        with pytest.raises(SourceShapeError, match="не передаёт даты рождения учеников и имя директора"):
            pull(source)
        partial = register_of(server.truth)
        source.register = SchoolRegister(director=partial.director,
                                         students={k: v for k, v in partial.students.items() if k != "1002"})
        with pytest.raises(SourceShapeError, match="в реестре школы нет учеников класса 5А: Борисова Мария"):
            pull(source)


def test_a_pupil_or_parent_account_is_refused_for_a_class_pull():
    class ParentAccount(EljurStandIn):
        def m_getrules(self, student, days):
            rules = super().m_getrules(student, days)
            rules["roles"] = ["parent"]
            return rules

    with ParentAccount() as server:
        with pytest.raises(SourceAuthError, match="видит только своих детей"):
            pull(connect(server))


def test_lessons_after_the_export_moment_are_left_out():
    moment = dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.timezone.utc)
    with EljurStandIn() as server:
        snap = pull(connect(server, now=moment))
    days = [les["date"] for s in snap["subjects"] for les in s["lessons"]]
    assert max(days) == "2026-12-10" and "2026-12-15" not in days
    parse_snapshot(json.dumps(snap, ensure_ascii=False))


def test_period_names_map_to_snapshot_codes_and_an_unknown_name_is_refused_by_name():
    names = {"1 четверть": "Q1", "II четверть": "Q2", "IV четверть": "Q4", "2-е полугодие": "H2",
             "Полугодие 1": "H1", "3 триместр": "T3", "Год": "year"}
    assert {n: period_code(n) for n in names} == names
    for unknown in ("Экзамен", "5 четверть", "Летняя практика"):
        with pytest.raises(SourceShapeError, match=f"период «{unknown}» не удаётся сопоставить"):
            period_code(unknown)


def test_mark_values_keep_what_the_format_can_say_and_refuse_the_rest():
    notes: list[str] = []
    assert [lesson_mark(v, notes, "ученик 1") for v in ("5", " 3", "зач", "Незачёт")] == [5, 3, "зач", "незач"]
    assert notes == []
    assert lesson_mark("4-", notes, "ученик 1") == 4 and "«4-» записана как 4" in notes[0]
    assert [period_mark(v, notes, "итог") for v in ("н/а", "осв", "освобождён", "2")] == ["н/а", "осв", "осв", 2]
    for bad in ("5/4", "6", "н/а+", "осв"):
        with pytest.raises(SourceShapeError, match=re.escape(f"отметка «{bad}» не переводится")):
            lesson_mark(bad, notes, "ученик 1")


def test_credentials_without_devkey_are_refused_before_any_request():
    source = EljurSource(Credentials(url="https://api.eljur.ru/apiv3", login="x", secret="y"),
                         Transport("http://127.0.0.1:9/"))
    with pytest.raises(SourceAuthError, match="devkey"):
        source.sign_in()
    named = EljurSource(Credentials(url="https://school21.eljur.ru/apiv3", login="x", secret="y",
                                    extra={"devkey": DEVKEY}), Transport("http://127.0.0.1:9/"))
    assert named.vendor == "school21"


def test_a_register_file_is_read_from_the_credentials(tmp_path: Path):
    file = tmp_path / "register.json"
    file.write_text(json.dumps({"school": {"director": "Сергеева Ольга Викторовна"},
                                "students": {"1001": {"class": "5А", "birth_date": "2015-03-14"}}},
                               ensure_ascii=False), encoding="utf-8")
    source = EljurSource(Credentials(url="https://school21.eljur.ru/apiv3", extra={"register": str(file)}),
                         Transport("http://127.0.0.1:9/"))
    assert source.register == SchoolRegister(director="Сергеева Ольга Викторовна",
                                             students={"1001": StudentFacts(class_name="5А",
                                                                            birth_date="2015-03-14")})
    file.write_text(json.dumps({"students": {}}), encoding="utf-8")
    with pytest.raises(SourceError, match="Реестр школы для ЭлЖура заполнен неверно"):
        EljurSource(Credentials(url="x", extra={"register": str(file)}), Transport("http://127.0.0.1:9/"))


def test_a_class_or_a_period_the_class_does_not_have_is_named():
    with EljurStandIn() as server:
        source = connect(server)
        source.sign_in()
        q2 = PeriodRef(code="Q2", system_id="II четверть", name="II четверть", start="2026-11-05", end="2026-12-25")
        with pytest.raises(SourceShapeError, match="нет класса «7В»"):
            source.fetch(ClassRef(id="7В", name="7В", grade=7), q2)
        with pytest.raises(SourceShapeError, match="в классе 5Б за период нет ни одного ученика"):
            source.fetch(ClassRef(id="5Б", name="5Б", grade=5), q2)
        h1 = PeriodRef(code="H1", system_id="1 полугодие", name="1 полугодие", start="2026-09-01", end="2026-12-25")
        with pytest.raises(SourceShapeError, match="у класса 5А нет периода H1 .«1 полугодие».; его периоды: "
                                                   "Q1, Q2, Q3, Q4, year"):
            source.fetch(ClassRef(id="5А", name="5А", grade=5), h1)
