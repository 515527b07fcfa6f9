"""The Дневник.ру connector against its stand-in over HTTP: sign-in, a whole class, failures, record/replay."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from archive_service.adapters.sources.base import (Credentials, PeriodRef, SessionExpiredError, SourceAuthError,
                                                   SourceShapeError, SourceUnreachableError)
from archive_service.adapters.sources.dnevnik import DnevnikSource
from archive_service.adapters.sources.roster import SchoolRegister
from archive_service.adapters.sources.transport import RecordingTransport, ReplayTransport, Transport
from archive_service.domain.actor import Actor
from archive_service.schema import parse_snapshot
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.snapshots import diff_versions
from builders import snapshot, subject
from conftest import NOW
from standins.dnevnik import DnevnikStandIn

EXPORT = dt.datetime(2026, 12, 26, 11, 30, tzinfo=dt.timezone.utc)
TOKEN = "b3f1c0ffee"
SUBSTITUTE = {"id": "t-sub", "full_name": "Руденко Лариса Вячеславовна"}


def class_5a() -> dict:
    """builders' 5А (an arrival, s3, and a leaver, s4) with every absence code, pass/fail and «н/а»/«осв»
    period marks, and lessons that set no homework."""
    data = snapshot()
    math = subject(data, "math")
    math["lessons"][2]["absences"] = [{"student_id": "s3", "code": "Н"}]
    math["lessons"][3]["absences"] = [{"student_id": "s2", "code": "У"}]
    math["lessons"][3]["marks"] = [m for m in math["lessons"][3]["marks"] if m["student_id"] != "s2"]
    math["period_marks"][2]["value"] = "н/а"
    math["lessons"][4]["teacher"] = dict(SUBSTITUTE)  # the lesson's `teachers` name her, not the subject's teacher
    music = subject(data, "music")
    music["lessons"][0]["homework"] = None
    music["period_marks"][1]["value"] = "осв"
    eng = subject(data, "eng-1")
    eng["period_marks"][1]["value"] = "незач"
    return data


def current_only(data: dict) -> dict:
    """`data` without its leaver and the leaver's marks."""
    data = copy.deepcopy(data)
    gone = {s["id"] for s in data["students"] if s["left_on"]}
    data["students"] = [s for s in data["students"] if s["id"] not in gone]
    for subj in data["subjects"]:
        for lesson in subj["lessons"]:
            lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] not in gone]
            lesson["absences"] = [a for a in lesson["absences"] if a["student_id"] not in gone]
        subj["period_marks"] = [m for m in subj["period_marks"] if m["student_id"] not in gone]
    return data


def present_throughout(data: dict) -> dict:
    """`data` with no leaver and no arrival: everyone in the class the whole period."""
    data = current_only(data)
    for s in data["students"]:
        s["enrolled_on"] = None
    return data


def source(standin: DnevnikStandIn, transport: Transport | None = None, *, token: str | None = None,
           password: str | None = None, register: SchoolRegister | None | bool = True,
           extra: dict | None = None) -> DnevnikSource:
    """A connector to the stand-in; by default with the school's register (`register=False`: without)."""
    if token is not None:
        creds = Credentials(url=standin.api, secret=token, extra={"auth": "token", **(extra or {})})
    else:
        creds = Credentials(url=standin.api, login=standin.login, secret=password or standin.password,
                            extra={"login_url": standin.url, "client_id": standin.client_id, **(extra or {})})
    if register is True:
        register = SchoolRegister.from_dict(standin.register())
    return DnevnikSource(creds, transport or Transport(standin.api, backoff=0.01, system_name="Дневник.ру"),
                         register=register or None, now=lambda: EXPORT)


def pull(conn: DnevnikSource) -> dict:
    info = conn.sign_in()
    return conn.fetch(info.classes[0], info.periods[0])


def expected_from(standin: DnevnikStandIn, data: dict, got: dict) -> dict:
    """What the stand-in holds, less hours per week (derived from the lessons)."""
    want = standin.expected(data)
    want["source"]["exported_at"] = "2026-12-26T11:30:00+00:00"
    weeks = (dt.date(2026, 12, 25) - dt.date(2026, 11, 5)).days / 7 + 1 / 7
    for subj in want["subjects"]:
        hours = round(len(subj["lessons"]) / weeks, 1)
        subj["hours_per_week"] = int(hours) if hours == int(hours) else hours
    return want


