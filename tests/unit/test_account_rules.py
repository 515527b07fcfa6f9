"""Accounts and API tokens on the fake unit of work: who may manage them, the last administrator,
the commands' validate-then-run, the lock-out, and the audit events written with each change."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from argon2 import PasswordHasher

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, AuthError, NotFoundError, PermissionDenied
from archive_service.services import accounts, ports, tokens
from fakes import MOMENT, FakeUnitOfWork

PASSWORD = "пароль-для-теста-1"
ADMIN = Actor("Админов Артём Андреевич", "admin", "web 10.0.0.7", "admin")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy", "web 10.0.0.8", "deputy")


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Argon2id at its cheapest: the rules are under test here, not the hash's cost."""
    accounts._dummy_hash.cache_clear()
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    accounts._dummy_hash.cache_clear()  # the next test hashes for real again


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
    assert event.details == {"role": "deputy", "full_name": "Иванова Т. П."}
    assert uow.commits == 1


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


def test_the_last_active_administrator_is_never_disabled():
    uow = _staff("admin", "deputy")
    last = accounts.SetActive(uow, "admin", False, actor=ADMIN, now=MOMENT)
    with pytest.raises(ArchiveError, match="последнего администратора"):
        last.validate()
    with pytest.raises(ArchiveError, match="последнего администратора"):
        last.run()
    assert uow.accounts.by_login("admin").active and uow.audit.events == []
    accounts.create_user(uow, "admin2", "Второй Админ", "admin", PASSWORD, actor=ADMIN, now=MOMENT)
    last.validate()  # another administrator now
    assert not last.run().active
    assert uow.audit.actions()[-1] == "user.disabled"


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
