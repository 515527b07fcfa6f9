"""A school connects each journal system the way it would: `archive-service source add / test / pull /
replay` against the system's stand-in server (tests/standins/), the real connector found through the
registry, the strict ingest storing the snapshots. Run on SQLite and PostgreSQL (the `app` fixture).

Where a stand-in differs per system (how it is added, how a mark is changed, how it is told to
misbehave) the `School` of that system says so; every test runs for all three.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import func, select

from archive_service.adapters.orm import AuditEvent, DocumentRecord, School as SchoolRow, SnapshotRecord, \
    SnapshotStudent, SourcePull
from archive_service.schema import parse_snapshot
from builders import snapshot
from standins import eljur as eljur_standin
from standins.dnevnik import DnevnikStandIn
from standins.eljur import EljurStandIn
from standins.netschool import NetSchoolStandIn
from store_support import store_env

YEAR, PERIOD = "2026/2027", "Q2"
NETSCHOOL_PASSWORD = "Журнал-2026"


def _current_class() -> dict:
    """builders' 5А without its leaver: Дневник.ру's roster has no leaving dates (its connector stops)."""
    data = snapshot()
    data["students"] = [s for s in data["students"] if s["left_on"] is None]
    for subj in data["subjects"]:
        for lesson in subj["lessons"]:
            lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] != "s4"]
            lesson["absences"] = [a for a in lesson["absences"] if a["student_id"] != "s4"]
        subj["period_marks"] = [m for m in subj["period_marks"] if m["student_id"] != "s4"]
        if subj.get("group"):
            subj["group"]["student_ids"] = [s for s in subj["group"]["student_ids"] if s != "s4"]
    return data


class School(ABC):
    """One system's stand-in and how a school adds it; `pull_args` are extra `source pull` options."""

    system: str
    product: str
    refused: str  # what `source test` and `source pull` say to a wrong password
    secrets: tuple[str, ...]
    pull_args: tuple[str, ...] = ()

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path

    @abstractmethod
    def start(self) -> Any:
        """The stand-in server (a context manager)."""

    @abstractmethod
    def add_args(self, server: Any) -> list[str]:
        """`source add school` options for this server — never a secret."""

    @abstractmethod
    def env(self, password: str | None = None) -> dict[str, str]:
        """The secrets, as the environment gives them to `source add`."""

    @abstractmethod
    def change_mark(self, server: Any) -> tuple[str, str]:
        """Change one mark of 5А in the server's data; (old, new) as the diff prints them."""

    @abstractmethod
    def issued_tokens(self, server: Any) -> set[str]:
        """Every session token the server gave out."""

    @abstractmethod
    def faults(self) -> dict[str, Callable[[Any], str]]:
        """name → tell the server to misbehave for 5А; returns what the class's line must say."""


class NetSchool(School):
    system, product = "netschool", "Сетевой город. Образование"
    refused = "Вход не выполнен: Сетевой город: вход не выполнен — неверный логин или пароль"
    secrets = (NETSCHOOL_PASSWORD,)

    def start(self) -> NetSchoolStandIn:
        server = NetSchoolStandIn([snapshot()], password=NETSCHOOL_PASSWORD, security_warning=True, choose_role=True)
        server.issued = set()
        sign_in = server._sign_in

        def remembering(form):  # the sessions die at sign-out: keep every `at` the server gave
            response = sign_in(form)
            server.issued.add(json.loads(response.get_data()).get("at") or "")
            return response

        server._sign_in = remembering
        return server

    def add_args(self, server: NetSchoolStandIn) -> list[str]:
        return ["--system", "netschool", "--url", server.url, "--login", "zavuch", "--school", "21"]

    def env(self, password: str | None = None) -> dict[str, str]:
        return {"ARCHIVE_SOURCE_PASSWORD": password or NETSCHOOL_PASSWORD}

    def change_mark(self, server: NetSchoolStandIn) -> tuple[str, str]:
        sg = server.sgid_of("5А", "Математика")
        journal = server.data.journals[(sg, PERIOD)]
        first = min(journal["classMeeting"], key=lambda m: m["date"])  # 9 November: before today's cut-off
        works = {a["id"] for a in journal["assignments"] if a["classMeetingId"] == first["id"]}
        mark = next(m for m in journal["marks"] if m["assignmentId"] in works and str(m["mark"]) == "5")
        mark["mark"] = 3
        return "5", "3"

    def issued_tokens(self, server: NetSchoolStandIn) -> set[str]:
        return server.issued - {""}

    def faults(self) -> dict[str, Callable[[Any], str]]:
        def fail(server):
            server.fail_sgids = {server.sgid_of("5А", "Музыка")}
            return "Система недоступна: "

        def drop(server):
            server.drop_field = "birthDate"
            return "«birthDate»"

        return {"server_error": fail, "dropped_field": drop}