def test_a_whole_class_with_a_subgroup_pulled_by_password_matches_the_stand_in_and_passes_strict_ingest(archive):
    data = class_5a()
    with DnevnikStandIn([data]) as standin:
        conn = source(standin)
        info = conn.sign_in()
        assert (info.system, info.school, info.academic_year) == ("Дневник.ру", "МБОУ СОШ № 21", "2026/2027")
        assert [(c.name, c.grade) for c in info.classes] == [("5А", 5)]
        assert [(p.code, p.start, p.end) for p in info.periods] == [("Q2", "2026-11-05", "2026-12-25")]
        got = conn.fetch(info.classes[0], info.periods[0])
        assert got == expected_from(standin, data, got)
    eng = next(s for s in got["subjects"] if s.get("group"))
    assert eng["group"]["name"] == "1 группа" and len(eng["group"]["student_ids"]) == 2
    given = [le["teacher"]["full_name"] for s in got["subjects"] for le in s["lessons"] if le.get("teacher")]
    assert given == [SUBSTITUTE["full_name"]] and conn.notes == []
    codes = sorted(a["code"] for s in got["subjects"] for le in s["lessons"] for a in le["absences"])
    assert codes == ["Б", "Н", "О", "У"]
    assert parse_snapshot(json.dumps(got, ensure_ascii=False)).class_.class_teacher.full_name == \
        "Николаева Елена Павловна"
    result = ingest_snapshot(archive.uow(), json.dumps(got, ensure_ascii=False).encode(),
                             actor=Actor("test", "deputy", "dnevnik"), now=NOW)
    assert result.status == "stored" and result.period_code == "Q2"


def test_an_unchanged_second_pull_is_a_no_op_and_a_changed_mark_a_new_version_whose_diff_shows_it(archive):
    def store(got: dict, reason: str | None = None):
        return ingest_snapshot(archive.uow(), json.dumps(got, ensure_ascii=False).encode(),
                               actor=Actor("test", "deputy", "dnevnik"), reason=reason, now=NOW)

    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        assert store(pull(source(standin, token=TOKEN))).status == "stored"
        assert store(pull(source(standin, token=TOKEN))).status == "duplicate"
        mark = standin.marks[standin.id("group", "c-5a")][0]
        assert mark["value"] == "5"
        mark["value"] = mark["textValue"] = "3"
        again = store(pull(source(standin, token=TOKEN)), reason="выгрузка из Дневник.ру")
    assert (again.status, again.version) == ("new_version", 2)
    changes = diff_versions(archive.uow(), "2026/2027", "Q2", "5А").changes
    assert [(c.kind, c.change, c.old, c.new, c.student) for c in changes] == [
        ("mark", "changed", 5, 3, "Алексеев Иван Петрович")]


def test_a_mark_with_a_sign_is_stored_without_it_and_the_connector_says_so():
    data = class_5a()
    with DnevnikStandIn([data], signed={("m-1", "s1"): "5-"}) as standin:
        conn = source(standin, token=None)
        got = pull(conn)
    first = next(s for s in got["subjects"] if s["name"] == "Математика")["lessons"][0]
    assert first["marks"][0]["value"] == 5
    assert len(conn.notes) == 1 and "«5-»" in conn.notes[0] and "записана как 5" in conn.notes[0]


def test_works_none_of_which_is_typed_homework_leave_homework_out_and_say_so():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        for lessons in standin.lessons.values():
            for lesson in lessons:
                for work in lesson["works"]:
                    work["type"] = "LessonWork"
        conn = source(standin, token=TOKEN)
        got = pull(conn)
    assert {le["homework"] for s in got["subjects"] for le in s["lessons"]} == {None}
    assert conn.notes == ["5А: ни у одной работы уроков нет type «Homework» — домашние задания не распознаны, "
                          "поле homework оставлено пустым"]


def test_a_class_with_a_leaver_and_an_arrival_pulled_with_the_register_file_gets_their_dates_and_passes_ingest(
        archive, tmp_path):
    data = snapshot()
    with DnevnikStandIn([data]) as standin:
        path = tmp_path / "реестр.json"
        path.write_text(json.dumps(standin.register(), ensure_ascii=False, indent=1), encoding="utf-8")
        conn = source(standin, register=False, extra={"register": str(path)})
        got = pull(conn)
        assert got == expected_from(standin, data, got)
        leaver, arrival = (str(standin.id("person", sid)) for sid in ("s4", "s3"))
    students = {s["id"]: s for s in got["students"]}
    assert (students[leaver]["full_name"], students[leaver]["left_on"]) == ("Григорьева Анна Сергеевна",
                                                                            "2026-12-04")
    assert (students[arrival]["enrolled_on"], students[arrival]["left_on"]) == ("2026-11-16", None)
    leaver_marks = [m for s in got["subjects"] for le in s["lessons"] for m in le["marks"] if m["student_id"] == leaver]
    assert [m["set_on"] for m in leaver_marks] == ["2026-11-09"]
    result = ingest_snapshot(archive.uow(), json.dumps(got, ensure_ascii=False).encode(),
                             actor=Actor("test", "deputy", "dnevnik"), now=NOW)
    assert result.status == "stored"


