"""The account the command line acts as (`services.operators`), on the fake unit of work: it must
exist, be active and hold a role the permission table gives the action; the first administrator of
an installation with no account is the one created unnamed."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from archive_service.domain.actor import Actor
from archive_service.domain.permissions import PERMISSIONS, may
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.adapters import passwords
from archive_service.services import accounts, operators
from fakes import MOMENT, FakeUnitOfWork

PASSWORD = "пароль-для-теста-1"
ADMIN = Actor("Админов Артём Андреевич", "admin", "web 10.0.0.7", "admin")
HERE = "командная строка на archive-01"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def _school() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for login, name, role in (("admin", ADMIN.person, "admin"), ("zavuch", "Иванова Татьяна Петровна", "deputy"),
                              ("clerk", "Петрова Анна Сергеевна", "secretary")):
        accounts.create_user(uow, login, name, role, PASSWORD, actor=ADMIN, now=MOMENT)
    return uow


def test_the_named_account_acts_in_its_role_by_its_full_name_from_the_terminal():
    actor = operators.operator(_school(), " Zavuch ", "close_period", origin=HERE)
    assert actor == Actor("Иванова Татьяна Петровна", "deputy", f"{HERE}, учётная запись zavuch", "zavuch")


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_the_role_rule_is_the_permission_tables(action):
    uow = _school()
    for login, role in (("admin", "admin"), ("zavuch", "deputy"), ("clerk", "secretary")):
        if may(role, action):
            assert operators.operator(uow, login, action, origin=HERE).role == role
        else:
            with pytest.raises(PermissionDenied, match=f"«{login}» — .*, а это делает"):
                operators.operator(uow, login, action, origin=HERE)


def test_an_unknown_or_disabled_account_is_refused_in_russian():
    uow = _school()
    with pytest.raises(NotFoundError, match="пользователя «nobody» нет"):
        operators.operator(uow, "nobody", "close_period", origin=HERE)
    accounts.set_active(uow, "zavuch", False, actor=ADMIN, now=MOMENT)
    with pytest.raises(PermissionDenied, match="учётная запись «zavuch» отключена"):
        operators.operator(uow, "zavuch", "close_period", origin=HERE)


def test_the_first_administrator_creates_their_own_account_only_while_there_is_none():
    uow = FakeUnitOfWork()
    assert operators.no_accounts(uow)
    origin = f"первичная настройка: {HERE}, пользователь системы root"
    user = operators.CreateFirstAdmin(uow, " Boss ", "Админов Артём Андреевич", PASSWORD, origin=origin,
                                      now=MOMENT).run()
    assert (user.login, user.role, user.must_change_password) == ("boss", "admin", True)
    (event,) = uow.audit.events
    assert (event.actor, event.action, event.object_id, event.origin) == (
        "Админов Артём Андреевич", "user.created", "boss", origin)
    assert not operators.no_accounts(uow)
    with pytest.raises(PermissionDenied, match="учётные записи уже есть"):
        operators.CreateFirstAdmin(uow, "root2", "Второй Админ", PASSWORD, origin=origin, now=MOMENT).run()
    assert [u.login for u in accounts.list_users(uow)] == ["boss"] and len(uow.audit.events) == 1


def test_the_first_administrator_needs_a_name_and_the_usual_checks():
    uow = FakeUnitOfWork()
    with pytest.raises(ArchiveError, match="укажите фамилию, имя и отчество"):
        operators.CreateFirstAdmin(uow, "boss", "  ", PASSWORD, origin=HERE, now=MOMENT)
    with pytest.raises(ArchiveError, match="не короче"):
        operators.CreateFirstAdmin(uow, "boss", "Админов А. А.", "short", origin=HERE, now=MOMENT).run()
    assert operators.no_accounts(uow) and uow.audit.events == []
