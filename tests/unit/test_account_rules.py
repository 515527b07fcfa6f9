"""Accounts and API tokens on the fake unit of work: who may manage them, the last administrator,
the commands' validate-then-run, the lock-out, and the audit events written with each change."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from argon2 import PasswordHasher

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, AuthError, NotFoundError, PermissionDenied
from archive_service.adapters import passwords
from archive_service.services import accounts, own_password, ports, tokens
from fakes import MOMENT, FakeUnitOfWork

PASSWORD = "пароль-для-теста-1"
ADMIN = Actor("Админов Артём Андреевич", "admin", "web 10.0.0.7", "admin")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "web 10.0.0.8", "deputy")


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Argon2id at its cheapest: the rules are under test here, not the hash's cost."""
    passwords.dummy_hash.cache_clear()
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    passwords.dummy_hash.cache_clear()  # the next test hashes for real again


def _staff(*roles: str) -> FakeUnitOfWork:
    """An archive whose accounts are one per role given, each login its role."""
    uow = FakeUnitOfWork()
    for role in roles:
        accounts.create_user(uow, role, f"Сотрудник {role}", role, PASSWORD, actor=ADMIN, now=MOMENT)
    uow.audit.events.clear()
    uow.commits = 0
    return uow


@pytest.mark.parametrize("name,protocol", [("accounts", ports.Accounts), ("tokens", ports.Tokens)])
def test_the_fake_repository_has_every_query_of_its_protocol(name, protocol):
    fake = getattr(FakeUnitOfWork(), name)
    for method, function in vars(protocol).items():
        if inspect.isfunction(function) and not method.startswith("_"):
            assert list(inspect.signature(getattr(type(fake), method)).parameters) == \
                list(inspect.signature(function).parameters), method


def test_creating_an_account_is_recorded_with_the_administrator_and_where_from():
    uow = _staff()
    user = accounts.CreateUser(uow, " Zavuch ", "Иванова Т. П.", "deputy", PASSWORD, actor=ADMIN, now=MOMENT).run()
    assert (user.login, user.role, user.active, user.epoch) == ("zavuch", "deputy", True, 1)
    (event,) = uow.audit.events
    assert (event.actor, event.action, event.object_id, event.origin) == (ADMIN.person, "user.created", "zavuch",
                                                                        "web 10.0.0.7")
    assert event.details == {"role": "deputy", "full_name": "Иванова Т. П.", "temporary_password": True}
    assert uow.commits == 1 and user.must_change_password, "a password the administrator chose is temporary"


@pytest.mark.parametrize("command", [
    lambda uow: accounts.CreateUser(uow, "new", "Новиков Н. Н.", "deputy", PASSWORD, actor=DEPUTY, now=MOMENT),
    lambda uow: accounts.SetRole(uow, "deputy", "director", actor=DEPUTY, now=MOMENT),
    lambda uow: accounts.SetActive(uow, "admin", False, actor=DEPUTY, now=MOMENT),
    lambda uow: accounts.SetPassword(uow, "admin", PASSWORD + "2", actor=DEPUTY, now=MOMENT),
])
def test_only_the_administrator_manages_accounts(command):
    uow = _staff("admin", "deputy")
    with pytest.raises(PermissionDenied, match="управляет администратор"):
        command(uow).validate()
    with pytest.raises(PermissionDenied):
        command(uow).run()
    assert uow.audit.events == [] and uow.commits == 0


