"""The NetSchool connector against its stand-in server over HTTP: sign-in flows, a whole class
into a snapshot the strict ingest takes, equal to what the server holds, and every failure a
clear Russian message with nothing returned."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import requests

from archive_service.adapters.sources.base import (Credentials, SessionExpiredError, SourceAuthError,
                                                   SourceShapeError, SourceUnreachableError)
from archive_service.adapters.sources.netschool import NetSchoolSource, password_hashes
from archive_service.adapters.sources.roster import SchoolRegister
from archive_service.adapters.sources.transport import RecordingTransport, ReplayTransport, Transport
from archive_service.demo.generator import generate
from archive_service.domain.actor import Actor
from archive_service.schema import parse_snapshot
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.snapshots import diff_versions
from builders import snapshot, subject
from standins.netschool import NetSchoolStandIn

PASSWORD = "Журнал-2026"
EXPORTED = dt.datetime(2026, 12, 26, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
DEMO_CLASSES = ("7Б", "8Б", "9Б", "9В", "10Б")


def full_class() -> dict:
    """builders' 5А with every absence reason, «н/а» and «осв», and a pass/fail subject."""
    data = snapshot()
    math = subject(data, "math")
    math["lessons"][1]["absences"] = [{"student_id": "s1", "code": "Н"}, {"student_id": "s4", "code": None}]
    math["lessons"][1]["marks"] = [m for m in math["lessons"][1]["marks"] if m["student_id"] != "s1"]
    math["lessons"][2]["absences"] = [{"student_id": "s2", "code": "У"}]
    math["lessons"][2]["marks"] = [m for m in math["lessons"][2]["marks"] if m["student_id"] != "s2"]
    math["lessons"][3]["homework"] = None
    math["period_marks"][2]["value"] = "н/а"
    subject(data, "music")["period_marks"][0]["value"] = "осв"
    days = ["2026-11-13", "2026-11-20", "2026-11-27"]
    data["subjects"].append({
        "id": "orkse", "name": "Основы религиозных культур и светской этики",
        "teacher": {"id": "t4", "full_name": "Петрова Анна Ивановна"}, "hours_per_week": 1,
        "lessons": [{"id": f"o-{i}", "date": d, "topic": f"Тема {i}", "homework": "Без задания",
                     "marks": [{"student_id": "s1", "value": "зач", "work_type": "Проект", "set_on": d},
                               {"student_id": "s2", "value": "незач" if i == 1 else "зач", "work_type": "Проект",
                                "set_on": d}], "absences": []} for i, d in enumerate(days)],
        "period_marks": [{"student_id": "s1", "period": "Q2", "value": "зач"},
                         {"student_id": "s2", "period": "Q2", "value": "зач"}]})
    return data


def source(server: NetSchoolStandIn, transport: Transport | None = None, *, now=EXPORTED, **extra: str):
    creds = Credentials(server.url, "zavuch", extra.pop("secret", PASSWORD), "21", dict(extra))
    return NetSchoolSource(creds, transport or Transport(server.url, retries=1, backoff=0.01), now=lambda: now)


def pull(src: NetSchoolSource, class_name: str, code: str) -> dict:
    info = src.sign_in()
    cls = next(c for c in info.classes if c.name == class_name)
    return src.fetch(cls, next(p for p in info.periods if p.code == code))


def comparable(snap: dict) -> dict:
    """The snapshot without what NetSchool cannot hold (hours per week, export moment) or the
    connector does not read yet (a lesson's substitute teacher), lists sorted."""
    snap = copy.deepcopy(snap)
    snap.pop("source")
    snap["students"].sort(key=lambda s: s["id"])
    for sub in snap["subjects"]:
        sub.pop("hours_per_week")
        if sub.get("group") is None:
            sub.pop("group", None)
        sub["period_marks"].sort(key=lambda m: m["student_id"])
        for lesson in sub["lessons"]:
            lesson.pop("teacher", None)
            lesson["marks"].sort(key=lambda m: (m["student_id"], m["work_type"], str(m["value"])))
            lesson["absences"].sort(key=lambda a: a["student_id"])
    snap["subjects"].sort(key=lambda s: s["id"])
    return snap


