"""Accounts, sign-in, lock-out, idle logout, CSRF, and the deny-by-default guard."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from argon2 import PasswordHasher

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, AuthError
from archive_service.adapters import passwords
from archive_service.services import accounts
from conftest import NOW
from web_support import PASSWORD, csrf_token, sign_in

BY_T, BY_ADMIN = Actor("t", "admin"), Actor("admin", "admin")


def test_passwords_are_hashed_with_argon2id(archive, staff):
    from sqlalchemy import select

    from archive_service.adapters.orm import UserAccount

    with archive.uow() as uow:
        hashes = list(uow.session.scalars(select(UserAccount.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_weak_passwords_unknown_roles_and_duplicates_are_refused(archive, staff):
    with pytest.raises(ArchiveError, match="не короче 10"):
        accounts.create_user(archive.uow(), "new", "Новиков Н. Н.", "deputy", "short", actor=BY_T, now=NOW)
    with pytest.raises(ArchiveError, match="нет роли"):
        accounts.create_user(archive.uow(), "new", "Новиков Н. Н.", "janitor", PASSWORD, actor=BY_T, now=NOW)
    with pytest.raises(ArchiveError, match="уже есть"):
        accounts.create_user(archive.uow(), "Deputy", "Другая", "deputy", PASSWORD, actor=BY_T, now=NOW)
    with pytest.raises(ArchiveError, match="последнего администратора"):
        accounts.set_active(archive.uow(), "admin", False, actor=BY_T, now=NOW)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/overview")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/overview")
    assert client.get("/login").status_code == 200
    assert "Вход в архив" in client.get("/login").get_data(as_text=True)


def test_sign_in_and_out(app, staff):
    client = app.test_client()
    response = sign_in(client, "secretary")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    token = csrf_token(client, "/overview")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/overview").status_code == 302  # back to the login page


def test_a_wrong_login_and_a_wrong_password_answer_alike(app, staff):
    client = app.test_client()
    unknown = sign_in(client, "nobody", "что-то-длинное-1")
    wrong = sign_in(client, "deputy", "что-то-длинное-1")
    assert unknown.status_code == wrong.status_code == 401
    assert "Неверное имя или пароль" in unknown.get_data(as_text=True)
    assert "Неверное имя или пароль" in wrong.get_data(as_text=True)


def test_five_wrong_passwords_lock_the_account(app, archive, staff):
    client = app.test_client()
    for _ in range(accounts.MAX_FAILURES):
        assert sign_in(client, "director", "неправильный-пароль").status_code == 401
    locked = sign_in(client, "director")  # even the right password now
    assert locked.status_code == 401 and "заблокирован" in locked.get_data(as_text=True)
    assert f"попробуйте через {accounts.LOCK_MINUTES} мин" in locked.get_data(as_text=True)
    assert "после через" not in locked.get_data(as_text=True)
    with pytest.raises(AuthError, match="заблокирован"):
        accounts.authenticate(archive.uow(), "director", PASSWORD, origin="t", now=archive.now())
    later = archive.now() + dt.timedelta(minutes=accounts.LOCK_MINUTES + 1)
    assert accounts.authenticate(archive.uow(), "director", PASSWORD, origin="t", now=later).login == "director"
    with archive.uow() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("login.failed") == accounts.MAX_FAILURES and "login.refused" in actions


class SlowCountingHasher(PasswordHasher):
    """The real Argon2id hasher whose password checks are counted and take a while (as under
    load); the start of the fifth check is signalled."""

    def __init__(self):
        super().__init__()
        self.checks = 0
        self.fifth_started = threading.Event()
        self._count = threading.Lock()

    def verify(self, hash, password):
        with self._count:
            self.checks += 1
            if self.checks == accounts.MAX_FAILURES:
                self.fifth_started.set()
        time.sleep(0.3)
        return super().verify(hash, password)


def test_forty_simultaneous_sign_ins_check_at_most_five_passwords_and_refuse_the_right_one_after_them(
        archive, staff, monkeypatch):
    hasher = SlowCountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    wrong = [f"неправильный-пароль-{n}" for n in range(39)]
    everyone = threading.Barrier(len(wrong) + 1)
    outcomes: dict[str, str] = {}

    def attempt(password: str, after: threading.Event | None = None) -> None:
        everyone.wait()
        if after is not None:
            assert after.wait(timeout=60)  # the right password comes while the first five are being checked
        try:
            accounts.authenticate(archive.uow(), "director", password, origin="t", now=archive.now())
            outcomes[password] = "принят"
        except AuthError as err:
            outcomes[password] = str(err)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in wrong]
    threads.append(threading.Thread(target=attempt, args=(PASSWORD, hasher.fifth_started)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(wrong) + 1

    assert hasher.checks == accounts.MAX_FAILURES
    assert "заблокирован" in outcomes[PASSWORD]
    assert "принят" not in outcomes.values()
    with pytest.raises(AuthError, match="заблокирован"):  # and it stays locked
        accounts.authenticate(archive.uow(), "director", PASSWORD, origin="t", now=archive.now())
    with archive.uow() as uow:
        events = [(e.action, e.details.get("reason")) for e in uow.audit.entries() if e.object_id == "director"]
    assert events.count(("login.failed", "password")) == accounts.MAX_FAILURES
    assert events.count(("login.refused", "locked")) == len(wrong) + 2 - accounts.MAX_FAILURES
    assert ("login", None) not in events


def test_a_session_cookie_copied_before_signing_out_opens_nothing_after(app, archive, staff):
    client, other_desk = app.test_client(), app.test_client()
    sign_in(client, "secretary")
    sign_in(other_desk, "secretary")
    assert client.get("/register").status_code == 200
    copied = client.get_cookie("archive_session").value
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/register")}).status_code == 302

    replay = app.test_client()
    replay.set_cookie("archive_session", copied)
    response = replay.get("/register")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "из него вышли" in replay.get("/login").get_data(as_text=True)
    assert other_desk.get("/register").status_code == 200  # only the session signed out of ends


def test_sessions_older_than_the_cookie_allows_are_cleared_at_a_later_sign_in(archive, staff):
    lifetime = dt.timedelta(hours=12)
    old = accounts.open_session(archive.uow(), staff["deputy"], now=NOW, lifetime=lifetime)
    assert accounts.session_user(archive.uow(), old).login == "deputy"
    new = accounts.open_session(archive.uow(), staff["director"], now=NOW + lifetime + dt.timedelta(minutes=1),
                                lifetime=lifetime)
    assert accounts.session_user(archive.uow(), old) is None
    assert accounts.session_user(archive.uow(), new).login == "director"


def test_an_idle_session_ends(app, staff, monkeypatch):
    client = app.test_client()
    sign_in(client, "secretary")
    assert client.get("/overview").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + app.extensions["archive"].settings.idle_minutes * 60 + 5)
    response = client.get("/overview")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "не было действий" in client.get("/login").get_data(as_text=True)


def test_disabling_or_changing_the_role_ends_open_sessions(app, archive, staff):
    client = app.test_client()
    sign_in(client, "deputy")
    assert client.get("/overview").status_code == 200
    accounts.set_role(archive.uow(), "deputy", "inspector", actor=BY_ADMIN, now=NOW)
    assert client.get("/overview").status_code == 302
    sign_in(client, "deputy")
    assert client.get("/overview").status_code == 403  # an inspector now
    accounts.set_active(archive.uow(), "deputy", False, actor=BY_ADMIN, now=NOW)
    assert client.get("/overview").status_code == 302
    assert "отключена" in sign_in(client, "deputy").get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(app, staff):
    client = app.test_client()
    refused = client.post("/login", data={"login": "admin", "password": PASSWORD})
    assert refused.status_code == 400 and "Форма устарела" in refused.get_data(as_text=True)
    sign_in(client, "admin")
    refused = client.post("/admin/users", data={"login": "x1", "full_name": "Икс", "role": "deputy"})
    assert refused.status_code == 400
    assert "x1" not in [u.login for u in accounts.list_users(app.extensions["archive"].uow())]


def test_the_api_takes_bearer_tokens_not_cookies(app, staff, auth):
    client = app.test_client()
    sign_in(client, "admin")
    assert client.get("/api/v1/snapshots").status_code == 401  # a session cookie is not a token
    assert app.test_client().get("/api/v1/snapshots", headers=auth).status_code == 200


def test_a_view_without_declared_roles_is_closed_to_everyone(app, staff):
    from archive_service.web import auth as web_auth

    @app.get("/undeclared-test-page")
    def undeclared():
        return "open"

    client = app.test_client()
    sign_in(client, "admin")
    assert client.get("/undeclared-test-page").status_code == 403
    assert web_auth.HOME  # every role has a home page


def test_the_users_command(runner, archive):
    created = runner.invoke(args=["--as", "admin",
                                  "users", "create", "zavuch", "--name", "Иванова Т. П.", "--role", "deputy"])
    assert created.exit_code == 0 and "Пароль:" in created.output
    assert runner.invoke(args=["--as", "admin", "users", "set-role", "zavuch", "director"]).exit_code == 0
    assert runner.invoke(args=["--as", "admin", "users", "disable", "zavuch"]).exit_code == 0
    listed = runner.invoke(args=["users", "list", "--json"])
    assert '"role": "director"' in listed.output and '"active": false' in listed.output
    bad = runner.invoke(args=["--as", "admin", "users", "set-role", "nobody", "deputy"])
    assert bad.exit_code != 0 and "не найден" in bad.output