def test_without_a_register_a_student_who_left_stops_the_pull_because_the_api_has_no_leaving_date():
    with DnevnikStandIn([snapshot()]) as standin:
        with pytest.raises(SourceShapeError, match="дату выбытия Дневник.ру не сообщает.*подключите реестр школы"):
            pull(source(standin, register=False))


def test_without_a_register_an_arrival_is_refused_instead_of_being_called_present_from_the_start():
    with DnevnikStandIn([current_only(snapshot())]) as standin:
        with pytest.raises(SourceShapeError, match=r"прибывшие в течение периода: Васильев Олег Ильич \(впервые в "
                                                   r"журнале 2026-11-1\d\).*подключите реестр школы"):
            pull(source(standin, register=False))


def test_without_a_register_a_class_present_throughout_is_pulled_and_one_without_attendance_is_refused():
    data = present_throughout(class_5a())
    with DnevnikStandIn([data]) as standin:
        got = pull(source(standin, register=False))
        assert got == expected_from(standin, data, got)
        standin.log.clear()
        with pytest.raises(SourceShapeError, match="нет ни одной отметки посещаемости.*реестр школы"):
            pull(source(standin, register=False))


def test_a_student_the_api_shows_who_is_not_in_the_register_stops_the_pull_naming_them():
    with DnevnikStandIn([snapshot()]) as standin:
        register = standin.register()
        del register["students"][str(standin.id("person", "s2"))]
        del register["students"][str(standin.id("person", "s4"))]
        conn = source(standin, register=SchoolRegister.from_dict(register))
        with pytest.raises(SourceShapeError, match=r"в реестре школы нет учеников класса 5А, которых показывает "
                                                   r"Дневник.ру: Борисова Мария Андреевна \(\d+\), id \d+"):
            pull(conn)


def test_a_register_that_contradicts_the_api_stops_the_pull_saying_where():
    data = snapshot()
    with DnevnikStandIn([data]) as standin:
        # the leaver is still listed as a member and has a mark after the day the register says she left
        gid = standin.id("group", "c-5a")
        leaver = standin.id("person", "s4")
        standin.persons[gid].append({"id": leaver, "userId": standin.id("user", "s4"), "lastName": "Григорьева",
                                     "firstName": "Анна", "middleName": "Сергеевна", "sex": "Female"})
        late = next(m for m in standin.marks[gid] if m["person"] == leaver)
        late["date"] = "2026-12-10T12:00:00"
        with pytest.raises(SourceShapeError, match=r"реестр школы расходится с журналом класса 5А: Григорьева Анна "
                                                   r"Сергеевна: по реестру выбыл\(а\) 2026-12-04, а Дневник.ру всё ещё "
                                                   r"числит в классе; .*отметка за 2026-12-10, а по реестру выбыл"):
            pull(source(standin))
        register = standin.register()
        register["students"][str(standin.id("person", "s1"))]["left_on"] = "2026-12-01"
        standin.persons[gid].pop()
        late["date"] = "2026-11-09T12:00:00"
        with pytest.raises(SourceShapeError, match="Алексеев Иван Петрович: по реестру выбыл"):
            pull(source(standin, register=SchoolRegister.from_dict(register)))


def test_a_wrong_password_is_refused_with_a_russian_message():
    with DnevnikStandIn([class_5a()]) as standin:
        with pytest.raises(SourceAuthError, match="не принял логин или пароль"):
            source(standin, password="неверный").sign_in()


def test_a_wrong_token_is_refused_at_sign_in():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        with pytest.raises(SourceAuthError, match="не принял токен доступа"):
            source(standin, token="0123456789abcdef").sign_in()
        with pytest.raises(SourceAuthError, match="недопустимые символы"):
            source(standin, token="чужой").sign_in()


def test_an_imported_token_that_expires_in_the_middle_of_a_pull_says_the_session_expired():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        conn = source(standin, token=TOKEN)
        info = conn.sign_in()
        standin.expire_after(5)
        with pytest.raises(SessionExpiredError, match="токен доступа больше не действует"):
            conn.fetch(info.classes[0], info.periods[0])