@pytest.mark.parametrize("login,name,role,password,message", [
    ("bad login", "Новиков Н. Н.", "deputy", PASSWORD, "латинские буквы"),
    ("new", " ", "deputy", PASSWORD, "фамилию"),
    ("new", "Новиков Н. Н.", "janitor", PASSWORD, "нет роли"),
    ("new", "Новиков Н. Н.", "", PASSWORD, "выберите роль"),
    ("ab", "Новиков Н. Н.", "deputy", PASSWORD, "от 3 до 32 символов"),
    ("a" * 33, "Новиков Н. Н.", "deputy", PASSWORD, "от 3 до 32 символов"),
    ("новиков", "Новиков Н. Н.", "deputy", PASSWORD, "латинские буквы"),
    ("new/../x", "Новиков Н. Н.", "deputy", PASSWORD, "латинские буквы"),
    ("new", "Н" * 121, "deputy", PASSWORD, "не длиннее 120 символов"),
    ("new", "Новиков\x07 Н. Н.", "deputy", PASSWORD, "управляющий или невидимый символ"),
    ("new", "Новиков\nНиколай", "deputy", PASSWORD, "управляющий или невидимый символ"),
    ("new", "Новиков Н. Н.", "deputy", "п" * 129, "не длиннее 128 символов"),
    ("new", "Новиков Н. Н.", "deputy", "short", "не короче 10"),
    ("newcomer12", "Новиков Н. Н.", "deputy", "Newcomer12", "не должен совпадать"),
    ("Deputy", "Другая", "deputy", PASSWORD, "уже есть"),
])
def test_a_new_account_is_validated_before_anything_is_written(login, name, role, password, message):
    uow = _staff("admin", "deputy")
    command = accounts.CreateUser(uow, login, name, role, password, actor=ADMIN, now=MOMENT)
    with pytest.raises(ArchiveError, match=message):
        command.validate()
    with pytest.raises(ArchiveError, match=message):
        command.run()
    assert len(uow.accounts.rows) == 2 and uow.audit.events == [] and uow.commits == 0


AT_TERMINAL = Actor("Админов Артём Андреевич", "admin", "командная строка")
"""An administrator acting at the terminal, under no account of the web application."""
ADMIN2 = Actor("Второй Админ", "admin", "web 10.0.0.9", "admin2")


@pytest.mark.parametrize("by", [ADMIN, AT_TERMINAL], ids=["self", "terminal"])
@pytest.mark.parametrize("change", [
    lambda uow, by: accounts.SetActive(uow, "admin", False, actor=by, now=MOMENT),
    lambda uow, by: accounts.SetRole(uow, "admin", "deputy", actor=by, now=MOMENT),
], ids=["disable", "demote"])
def test_the_last_active_administrator_is_never_disabled_nor_demoted(change, by):
    uow = _staff("admin", "deputy")
    accounts.create_user(uow, "admin2", "Второй Админ", "admin", PASSWORD, actor=ADMIN, now=MOMENT)
    accounts.set_active(uow, "admin2", False, actor=ADMIN, now=MOMENT)  # a disabled administrator manages nothing
    uow.audit.events.clear()
    last = change(uow, by)
    with pytest.raises(ArchiveError, match="последнего администратора школы"):
        last.validate()
    with pytest.raises(ArchiveError, match="последнего администратора школы"):
        last.run()
    row = uow.accounts.by_login("admin")
    assert (row.active, row.role) == (True, "admin") and uow.audit.events == []


@pytest.mark.parametrize("change,message,action", [
    (lambda uow, by: accounts.SetActive(uow, "admin", False, actor=by, now=MOMENT),
     "нельзя отключить свою учётную запись", "user.disabled"),
    (lambda uow, by: accounts.SetRole(uow, "admin", "inspector", actor=by, now=MOMENT),
     "нельзя снять с себя роль администратора", "user.role_set"),
], ids=["disable", "demote"])
def test_an_administrator_neither_disables_nor_demotes_themselves_but_another_may(change, message, action):
    uow = _staff("admin", "deputy")
    accounts.create_user(uow, "admin2", "Второй Админ", "admin", PASSWORD, actor=ADMIN, now=MOMENT)
    uow.audit.events.clear()
    own = change(uow, ADMIN)
    with pytest.raises(ArchiveError, match=message):
        own.validate()
    with pytest.raises(ArchiveError, match=message):
        own.run()
    row = uow.accounts.by_login("admin")
    assert (row.active, row.role) == (True, "admin") and uow.audit.events == []
    change(uow, ADMIN2).run()  # another administrator may
    assert uow.audit.actions() == [action] and uow.audit.events[0].actor == "Второй Админ"
    accounts.SetRole(uow, "admin", "admin", actor=ADMIN, now=MOMENT).validate()  # keeping one's role is no change


def test_a_password_set_by_the_administrator_is_temporary_unless_said_otherwise():
    uow = _staff("admin", "deputy")
    assert accounts.SetPassword(uow, "deputy", PASSWORD + "2", actor=ADMIN, now=MOMENT).run().must_change_password
    assert uow.audit.events[-1].details == {"temporary": True}
    kept = accounts.SetPassword(uow, "deputy", PASSWORD + "3", actor=ADMIN, now=MOMENT, temporary=False).run()
    assert not kept.must_change_password and uow.audit.events[-1].details == {"temporary": False}
    made = accounts.create_user(uow, "kept", "Постоянный П. П.", "deputy", PASSWORD, actor=ADMIN, now=MOMENT,
                                temporary=False)
    assert not made.must_change_password


