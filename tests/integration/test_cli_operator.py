"""The command line acts as a named account (`--as LOGIN`, or `ARCHIVE_OPERATOR`), never as the
terminal's operating-system user: the account must exist, be active and hold a role the permission
table gives the command's action; a command that changes the archive with nobody named is refused
with nothing written; read-only commands need no name; the first administrator of a new
installation is the one account created unnamed."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from sqlalchemy import func, select

from archive_service.adapters.orm import AuditEvent, SnapshotRecord
from archive_service.cli import main
from archive_service.services import accounts, backup
from builders import as_bytes, snapshot
from conftest import NOW
from web_support import ADMIN, NAMES, PASSWORD

def write(path, data: dict):
    path.write_bytes(as_bytes(data))
    return path


NOBODY = "Укажите, от чьего имени действуете: --as ЛОГИН или переменная ARCHIVE_OPERATOR"


@pytest.fixture(autouse=True)
def no_installation_default(monkeypatch):
    """The machine running the tests names nobody by default."""
    monkeypatch.delenv("ARCHIVE_OPERATOR", raising=False)


def _count(archive, model) -> int:
    with archive.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


class Event(NamedTuple):
    action: str
    object_id: str
    actor: str
    origin: str


def _events(archive) -> list[Event]:
    with archive.uow() as uow:
        return [Event(e.action, e.object_id, e.actor, e.origin) for e in uow.audit.entries()]


def _written(archive) -> tuple[int, int]:
    return _count(archive, AuditEvent), _count(archive, SnapshotRecord)


@pytest.mark.parametrize(("login", "said"), [
    ("nobody", "пользователя «nobody» нет"),
    ("secretary", "«secretary» — секретарь, а это делает заместитель директора"),
    ("deputy", "учётная запись «deputy» отключена: действовать от её имени нельзя"),
])
def test_an_unknown_disabled_or_wrong_role_account_is_refused_in_russian_with_nothing_written(
        runner, archive, tmp_path, login, said):
    accounts.set_active(archive.uow(), "deputy", False, actor=ADMIN, now=NOW)
    before = _written(archive)
    result = runner.invoke(args=["--as", login, "snapshot", "import", str(write(tmp_path / "5a.json", snapshot()))])
    assert result.exit_code == 1 and said in result.output, result.output
    assert _written(archive) == before


def test_an_action_is_audited_with_the_accounts_full_name_and_login(runner, archive, tmp_path):
    result = runner.invoke(args=["--as", "deputy", "snapshot", "import", str(write(tmp_path / "5a.json", snapshot()))])
    assert result.exit_code == 0, result.output
    (event,) = [e for e in _events(archive) if e.action == "snapshot.ingested"]
    assert event.actor == NAMES["deputy"] == "Иванова Татьяна Петровна"
    assert event.origin.startswith("командная строка на ") and event.origin.endswith(", учётная запись deputy")
    assert not any(e.actor.startswith("cli:") or "cli@" in e.origin for e in _events(archive))


@pytest.mark.parametrize("args", [
    ["snapshot", "import", "{snapshot}"],
    ["period", "close", "--year", "2026/2027", "--period", "Q2"],
    ["token", "create", "Сетевой город"],
    ["users", "create", "clerk", "--name", "Петрова Анна Сергеевна", "--role", "secretary"],
    ["backup", "key", "init"],
    ["backup", "create", "--year", "2026/2027", "--period", "Q2"],
    ["register", "add", "D-1", "--handed-over-by", "Иванова", "--accepted-by", "Петрова", "--room", "5",
     "--cabinet", "2", "--folder", "1"],
    ["retention", "dispose", "--execute"],
])
def test_a_command_that_changes_the_archive_with_nobody_named_is_refused_and_writes_nothing(
        runner, archive, tmp_path, args):
    path = str(write(tmp_path / "5a.json", snapshot()))
    before = _written(archive)
    result = runner.invoke(args=[path if a == "{snapshot}" else a for a in args], input="код-доступа-1\n" * 2)
    assert result.exit_code == 1 and NOBODY in result.output, result.output
    assert "Код" not in result.output, "refused before any code is asked"
    assert _written(archive) == before


def test_read_only_commands_need_no_name(runner, archive, tmp_path):
    before = _written(archive)
    for args in (["snapshot", "list"], ["token", "list"], ["users", "list"], ["audit", "verify"],
                 ["documents", "list"], ["register", "list"], ["backup", "list"], ["backup", "journal"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0 and NOBODY not in result.output, (args, result.output)
    assert _written(archive) == before
    assert backup.journal_rows(archive.uow()) == [], "a look by nobody named is not journaled"
    assert runner.invoke(args=["--as", "director", "backup", "list"]).exit_code == 0
    (look,) = backup.journal_rows(archive.uow())
    assert (look["person"], look["role"]) == (NAMES["director"], "директор")


def test_archive_operator_is_the_installations_default_and_as_overrides_it(runner, archive):
    made = runner.invoke(args=["token", "create", "Сетевой город"], env={"ARCHIVE_OPERATOR": "admin"})
    assert made.exit_code == 0, made.output
    refused = runner.invoke(args=["token", "revoke", "1"], env={"ARCHIVE_OPERATOR": "deputy"})
    assert refused.exit_code == 1 and "«deputy» — заместитель директора, а это делает администратор" in refused.output
    revoked = runner.invoke(args=["--as", "admin", "token", "revoke", "1"], env={"ARCHIVE_OPERATOR": "deputy"})
    assert revoked.exit_code == 0, revoked.output
    tokens = [e for e in _events(archive) if e.action.startswith("token.")]
    assert [(e.action, e.actor) for e in tokens] == [("token.issued", NAMES["admin"]),
                                                     ("token.revoked", NAMES["admin"])]


def test_the_archive_service_command_takes_as_before_its_subcommand(app, staff):
    """`archive-service --as LOGIN …`: the option of the real entry point, its refusal said in Russian."""
    info = ScriptInfo(create_app=lambda: app)
    made = CliRunner().invoke(main, ["--as", "admin", "token", "create", "Сетевой город"], obj=info)
    assert made.exit_code == 0 and "Токен №1" in made.output, made.output
    refused = CliRunner().invoke(main, ["token", "revoke", "1"], obj=info)
    assert refused.exit_code == 1 and f"Ошибка: {NOBODY}" in refused.output, refused.output
    assert "--as ЛОГИН" in CliRunner().invoke(main, ["--help"], obj=info).output


def test_the_first_administrator_is_created_unnamed_only_while_there_is_no_account(app):
    archive, runner = app.extensions["archive"], app.test_cli_runner()
    deputy_first = runner.invoke(args=["users", "create", "zavuch", "--name", "Иванова Татьяна Петровна",
                                       "--role", "deputy"])
    assert deputy_first.exit_code == 1 and "первым создаётся администратор" in deputy_first.output
    first = runner.invoke(args=["users", "create", "boss", "--name", "Админов Артём Андреевич", "--role", "admin",
                                "--password", PASSWORD])
    assert first.exit_code == 0 and "Создан boss: Админов Артём Андреевич, администратор." in first.output
    (created,) = _events(archive)
    assert (created.action, created.object_id, created.actor) == ("user.created", "boss", "Админов Артём Андреевич")
    assert created.origin.startswith("первичная настройка: командная строка на ")
    assert "пользователь системы" in created.origin, "the operating-system account, in the audit log only"
    second = runner.invoke(args=["users", "create", "root2", "--name", "Второй Админ Админович", "--role", "admin"])
    assert second.exit_code == 1 and NOBODY in second.output
    named = runner.invoke(args=["--as", "boss", "users", "create", "zavuch", "--name", "Иванова Татьяна Петровна",
                                "--role", "deputy"])
    assert named.exit_code == 0, named.output
    assert [u.login for u in accounts.list_users(archive.uow())] == ["boss", "zavuch"]
    assert _events(archive)[-1].actor == "Админов Артём Андреевич"


def test_the_demo_makes_its_accounts_first_by_its_administrator_and_acts_as_them(archive):
    """`archive-service demo` needs no --as: its administrator makes the demo's accounts (their own
    first), and each step is done as the demo account whose work it is."""
    from archive_service.demo import tour

    people = tour.demo_people("командная строка на archive-01")
    assert {login: (p.person, p.role, p.account) for login, p in people.items()} == {
        login: (name, role, login) for login, (name, role) in tour.DEMO_ACCOUNTS.items()}
    passwords = tour._demo_accounts(archive, people["admin"])
    assert sorted(passwords) == sorted(tour.DEMO_ACCOUNTS)
    events = _events(archive)
    assert [e.object_id for e in events][0] == "admin", "the administrator's own account first"
    assert {(e.action, e.actor, e.origin) for e in events} == {
        ("user.created", "Админов Артём Андреевич", "командная строка на archive-01, учётная запись admin")}
    assert tour._demo_accounts(archive, people["admin"]).keys() == passwords.keys(), "a re-run: fresh passwords"