class Eljur(School):
    system, product = "eljur", "ЭлЖур"
    refused = "Вход не выполнен: ЭлЖур не пустил: «Неверный логин или пароль»"
    secrets = (eljur_standin.PASSWORD, eljur_standin.DEVKEY)
    pull_args = ("--class", "5А")  # the account sees no students of 5Б (see tests/standins/eljur.py)

    def start(self) -> EljurStandIn:
        return EljurStandIn()

    def add_args(self, server: EljurStandIn) -> list[str]:
        truth = server.truth
        register = {"school": {"id": truth["school"]["id"], "director": truth["school"]["director"]["full_name"]},
                    "students": {s["id"]: {"class": "5А", "full_name": s["full_name"], "birth_date": s["birth_date"],
                                           "enrolled_on": s["enrolled_on"], "left_on": s["left_on"]}
                                 for s in truth["students"]}}
        path = self.tmp_path / "register.json"
        path.write_text(json.dumps(register, ensure_ascii=False), encoding="utf-8")
        return ["--system", "eljur", "--url", server.url, "--login", eljur_standin.LOGIN,
                "--extra", f"vendor={eljur_standin.VENDOR}", "--extra", f"register={path}"]

    def env(self, password: str | None = None) -> dict[str, str]:
        return {"ARCHIVE_SOURCE_PASSWORD": password or eljur_standin.PASSWORD,
                "ARCHIVE_SOURCE_DEVKEY": eljur_standin.DEVKEY}

    def change_mark(self, server: EljurStandIn) -> tuple[str, str]:
        math = next(s for s in server.truth["subjects"] if s["id"] == "math")
        mark = math["lessons"][0]["marks"][0]
        old, mark["value"] = mark["value"], 4 if mark["value"] != 4 else 3
        return str(old), str(mark["value"])

    def issued_tokens(self, server: EljurStandIn) -> set[str]:
        return set(server.issued)

    def faults(self) -> dict[str, Callable[[Any], str]]:
        def fail(server):
            server.fail_method = "getmarks"
            return "Система недоступна: ЭлЖур: сервер ответил ошибкой 500"

        def drop(server):
            server.drop = ("getmarks", "mtype")
            return "«mtype»"

        return {"server_error": fail, "dropped_field": drop}


class Dnevnik(School):
    system, product = "dnevnik", "Дневник.ру"
    refused = "Вход не выполнен: Дневник.ру не принял логин или пароль"
    secrets = ("верный-пароль",)

    def start(self) -> DnevnikStandIn:
        return DnevnikStandIn([_current_class()])

    def add_args(self, server: DnevnikStandIn) -> list[str]:
        path = self.tmp_path / "register.json"  # the school's own records: the arrival's and leaver's dates
        path.write_text(json.dumps(server.register(), ensure_ascii=False), encoding="utf-8")
        return ["--system", "dnevnik", "--url", server.api, "--login", server.login,
                "--extra", f"login_url={server.url}", "--extra", f"client_id={server.client_id}",
                "--extra", f"register={path}"]

    def env(self, password: str | None = None) -> dict[str, str]:
        return {"ARCHIVE_SOURCE_PASSWORD": password or "верный-пароль"}

    def change_mark(self, server: DnevnikStandIn) -> tuple[str, str]:
        mark = server.marks[server.id("group", "c-5a")][0]
        old = mark["value"]
        mark["value"] = mark["textValue"] = "3" if old != "3" else "4"
        return old, mark["value"]

    def issued_tokens(self, server: DnevnikStandIn) -> set[str]:
        return set(server.tokens)

    def faults(self) -> dict[str, Callable[[Any], str]]:
        def fail(server):
            server.fail("final-marks")
            return "Система недоступна: "

        def drop(server):
            server.drop("users", "birthday")
            return "«birthday»"

        return {"server_error": fail, "dropped_field": drop}