def _own(uow, present: str, new: str, again: str | None = None) -> accounts.User:
    me = Actor("Сотрудник deputy", "deputy", "web 10.0.0.8", "deputy")
    return own_password.ChangeOwnPassword(uow, me, present, new, new if again is None else again, now=MOMENT).run()


@pytest.mark.parametrize("present,new,again,message", [
    ("не тот пароль", "новый-пароль-2027", None, "нынешний пароль введён неверно"),
    ("", "новый-пароль-2027", None, "введите нынешний пароль"),
    (PASSWORD, "новый-пароль-2027", "новый-пароль-2028", "не совпадают"),
    (PASSWORD, "короткий", None, "не короче 10"),
    (PASSWORD, "д" * 129, None, "не длиннее 128"),
    (PASSWORD, "Deputy", None, "не короче 10"),
    (PASSWORD, PASSWORD, None, "должен отличаться от нынешнего"),
])
def test_changing_ones_own_password_is_refused_with_the_reason_and_nothing_changes(present, new, again, message):
    uow = _staff("admin", "deputy")
    accounts.set_password(uow, "deputy", PASSWORD, actor=ADMIN, now=MOMENT)  # temporary
    before = uow.accounts.by_login("deputy")
    hash_before, epoch_before = before.password_hash, before.session_epoch
    uow.audit.events.clear()
    with pytest.raises(ArchiveError, match=message):
        _own(uow, present, new, again)
    after = uow.accounts.by_login("deputy")
    assert (after.password_hash, after.session_epoch, after.must_change_password) == (hash_before, epoch_before, True)
    assert uow.audit.events == []


def test_changing_ones_own_password_ends_the_temporary_one_and_other_sessions():
    uow = _staff("admin", "deputy")
    accounts.set_password(uow, "deputy", PASSWORD, actor=ADMIN, now=MOMENT)
    epoch = uow.accounts.by_login("deputy").session_epoch
    user = _own(uow, PASSWORD, "моё-собственное-слово")
    assert not user.must_change_password and user.epoch == epoch + 1
    assert (uow.audit.actions()[-1], uow.audit.events[-1].actor) == ("user.password_changed", "Сотрудник deputy")
    assert accounts.authenticate(uow, "deputy", "моё-собственное-слово", origin="web", now=MOMENT).login == "deputy"
    with pytest.raises(AuthError):
        accounts.authenticate(uow, "deputy", PASSWORD, origin="web", now=MOMENT)


def test_a_password_longer_than_any_allowed_is_refused_at_sign_in_without_hashing_it(monkeypatch):
    uow = _staff("admin", "deputy")
    class NoHashing:
        def verify(self, *_args):
            pytest.fail("a megabyte was hashed")

    passwords.dummy_hash()  # made (and kept) before hashing is forbidden
    monkeypatch.setattr(passwords, "_hasher", NoHashing())
    with pytest.raises(AuthError, match="неверное имя или пароль"):
        accounts.authenticate(uow, "deputy", "x" * 1_000_000, origin="web", now=MOMENT)
    with pytest.raises(AuthError, match="неверное имя или пароль"):
        accounts.authenticate(uow, "nobody", "x" * 1_000_000, origin="web", now=MOMENT)


def test_disabling_and_changing_the_role_end_sessions_and_are_recorded():
    uow = _staff("admin", "deputy")
    accounts.SetRole(uow, "deputy", "inspector", actor=ADMIN, now=MOMENT).run()
    user = accounts.SetActive(uow, "deputy", False, actor=ADMIN, now=MOMENT).run()
    assert (user.role, user.active, user.epoch) == ("inspector", False, 3)
    assert [(e.action, e.details) for e in uow.audit.events] == [
        ("user.role_set", {"from": "deputy", "to": "inspector"}), ("user.disabled", {})]
    with pytest.raises(NotFoundError, match="не найден"):
        accounts.SetRole(uow, "nobody", "deputy", actor=ADMIN, now=MOMENT).validate()