@pytest.fixture
def server():
    with NetSchoolStandIn([full_class()], password=PASSWORD, security_warning=True, choose_role=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def demo_server():
    snaps = [s for s in generate(periods=["Q2", "H1"]) if s["class"]["name"] in DEMO_CLASSES]
    with NetSchoolStandIn(snaps, password=PASSWORD) as srv:
        yield srv


def test_a_whole_class_becomes_a_snapshot_the_strict_ingest_stores_equal_to_what_the_server_holds(server, archive):
    snap = pull(source(server), "5А", "Q2")
    assert comparable(snap) == comparable(server.holds("5А", "Q2"))
    raw = json.dumps(snap, ensure_ascii=False).encode()
    parsed = parse_snapshot(raw)
    assert parsed.source.system == "Сетевой город. Образование"
    first = ingest_snapshot(archive.uow(), raw, actor=Actor("test", "deputy"), now=EXPORTED)
    again = ingest_snapshot(archive.uow(), raw, actor=Actor("test", "deputy"), now=EXPORTED)
    assert (first.status, again.status) == ("stored", "duplicate")
    mark = next(m for j in server.data.journals.values() for m in j["marks"] if m["mark"] in (5, "5"))
    mark["mark"] = 3  # a teacher changes a mark after the first pull
    changed = json.dumps(pull(source(server), "5А", "Q2"), ensure_ascii=False).encode()
    second = ingest_snapshot(archive.uow(), changed, actor=Actor("test", "deputy"),
                             reason="выгрузка из Сетевой город", now=EXPORTED)
    diff = diff_versions(archive.uow(), "2026/2027", "Q2", "5А")
    assert second.status == "new_version"
    assert [(c.change, c.kind, c.student_id, c.old, c.new) for c in diff.changes] == \
        [("changed", "mark", str(mark["studentId"]), 5, 3)]


def test_the_pulled_class_keeps_subgroups_leavers_arrivals_every_absence_reason_and_pass_fail_marks(server):
    snap = pull(source(server), "5А", "Q2")
    eng = next(s for s in snap["subjects"] if s["name"].startswith("Иностранный"))
    assert eng["group"]["name"] == "1 группа" and len(eng["group"]["student_ids"]) == 2
    moved = {(s["enrolled_on"], s["left_on"]) for s in snap["students"] if s["enrolled_on"] or s["left_on"]}
    assert moved == {(None, "2026-12-04"), ("2026-11-16", None)}
    codes = {a["code"] for s in snap["subjects"] for lesson in s["lessons"] for a in lesson["absences"]}
    assert codes == {"Н", "Б", "У", "О", None}
    values = {str(m["value"]) for s in snap["subjects"] for m in s["period_marks"]}
    assert {"н/а", "осв", "зач"} <= values
    orkse = next(s for s in snap["subjects"] if s["name"].startswith("Основы"))
    assert {m["value"] for lesson in orkse["lessons"] for m in lesson["marks"]} == {"зач", "незач"}


def test_the_server_s_dot_and_released_rows_are_in_its_journals_but_not_in_the_snapshot(server):
    journals = server.data.journals.values()
    assert any(m.get("dutyMark") for j in journals for m in j["marks"])
    assert any(a["reason"] == "ОСВ" for j in journals for a in j["attendance"])
    snap = pull(source(server), "5А", "Q2")
    assert all(a["code"] != "ОСВ" for s in snap["subjects"] for lesson in s["lessons"] for a in lesson["absences"])


@pytest.mark.parametrize("class_name", DEMO_CLASSES)
def test_demo_school_classes_come_back_equal_and_pass_the_strict_ingest(demo_server, class_name):
    code = "H1" if class_name.startswith("10") else "Q2"
    snap = pull(source(demo_server), class_name, code)
    parse_snapshot(json.dumps(snap, ensure_ascii=False))
    held = demo_server.holds(class_name, code)
    assert comparable(snap) == comparable(held)
    # NetSchool has no weekly hours: meetings ÷ weeks comes within half an hour of the plan
    planned = {s["id"]: s["hours_per_week"] for s in held["subjects"]}
    assert all(abs(s["hours_per_week"] - planned[s["id"]]) <= 0.5 for s in snap["subjects"])


def test_subject_groups_are_pulled_concurrently_but_no_more_at_once_than_the_workers(server):
    server.delay = 0.02
    src = source(server)
    src.workers = 3
    info = src.sign_in()
    server.peak = 0
    src.fetch(info.classes[0], next(p for p in info.periods if p.code == "Q2"))
    assert 2 <= server.peak <= 3


def test_terms_offered_only_with_a_class_chosen_are_gathered_class_by_class(demo_server):
    demo_server.terms_need_class = True
    try:
        info = source(demo_server).sign_in()
    finally:
        demo_server.terms_need_class = False
    assert [p.code for p in info.periods] == ["Q1", "Q2", "Q3", "Q4", "H1", "H2"]
    assert info.periods[1].start == "2026-11-05" and info.periods[1].end == "2026-12-25"


def test_an_uncoded_absence_becomes_unexcused_when_the_school_says_so(server):
    snap = pull(source(server, ot_code="Н"), "5А", "Q2")
    assert None not in {a["code"] for s in snap["subjects"] for lesson in s["lessons"] for a in lesson["absences"]}


def test_lessons_after_the_export_moment_are_left_out_and_their_homework_stays_on_the_lesson_before(server):
    early = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    snap = pull(source(server, now=early), "5А", "Q2")
    held = server.holds("5А", "Q2")
    math = next(s for s in snap["subjects"] if s["name"] == "Математика")
    held_math = next(s for s in held["subjects"] if s["name"] == "Математика")
    kept = [lesson["date"] for lesson in held_math["lessons"] if lesson["date"] <= "2026-12-01"]
    assert [lesson["date"] for lesson in math["lessons"]] == kept
    assert math["lessons"][-1]["homework"] == held_math["lessons"][len(math["lessons"]) - 1]["homework"]
    assert snap["source"]["exported_at"] == "2026-12-01T18:00:00+07:00"


def test_a_wrong_password_is_refused_with_a_russian_message(server):
    with pytest.raises(SourceAuthError, match="неверный логин или пароль"):
        source(server, secret="не тот").sign_in()


def test_the_salted_hash_is_md5_of_salt_and_md5_of_the_windows_1251_password():
    inner = hashlib.md5("пароль".encode("cp1251")).hexdigest()
    expected = hashlib.md5(("1458933352" + inner).encode()).hexdigest()
    assert password_hashes("пароль", "1458933352") == (expected[:6], expected)
    assert inner != hashlib.md5("пароль".encode("utf-8")).hexdigest()  # the encoding matters


def test_a_session_expiring_mid_pull_is_signed_in_again_and_the_pull_succeeds(server):
    src = source(server)
    info = src.sign_in()
    logins = server.logins
    server.expire_after = 6
    snap = src.fetch(info.classes[0], next(p for p in info.periods if p.code == "Q2"))
    assert server.logins == logins + 2  # one sign-in again for all the threads: a login, then the role's
    assert comparable(snap) == comparable(server.holds("5А", "Q2"))


def test_an_imported_token_works_until_it_expires_then_says_to_sign_in_through_gosuslugi():
    with NetSchoolStandIn([full_class()], password=PASSWORD, esia_only=True) as srv:
        src = source(srv, secret=srv.issue_token(), auth="token")
        snap = pull(src, "5А", "Q2")
        assert comparable(snap) == comparable(srv.holds("5А", "Q2"))
        info = src.sign_in()
        srv.expire_after = 3
        with pytest.raises(SessionExpiredError, match="сеанс истёк — войдите через Госуслуги и импортируйте новый"):
            src.fetch(info.classes[0], info.periods[1])


def test_a_password_on_a_gosuslugi_only_server_is_refused_with_the_way_out():
    with NetSchoolStandIn([full_class()], password=PASSWORD, esia_only=True) as srv:
        with pytest.raises(SourceAuthError, match="только через Госуслуги"):
            source(srv).sign_in()


def test_a_server_error_for_one_subject_group_names_the_subject_and_returns_nothing_for_the_class(server):
    server.fail_sgids = {server.sgid_of("5А", "Музыка")}
    with pytest.raises(SourceUnreachableError, match="«Музыка» класса 5А"):
        pull(source(server), "5А", "Q2")


@pytest.mark.parametrize("field", ["classMeeting", "marks", "attendance", "totals", "birthDate", "teachers",
                                   "lessons", "salt", "leaveDate"])
def test_a_response_missing_a_field_stops_the_pull_naming_the_field(server, field):
    server.drop_field = field
    with pytest.raises(SourceShapeError, match=f"«{field}»"):
        pull(source(server), "5А", "Q2")


def test_a_leaver_the_roster_gives_no_leaving_date_for_stops_the_pull_instead_of_staying_in_the_class(server):
    roster = next(iter(server.data.classes.values()))["roster"]
    for row in roster.values():
        row["leaveDate"] = None
    with pytest.raises(SourceShapeError, match="дата выбытия не известна.*leaveDate"):
        pull(source(server), "5А", "Q2")


def test_the_stand_in_enforces_the_sign_in_flow(server):
    api = server.url + "webapi/"
    assert requests.get(api + "context", timeout=5).status_code == 401
    assert requests.get(api + "context", headers={"at": "made-up"}, timeout=5).status_code == 401
    auth = requests.post(api + "auth/getdata", timeout=5).json()
    pw, pw2 = password_hashes(PASSWORD, auth["salt"])
    form = {"loginType": 1, "scid": 21, "un": "zavuch", "pw": pw, "pw2": pw2, "lt": auth["lt"], "ver": auth["ver"],
            "rolegroup": 4}
    assert requests.post(api + "login", data=form, timeout=5).status_code == 200
    assert requests.post(api + "login", data=form, timeout=5).status_code == 409  # an `lt` serves once


def test_a_recorded_pull_replays_to_the_same_snapshot_with_no_network_and_no_password(server, tmp_path: Path):
    recorder = source(server, RecordingTransport(server.url, tmp_path / "rec"))
    recorded = pull(recorder, "5А", "Q2")
    token = recorder._at
    recorder.sign_out()  # the session token in the recorded login answer dies with the pull
    assert requests.get(server.url + "webapi/context", headers={"at": token}, timeout=5).status_code == 401
    files = sorted((tmp_path / "rec").glob("*.json"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert files and PASSWORD not in text
    forms = [json.loads(p.read_text(encoding="utf-8"))["form"] for p in files]
    logins = [f for f in forms if "pw2" in f]
    assert logins and all(f["pw"] == f["pw2"] == "***" for f in logins)
    server.__exit__(None, None, None)  # no network from here on
    replayed = pull(source(server, ReplayTransport(tmp_path / "rec")), "5А", "Q2")
    assert replayed == recorded


def test_with_the_schools_register_a_server_without_the_roster_endpoint_still_pulls_the_class(server, archive,
                                                                                                tmp_path: Path):
    server.serve_studentlist = False
    with pytest.raises(SourceShapeError, match="users/studentlist не найден.*реестром школы"):
        pull(source(server), "5А", "Q2")
    path = tmp_path / "реестр.json"
    path.write_text(json.dumps(server.register("5А", "Q2"), ensure_ascii=False), encoding="utf-8")
    snap = pull(source(server, register=str(path)), "5А", "Q2")
    assert comparable(snap) == comparable(server.holds("5А", "Q2"))
    dates = {s["full_name"]: (s["enrolled_on"], s["left_on"]) for s in snap["students"]}
    assert dates["Васильев Олег Ильич"] == ("2026-11-16", None)
    assert dates["Григорьева Анна Сергеевна"] == (None, "2026-12-04")
    result = ingest_snapshot(archive.uow(), json.dumps(snap, ensure_ascii=False).encode(),
                             actor=Actor("test", "deputy"),
                             now=EXPORTED)
    assert result.status == "stored"


def test_the_register_takes_precedence_over_the_roster_endpoint_and_a_student_missing_from_it_is_named(server):
    register = server.register("5А", "Q2")
    first = next(iter(register["students"]))
    register["students"][first]["birth_date"] = "2015-01-01"
    def with_register() -> NetSchoolSource:
        return NetSchoolSource(Credentials(server.url, "zavuch", PASSWORD, "21"),
                               Transport(server.url, retries=1, backoff=0.01), now=lambda: EXPORTED,
                               register=SchoolRegister.from_dict(register))

    got = pull(with_register(), "5А", "Q2")
    assert next(s for s in got["students"] if s["id"] == first)["birth_date"] == "2015-01-01"
    del register["students"][first]
    with pytest.raises(SourceShapeError, match=f"ученик {first} из журнала .* не найден в реестре школы"):
        pull(with_register(), "5А", "Q2")