SCHOOLS = {"netschool": NetSchool, "eljur": Eljur, "dnevnik": Dnevnik}


@pytest.fixture(params=sorted(SCHOOLS))
def school(request, tmp_path) -> School:
    return SCHOOLS[request.param](tmp_path)


@pytest.fixture
def server(school):
    with school.start() as srv:
        yield srv


@pytest.fixture
def added(runner, school, server):
    result = runner.invoke(args=["--as", "admin",
                                 "source", "add", "school", *school.add_args(server)], env=school.env())
    assert result.exit_code == 0, result.output
    return server


def pull(runner, *extra: str):
    return runner.invoke(args=["--as", "deputy",
                               "source", "pull", "school", "--year", YEAR, "--period", PERIOD, *extra])


def _count(archive, model) -> int:
    with archive.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def _nothing_stored(archive) -> None:
    """No row of a snapshot anywhere: not the school, the snapshot, its students, a document or its audit."""
    assert {m.__name__: _count(archive, m) for m in (SchoolRow, SnapshotRecord, SnapshotStudent, DocumentRecord)} \
        == {"School": 0, "SnapshotRecord": 0, "SnapshotStudent": 0, "DocumentRecord": 0}
    with archive.session_factory() as session:
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("snapshot.%"))).all() == []


def _stored(archive) -> list[tuple[str, int]]:
    with archive.session_factory() as session:
        return [(r.class_name, r.version) for r in
                session.scalars(select(SnapshotRecord).order_by(SnapshotRecord.class_name, SnapshotRecord.version))]


def _normal(data: dict) -> dict:
    """The snapshot as the archive reads it (optional keys filled in), without its export moment."""
    data = parse_snapshot(json.dumps(data, ensure_ascii=False)).model_dump(mode="json", by_alias=True)
    data["source"].pop("exported_at")
    return data


def test_a_school_adds_tests_and_pulls_its_system_and_an_unchanged_pull_stores_nothing(runner, archive, school,
                                                                                       added):
    tested = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert tested.exit_code == 0, tested.output
    assert f"Вход выполнен: {school.product}" in tested.output and "2026/2027 учебный год" in tested.output
    assert "Классы (" in tested.output and "5А" in tested.output
    assert "Период Q2: " in tested.output and "2026-11-05 — 2026-12-25" in tested.output
    first = pull(runner, *school.pull_args)
    assert first.exit_code == 0, first.output
    assert "5А    новый снимок: 5А, II четверть: сохранена версия 1" in first.output
    assert _stored(archive) == [("5А", 1)]
    stored = json.loads(runner.invoke(args=["snapshot", "show", "--year", YEAR, "--period", PERIOD,
                                            "--class", "5А"]).output)
    assert stored["source"]["system"] == school.product
    second = pull(runner, *school.pull_args)
    assert second.exit_code == 0, second.output
    assert "5А    без изменений" in second.output and _stored(archive) == [("5А", 1)]
    assert [p.state for p in _rows(archive, SourcePull)] == ["ok", "ok"]


def test_a_mark_changed_in_the_system_is_pulled_as_a_new_version_whose_diff_shows_it(runner, archive, school,
                                                                                      added):
    assert pull(runner, *school.pull_args).exit_code == 0
    old, new = school.change_mark(added)
    changed = pull(runner, *school.pull_args)
    assert changed.exit_code == 0, changed.output
    assert "5А    новая версия" in changed.output and _stored(archive) == [("5А", 1), ("5А", 2)]
    diff = runner.invoke(args=["snapshot", "diff", "--year", YEAR, "--period", PERIOD, "--class", "5А"])
    assert diff.exit_code == 0, diff.output
    assert "версия 1 → 2, изменений 1" in diff.output
    assert f"изменено {old} → {new}" in diff.output