def test_enabling_lifts_a_lock_out():
    uow = _staff("admin", "deputy")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AuthError, match="неверное имя или пароль"):
            accounts.authenticate(uow, "deputy", "не тот пароль", origin="web 1.2.3.4", now=MOMENT)
    with pytest.raises(AuthError, match="заблокирован"):
        accounts.authenticate(uow, "deputy", PASSWORD, origin="web 1.2.3.4", now=MOMENT)
    accounts.set_active(uow, "deputy", True, actor=ADMIN, now=MOMENT)
    assert accounts.authenticate(uow, "deputy", PASSWORD, origin="web 1.2.3.4", now=MOMENT).login == "deputy"
    assert uow.audit.actions()[-3:] == ["login.refused", "user.enabled", "login"]


def test_a_lock_out_runs_out():
    uow = _staff("deputy")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AuthError):
            accounts.authenticate(uow, "deputy", "не тот пароль", origin="t", now=MOMENT)
    later = MOMENT + dt.timedelta(minutes=accounts.LOCK_MINUTES)
    assert accounts.authenticate(uow, "deputy", PASSWORD, origin="t", now=later).login == "deputy"
    assert uow.accounts.by_login("deputy").failed_logins == 0


def test_an_unknown_login_answers_like_a_wrong_password():
    uow = _staff("deputy")
    with pytest.raises(AuthError, match="неверное имя или пароль"):
        accounts.authenticate(uow, "Nobody ", PASSWORD, origin="t", now=MOMENT)
    (event,) = uow.audit.events
    assert (event.actor, event.action, event.details) == ("nobody", "login.failed", {"reason": "unknown"})


def test_signing_out_is_recorded_under_the_login():
    uow = _staff("deputy")
    user = accounts.authenticate(uow, "deputy", PASSWORD, origin="t", now=MOMENT)
    token = accounts.open_session(uow, user, now=MOMENT, lifetime=dt.timedelta(hours=1))
    assert accounts.session_user(uow, token) == user
    accounts.end_session(uow, token, actor=Actor(user.full_name, user.role, "web 10.0.0.8", user.login), now=MOMENT)
    assert accounts.session_user(uow, token) is None
    event = uow.audit.events[-1]
    assert (event.actor, event.action, event.origin) == ("deputy", "logout", "web 10.0.0.8")


def test_tokens_are_issued_by_the_administrator_listed_and_revoked_once():
    uow = FakeUnitOfWork()
    with pytest.raises(PermissionDenied):
        tokens.issue_token(uow, "Сетевой город", actor=DEPUTY, now=MOMENT)
    token_id, token = tokens.issue_token(uow, "Сетевой город", actor=ADMIN, now=MOMENT)
    assert tokens.authenticate(uow, token, now=MOMENT) == f"token:{token_id}:Сетевой город"
    tokens.revoke_token(uow, token_id, actor=ADMIN, now=MOMENT)
    tokens.revoke_token(uow, token_id, actor=ADMIN, now=MOMENT)
    with pytest.raises(AuthError, match="отозванный"):
        tokens.authenticate(uow, token, now=MOMENT)
    (listed,) = tokens.list_tokens(uow)
    assert listed.as_dict() == {"id": token_id, "name": "Сетевой город", "created_at": MOMENT.isoformat(),
                                "created_by": ADMIN.person, "revoked_at": MOMENT.isoformat(),
                                "last_used_at": MOMENT.isoformat()}
    assert [(e.action, e.actor, e.origin) for e in uow.audit.events] == [
        ("token.issued", ADMIN.person, ADMIN.origin), ("token.revoked", ADMIN.person, ADMIN.origin)]
    with pytest.raises(NotFoundError):
        tokens.revoke_token(uow, token_id + 1, actor=ADMIN, now=MOMENT)


def test_a_hash_made_with_other_parameters_is_made_again_at_the_next_sign_in(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    uow = _staff("admin", "deputy")
    row = uow.accounts.by_login("deputy")
    row.password_hash = PasswordHasher(time_cost=1, memory_cost=32, parallelism=4).hash(PASSWORD)
    accounts.authenticate(uow, "deputy", PASSWORD, origin="web", now=MOMENT)
    assert row.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert passwords.matches(row.password_hash, PASSWORD)