def test_a_password_source_signs_in_again_when_its_token_expires_mid_pull_and_gets_the_same_snapshot():
    data = class_5a()
    with DnevnikStandIn([data]) as standin:
        whole = pull(source(standin))
        conn = source(standin)
        info = conn.sign_in()
        standin.expire_after(5)
        assert conn.fetch(info.classes[0], info.periods[0]) == whole
        assert standin.requests.count("/login/") == 3


def test_a_server_error_on_one_endpoint_is_unreachable_after_the_retries():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        standin.fail("final-marks")
        with pytest.raises(SourceUnreachableError, match="ошибкой 500.*попыток: 4"):
            pull(source(standin, token=TOKEN))
        assert sum("final-marks" in r for r in standin.requests) == 4


@pytest.mark.parametrize("kind, field, named", [("lessons", "date", "«date»"), ("users", "birthday", "«birthday»"),
                                                ("parameters", "directorFullName", "«directorFullName»")])
def test_a_response_missing_a_field_stops_the_pull_naming_the_field(kind, field, named):
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        standin.drop(kind, field)
        with pytest.raises(SourceShapeError, match=named):
            pull(source(standin, token=TOKEN))


def test_a_parameter_the_server_calls_invalid_is_a_shape_error_with_its_description():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        standin.refuse("/marks/")
        with pytest.raises(SourceShapeError, match="неверными: Неверный формат даты"):
            pull(source(standin, token=TOKEN))


def test_a_period_the_class_does_not_have_is_refused_before_anything_is_pulled():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        conn = source(standin, token=TOKEN)
        info = conn.sign_in()
        with pytest.raises(SourceShapeError, match="нет отчётного периода H1"):
            conn.fetch(info.classes[0], PeriodRef("H1", "12", "1 полугодие", "2026-09-01", "2026-12-25"))


def test_an_unknown_reporting_period_type_fails_loudly():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        standin.periods[0]["type"] = "Module"
        with pytest.raises(SourceShapeError, match="тип периода «Module»"):
            source(standin, token=TOKEN).sign_in()


def test_a_class_teacher_that_cannot_be_told_apart_fails_loudly():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        for t in standin.teachers.values():
            t["HouseMaster"] = True
        with pytest.raises(SourceShapeError, match="классный руководитель класса 5А не определён"):
            pull(source(standin, token=TOKEN))


def test_a_lesson_with_two_other_teachers_records_the_first_and_says_so_and_co_teaching_is_no_substitution():
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        maths = sorted((le for lessons in standin.lessons.values() for le in lessons
                        if le["subject"]["name"] == "Математика"), key=lambda le: le["date"])
        own = maths[0]["teachers"][0]
        other = standin._teacher({"id": "t-other", "full_name": "Зайцева Ольга Николаевна"})
        maths[0]["teachers"] = [other, standin._teacher(SUBSTITUTE)]
        maths[1]["teachers"] = [own, other]  # the subject's teacher with a colleague: not a substitution
        conn = source(standin, token=TOKEN)
        got = pull(conn)
    math = next(s for s in got["subjects"] if s["name"] == "Математика")
    assert math["lessons"][0]["teacher"]["full_name"] == "Зайцева Ольга Николаевна"
    assert "teacher" not in math["lessons"][1]
    assert [le["teacher"]["full_name"] for le in math["lessons"] if le.get("teacher")] == [
        "Зайцева Ольга Николаевна", SUBSTITUTE["full_name"]]
    assert conn.notes == [f"урок «Математика» {math['lessons'][0]['date']}: учителей несколько, в снимок записан "
                          "первый (Зайцева Ольга Николаевна), остальные не записаны"]


def test_a_recorded_pull_replays_to_the_same_snapshot_and_the_recording_holds_no_secrets(tmp_path):
    with DnevnikStandIn([class_5a()], token=TOKEN) as standin:
        live = pull(source(standin, RecordingTransport(standin.api, tmp_path / "token"), token=TOKEN))
        pull(source(standin, RecordingTransport(standin.api, tmp_path / "password")))
        issued = standin.tokens - {TOKEN}
    offline = Credentials(url="http://replay.invalid/", secret="replay", extra={"auth": "token"})
    replayed = pull(DnevnikSource(offline, ReplayTransport(tmp_path / "token"), now=lambda: EXPORT,
                                  register=SchoolRegister.from_dict(standin.register())))
    assert replayed == live
    for folder in ("token", "password"):
        text = "".join(f.read_text(encoding="utf-8") for f in sorted((tmp_path / folder).glob("*.json")))
        assert "users/me/context" in text
        for secret in (TOKEN, "верный-пароль", *issued):
            assert secret not in text