def test_a_recorded_pull_replays_with_the_server_stopped_and_the_recording_holds_no_secret(
        runner, archive, school, added, tmp_path):
    folder = tmp_path / "recorded"
    recorded = pull(runner, *school.pull_args, "--record", str(folder))
    assert recorded.exit_code == 0, recorded.output
    stored = json.loads(runner.invoke(args=["snapshot", "show", "--year", YEAR, "--period", PERIOD,
                                            "--class", "5А"]).output)
    tokens = school.issued_tokens(added)
    added.__exit__(None, None, None)  # no network from here on
    files = sorted(folder.iterdir())
    assert len(files) > 3
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    for secret in (*school.secrets, *tokens):
        assert secret not in text, f"the recording holds a secret: {secret[:4]}…"
    shown = runner.invoke(args=["--as", "deputy", "source", "replay", str(folder), "--show"])
    assert shown.exit_code == 0, shown.output
    assert [_normal(s) for s in json.loads(shown.output)] == [_normal(stored)]
    replayed = runner.invoke(args=["--as", "deputy", "source", "replay", str(folder)])
    assert replayed.exit_code == 0, replayed.output
    assert "5А    без изменений" in replayed.output and _stored(archive) == [("5А", 1)]


def test_a_wrong_password_is_refused_with_its_own_russian_message_and_a_non_zero_exit(runner, archive, school,
                                                                                     server):
    added = runner.invoke(args=["--as", "admin", "source", "add", "school", *school.add_args(server)],
                          env=school.env(password="не-тот-пароль"))
    assert added.exit_code == 0, added.output
    tested = runner.invoke(args=["--as", "admin", "source", "test", "school"])
    assert tested.exit_code == 1 and school.refused in tested.output, tested.output
    pulled = pull(runner, *school.pull_args)
    assert pulled.exit_code == 1 and school.refused in pulled.output, pulled.output
    assert "Traceback" not in tested.output + pulled.output and "не-тот-пароль" not in tested.output + pulled.output
    _nothing_stored(archive)
    assert [p.state for p in _rows(archive, SourcePull)] == ["failed"]


@pytest.mark.parametrize("fault", ["server_error", "dropped_field"])
def test_a_system_that_misbehaves_fails_the_class_in_russian_with_a_non_zero_exit_and_stores_nothing_of_it(
        runner, archive, school, added, fault):
    says = school.faults()[fault](added)
    result = pull(runner, *school.pull_args)
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("5А "))
    assert line.startswith("5А    ОТКЛОНЁН: 5А: ") and says in line, result.output
    assert "Traceback" not in result.output
    _nothing_stored(archive)
    assert [p.state for p in _rows(archive, SourcePull)] == ["partial"]


def test_a_session_that_expires_mid_pull_is_signed_in_again_with_the_password_and_the_class_is_stored(
        runner, archive, school, added):
    if isinstance(added, NetSchoolStandIn):
        added.expire_after, signed_in = 16, lambda: added.logins  # a login is two: the role is chosen after it
    elif isinstance(added, EljurStandIn):
        added.expire_token_after, signed_in = 6, lambda: added.auth_calls
    else:
        signed_in = lambda: added.requests.count("/login/")  # noqa: E731
        added.expire_after(8)
    result = pull(runner, *school.pull_args)
    assert result.exit_code == 0, result.output
    assert "5А    новый снимок" in result.output and _stored(archive) == [("5А", 1)]
    assert signed_in() >= (3 if isinstance(added, NetSchoolStandIn) else 2)  # signed in again mid-pull


def _rows(archive, model):
    with archive.session_factory() as session:
        return session.scalars(select(model).order_by(model.id)).all()


TOKEN_SOURCES = {
    "netschool": lambda: NetSchoolStandIn([snapshot()], password=NETSCHOOL_PASSWORD, esia_only=True),
    "dnevnik": lambda: DnevnikStandIn([_current_class()], token="imported-token-0001"),
}


def _add_token_source(runner, system: str, server, tmp_path) -> str:
    if system == "netschool":
        token, url, extra = server.issue_token(), server.url, ["--login", "zavuch", "--school", "21"]
    else:  # Дневник.ру gives no arrival or leaving dates: the school's register does
        register = tmp_path / "register.json"
        register.write_text(json.dumps(server.register(), ensure_ascii=False), encoding="utf-8")
        token, url, extra = "imported-token-0001", server.api, ["--extra", f"register={register}"]
    added = runner.invoke(args=["--as", "admin", "source", "add", "school", "--system", system, "--url", url, *extra,
                                "--extra", "auth=token"], env={"ARCHIVE_SOURCE_PASSWORD": token})
    assert added.exit_code == 0, added.output
    return token


@pytest.mark.parametrize("system", sorted(TOKEN_SOURCES))
def test_an_imported_session_survives_the_connection_test_and_serves_pull_after_pull(runner, archive, system,
                                                                                   tmp_path):
    with TOKEN_SOURCES[system]() as server:
        _add_token_source(runner, system, server, tmp_path)
        tested = runner.invoke(args=["--as", "admin", "source", "test", "school"])
        assert tested.exit_code == 0, tested.output
        first, second = pull(runner), pull(runner)
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0 and "5А    без изменений" in second.output, second.output
    assert _stored(archive) == [("5А", 1)]


@pytest.mark.parametrize("system", sorted(TOKEN_SOURCES))
def test_an_imported_session_that_expires_mid_pull_fails_the_class_saying_so_and_stores_nothing(
        runner, archive, system, tmp_path):
    with TOKEN_SOURCES[system]() as server:
        token = _add_token_source(runner, system, server, tmp_path)
        tested = runner.invoke(args=["--as", "admin", "source", "test", "school"])
        assert tested.exit_code == 0, tested.output
        if system == "netschool":
            server.expire_after = 15  # the sign-in takes 11 of them: the session dies during the journals
        else:
            server.expire_after(8)
        result = pull(runner)
    assert result.exit_code == 1, result.output
    line = next((line for line in result.output.splitlines() if line.startswith("5А ")), result.output)
    assert line.startswith("5А    ОТКЛОНЁН: 5А: ") and ("сеанс истёк" in line or "больше не действует" in line), line
    assert token not in result.output and "Traceback" not in result.output
    _nothing_stored(archive)


def _class_6b() -> dict:
    """builders' 5А as another class, 6Б, with students of its own."""
    text = json.dumps(snapshot(), ensure_ascii=False)
    for n in range(1, 5):
        text = text.replace(f'"s{n}"', f'"b{n}"')
    data = json.loads(text)
    data["class"].update(id="c-6b", name="6Б", grade=6)
    for s in data["students"]:
        s["full_name"] = s["full_name"].replace(" ", "о ", 1)  # other people
    return data


def _rows_of(archive, class_name: str) -> tuple[int, int]:
    """(snapshots, snapshot students) stored for the class."""
    with archive.session_factory() as session:
        ids = session.scalars(select(SnapshotRecord.id).where(SnapshotRecord.class_name == class_name)).all()
        students = session.scalar(select(func.count()).select_from(SnapshotStudent)
                                  .where(SnapshotStudent.snapshot_id.in_(ids))) if ids else 0
    return len(ids), students


def test_a_class_the_system_fails_on_fails_alone_and_the_other_classes_are_stored(runner, archive):
    with NetSchoolStandIn([snapshot(), _class_6b()], password=NETSCHOOL_PASSWORD) as server:
        added = runner.invoke(args=["--as", "admin", "source", "add", "school", *NetSchool(Path()).add_args(server)],
                              env=NetSchool(Path()).env())
        assert added.exit_code == 0, added.output
        server.fail_sgids = {server.sgid_of("5А", "Музыка")}
        result = pull(runner)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line[:2] in ("5А", "6Б")]
    assert [line[:6] for line in lines] == ["5А    ", "6Б    "]
    assert "ОТКЛОНЁН: 5А: Система недоступна: " in lines[0] and "«Музыка» класса 5А" in lines[0]
    assert lines[1].startswith("6Б    новый снимок: 6Б, II четверть: сохранена версия 1")
    assert _rows_of(archive, "5А") == (0, 0) and _rows_of(archive, "6Б") == (1, 4)
    assert [p.state for p in _rows(archive, SourcePull)] == ["partial"]
    assert _rows(archive, SourcePull)[0].results[0]["error"] == "SourceUnreachableError"


def test_a_whole_school_pull_from_eljur_says_per_class_why_the_classes_the_account_cannot_see_were_refused(
        runner, archive, tmp_path):
    school = Eljur(tmp_path)
    with school.start() as server:
        added = runner.invoke(args=["--as", "admin",
                                    "source", "add", "school", *school.add_args(server)], env=school.env())
        assert added.exit_code == 0, added.output
        result = pull(runner)
    assert result.exit_code == 1, result.output
    lines = {line[:2]: line for line in result.output.splitlines() if line[:2] in ("5А", "5Б", "6Б")}
    assert lines["5А"].startswith("5А    новый снимок")
    assert "5Б    ОТКЛОНЁН: 5Б: " in lines["5Б"] and "нет ни одного ученика" in lines["5Б"]
    assert "6Б    ОТКЛОНЁН: 6Б: " in lines["6Б"] and "классным руководителем" in lines["6Б"]
    assert _stored(archive) == [("5А", 1)]


def test_the_installed_command_adds_tests_and_pulls_eljur_in_real_processes_with_secrets_only_in_the_environment(
        tmp_path):
    """`archive-service` as a school runs it: separate processes, the password and devkey in the
    environment only, exit codes as documented."""
    import os
    import subprocess
    import sys

    from archive_service import Settings, create_app

    home = tmp_path / "home"
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_SECRET_KEY": "test", **store_env(home),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    env.pop("ARCHIVE_SOURCE_PASSWORD", None)
    env.pop("ARCHIVE_SOURCE_DEVKEY", None)
    create_app(Settings.from_env(env)).extensions["archive"].engine.dispose()  # the schema, as installation does
    command = [str(Path(sys.executable).with_name("archive-service"))]

    def run(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run([*command, *args], env={**env, **extra_env}, capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)

    # the installation's first administrator (no account to name yet), who then makes the deputy head's
    first = run("users", "create", "admin", "--name", "Админов Артём Андреевич", "--role", "admin")
    assert first.returncode == 0 and "Создан admin" in first.stdout, first.stderr
    deputy = run("--as", "admin", "users", "create", "zavuch", "--name", "Иванова Татьяна Петровна", "--role", "deputy")
    assert deputy.returncode == 0, deputy.stderr
    school = Eljur(tmp_path)
    with school.start() as server:
        add_args = ["--as", "admin", "source", "add", "school", *school.add_args(server)]
        assert not any(secret in " ".join(add_args) for secret in school.secrets)
        added = run(*add_args, **school.env())
        assert added.returncode == 0, added.stderr
        tested = run("source", "test", "school", ARCHIVE_OPERATOR="admin")  # the installation's default
        assert tested.returncode == 0, tested.stderr
        assert "Вход выполнен: ЭлЖур" in tested.stdout and "Период Q2: II четверть" in tested.stdout
        pull = ["--as", "zavuch", "source", "pull", "school", "--year", YEAR, "--period", PERIOD, "--class", "5А"]
        unnamed = run(*pull[2:])
        assert unnamed.returncode == 1 and "Укажите, от чьего имени действуете" in unnamed.stderr
        pulled = run(*pull)
        assert pulled.returncode == 0, pulled.stderr
        assert "5А    новый снимок" in pulled.stdout
        again = run(*pull)
        assert again.returncode == 0 and "5А    без изменений" in again.stdout, again.stdout + again.stderr
        server.fail_method = "getdiary"
        failed = run(*pull)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "5А    ОТКЛОНЁН: 5А: Система недоступна: ЭлЖур: сервер ответил ошибкой 500" in failed.stdout
    everything = "".join(p.stdout + p.stderr for p in (added, tested, pulled, again, failed))
    assert "Traceback" not in everything
    assert not any(secret in everything for secret in school.secrets)
