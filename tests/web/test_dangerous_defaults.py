"""Safe defaults on the web (issue 17): no role is ever assumed for a new account; nobody disables
or demotes themselves, and the school's last administrator is never disabled nor demoted; every
typed field has limits on the server; a request over the upload limit is refused in Russian; a
temporary password is changed at the next sign-in before any other page opens."""

from __future__ import annotations

import dataclasses
import re

import pytest

from archive_service.app import create_app
from archive_service.config import MAX_UPLOAD_MB, Settings
from archive_service.domain.actor import Actor
from archive_service.services import accounts, snapshots, tokens
from conftest import NOW, ticking_from
from web_support import ADMIN, NAMES, PASSWORD, csrf_token, sign_in


def _post(client, path: str, follow: bool = True, **form: str):
    return client.post(path, data={**form, "csrf_token": csrf_token(client, "/account")},
                       follow_redirects=follow)


def _events(archive, *actions: str) -> list[tuple[str, str, str]]:
    with archive.uow() as uow:
        return [(e.action, e.object_id, e.actor) for e in uow.audit.entries() if e.action in actions]


def _logins(archive) -> set[str]:
    return {u.login for u in accounts.list_users(archive.uow())}


# --- 1. no default role ---------------------------------------------------------------------

def test_the_new_user_form_starts_on_no_role(login_as):
    page = login_as("admin").get("/admin/users").get_data(as_text=True)
    form = page[page.index('id="new-user"'):]
    select = form[form.index('<select name="role" required>'):form.index("</select>")]
    assert re.search(r'<option value="" selected>— выберите роль —</option>', select)
    assert select.count("selected") == 1, "no role but the empty one is chosen"


@pytest.mark.parametrize("role,message", [("", "выберите роль пользователя"), ("janitor", "нет роли «janitor»")])
def test_a_new_user_without_a_known_role_is_refused_and_the_form_keeps_what_was_typed(login_as, archive, role,
                                                                                        message):
    refused = _post(login_as("admin"), "/admin/users", login="zavuch2", full_name="Иванова Тамара Петровна",
                    role=role)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"Пользователь не создан: {message}" in page
    assert 'name="login" required value="zavuch2"' in page
    assert 'value="Иванова Тамара Петровна"' in page
    assert "zavuch2" not in _logins(archive) and _events(archive, "user.created")[5:] == []


# --- 2. never one's own, never the last administrator -----------------------------------------

def test_an_administrator_cannot_disable_or_demote_themselves(app, login_as, archive):
    admin = login_as("admin")
    accounts.create_user(archive.uow(), "admin2", "Второй Администратор", "admin", PASSWORD, actor=ADMIN, now=NOW,
                         temporary=False)
    disabled = _post(admin, "/admin/users/admin", action="disable").get_data(as_text=True)
    assert "admin: нельзя отключить свою учётную запись: это делает другой администратор" in disabled
    demoted = _post(admin, "/admin/users/admin", action="role", role="deputy").get_data(as_text=True)
    assert "admin: нельзя снять с себя роль администратора: это делает другой администратор" in demoted
    row = next(u for u in accounts.list_users(archive.uow()) if u.login == "admin")
    assert (row.active, row.role) == (True, "admin")
    assert admin.get("/admin/users").status_code == 200, "still signed in"
    assert _events(archive, "user.disabled", "user.role_set") == []
    # another administrator may: the change is recorded under their name
    second = app.test_client()
    assert sign_in(second, "admin2").status_code == 302
    assert "admin: отключён." in _post(second, "/admin/users/admin", action="disable").get_data(as_text=True)
    assert _events(archive, "user.disabled") == [("user.disabled", "admin", "Второй Администратор")]


def test_the_last_active_administrator_is_never_disabled_nor_demoted(login_as, archive, runner):
    admin = login_as("admin")
    accounts.create_user(archive.uow(), "admin2", "Второй Администратор", "admin", PASSWORD, actor=ADMIN, now=NOW,
                         temporary=False)
    assert "admin2: отключён." in _post(admin, "/admin/users/admin2", action="disable").get_data(as_text=True)
    # the command line, acting as the administrator themself: the last-administrator rule stops it first
    for args in (["--as", "admin", "users", "disable", "admin"], ["--as", "admin", "users", "set-role", "admin",
                                                                  "inspector"]):
        refused = runner.invoke(args=args)
        assert refused.exit_code != 0 and "последнего администратора школы" in refused.output
    page = _post(admin, "/admin/users/admin", action="role", role="inspector").get_data(as_text=True)
    assert "нельзя сменить роль у последнего администратора школы" in page
    row = next(u for u in accounts.list_users(archive.uow()) if u.login == "admin")
    assert (row.active, row.role) == (True, "admin")
    assert _events(archive, "user.role_set") == []


# --- 3. limits on what people type ------------------------------------------------------------

@pytest.mark.parametrize("login,full_name,message", [
    ("z" * 300, "Иванова Т. П.", "от 3 до 32 символов: латинские буквы, цифры"),
    ("zz", "Иванова Т. П.", "от 3 до 32 символов"),
    ("иванова", "Иванова Т. П.", "латинские буквы"),
    ("zavuch2", "И" * 121, "не длиннее 120 символов"),
    ("zavuch2", "Иванова\x1bТ. П.", "управляющий или невидимый символ"),
])
def test_account_fields_have_limits_on_the_server(login_as, archive, login, full_name, message):
    refused = _post(login_as("admin"), "/admin/users", login=login, full_name=full_name, role="deputy")
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert _logins(archive) == set(NAMES)  # make_staff's five, nobody else


def _maxlength(page: str, name: str) -> int:
    """The maxlength of the form field `name` on the page."""
    return int(re.search(rf'<input name="{name}"[^>]*maxlength="(\d+)"', page)[1])


def test_the_forms_say_their_limits(login_as):
    admin = login_as("admin")
    users = admin.get("/admin/users").get_data(as_text=True)
    assert (_maxlength(users, "login"), _maxlength(users, "full_name")) == (32, 120)
    assert _maxlength(admin.get("/admin/tokens").get_data(as_text=True), "name") == 100
    secretary = login_as("secretary")
    certificates = secretary.get("/certificates").get_data(as_text=True)
    assert (_maxlength(certificates, "name"), _maxlength(certificates, "born")) == (100, 100)
    retention = secretary.get("/retention").get_data(as_text=True)
    assert (_maxlength(retention, "number"), _maxlength(retention, "reason")) == (20, 200)
    password = secretary.get("/account/password").get_data(as_text=True)
    assert [_maxlength(password, name) for name in ("present", "new", "again")] == [128, 128, 128]


def test_free_text_of_the_secretary_has_limits_on_the_server(login_as, archive):
    secretary = login_as("secretary")
    issued = _post(secretary, "/certificates", name="Алексеев Иван Петрович", born="2008-03-01",
                   requested_by="военкомат " * 500, purpose="по месту требования").get_data(as_text=True)
    assert "Справка не выдана: поле «Кто запросил» — не длиннее 200 символов (введено 4999)" in issued
    moved = _post(secretary, "/register/2027/1/move", action="issued", person="Орлов " * 100,
                  purpose="проверка").get_data(as_text=True)
    assert "поле «Кому выдано» — не длиннее 120 символов" in moved
    held = _post(secretary, "/retention/holds", number="1/2027", reason="проверка\x00").get_data(
        as_text=True)
    assert "в поле «Основание» есть управляющий или невидимый символ" in held
    with archive.uow() as uow:
        assert uow.certificates.listing() == []
    assert _events(archive, "certificate.issued", "register.issued", "register.hold_placed") == []


def test_an_api_token_name_has_a_limit(login_as, archive):
    page = _post(login_as("admin"), "/admin/tokens", name="С" * 300).get_data(as_text=True)
    assert "Ключ доступа не выдан: поле «Система» — не длиннее 100 символов (введено 300)." in page
    assert _events(archive, "token.issued") == []


# --- 4. the upload limit ----------------------------------------------------------------------

def test_the_upload_limit_is_a_setting_of_20_megabytes_by_default(tmp_path):
    assert MAX_UPLOAD_MB == 20 and Settings(home=tmp_path).max_upload_mb == 20
    assert Settings.from_env({"ARCHIVE_HOME": str(tmp_path), "ARCHIVE_MAX_UPLOAD_MB": "5"}).max_upload_mb == 5


@pytest.fixture
def small_app(settings, staff):
    """The app with a 1 MB limit on a request (the database and its accounts are the usual ones)."""
    app = create_app(dataclasses.replace(settings, max_upload_mb=1), moment=ticking_from(NOW))
    app.config.update(TESTING=True)
    yield app
    app.extensions["archive"].engine.dispose()


FORM, EDGE = "multipart/form-data", "----граница".encode().hex()


def _multipart(token: str, content: bytes) -> bytes:
    """The upload form's body, made here (in memory: the test client would spool a large one to a
    temporary file it never closes when the request is refused unread)."""
    parts = [f'--{EDGE}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'.encode(),
             f'--{EDGE}\r\nContent-Disposition: form-data; name="files"; filename="5A.json"\r\n'
             "Content-Type: application/json\r\n\r\n".encode(), content, f"\r\n--{EDGE}--\r\n".encode()]
    return b"".join(parts)


def test_a_page_upload_over_the_limit_is_refused_in_russian(small_app):
    client = small_app.test_client()
    assert sign_in(client, "deputy").status_code == 302
    token = csrf_token(client, "/period/upload")
    big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    refused = client.post("/period/upload", data=_multipart(token, big), content_type=f"{FORM}; boundary={EDGE}")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 413
    assert "Файл слишком большой: не больше 1 МБ" in page and "Request Entity Too Large" not in page
    assert snapshots.list_snapshots(small_app.extensions["archive"].uow()) == []
    # under the limit, the same form is read (and the file judged on its content)
    small = client.post("/period/upload", data=_multipart(token, b"{}"), content_type=f"{FORM}; boundary={EDGE}")
    assert small.status_code == 200 and "5A.json" in small.get_data(as_text=True)


def test_an_api_push_over_the_limit_is_refused_in_structured_json(small_app):
    _, token = tokens.issue_token(small_app.extensions["archive"].uow(), "journal", actor=Actor("test", "admin"),
                                  now=NOW)
    refused = small_app.test_client().post("/api/v1/snapshots", data=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                                           headers={"Authorization": f"Bearer {token}",
                                                    "Content-Type": "application/json"})
    assert refused.status_code == 413
    assert refused.get_json() == {"error": {"code": "http_413", "message": "слишком большой запрос: не больше 1 МБ",
                                            "limit_bytes": 1024 * 1024}}


# --- 5. own password, and a temporary one changed first -----------------------------------------

def _temporary_password(admin) -> str:
    created = _post(admin, "/admin/users", login="zavuch2", full_name="Иванова Тамара Петровна", role="deputy")
    return re.search(r"Временный пароль: (\S+) —", created.get_data(as_text=True))[1]


def test_a_temporary_password_is_changed_before_any_other_page_opens(app, login_as, archive):
    password = _temporary_password(login_as("admin"))
    client = app.test_client()
    signed_in = sign_in(client, "zavuch2", password)
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/account/password")
    for path in ("/", "/overview", "/period/upload", "/account", "/jobs/nothing"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/account/password"), path
    posted = client.post("/period/upload", data={"csrf_token": csrf_token(client, "/account/password")})
    assert posted.status_code == 302 and posted.headers["Location"].endswith("/account/password")
    page = client.get("/account/password").get_data(as_text=True)
    assert "Ваш пароль выдан администратором" in page and 'name="again"' in page

    wrong = client.post("/account/password", data={"present": "не тот", "new": "своё-слово-2027",
                                                   "again": "своё-слово-2027",
                                                   "csrf_token": csrf_token(client, "/account/password")})
    assert wrong.status_code == 422
    assert "Пароль не изменён: нынешний пароль введён неверно." in wrong.get_data(as_text=True)
    differ = client.post("/account/password", data={"present": password, "new": "своё-слово-2027",
                                                    "again": "своё-слово-2028",
                                                    "csrf_token": csrf_token(client, "/account/password")})
    assert "новый пароль и его повтор не совпадают" in differ.get_data(as_text=True)
    short = client.post("/account/password", data={"present": password, "new": "коротко", "again": "коротко",
                                                   "csrf_token": csrf_token(client, "/account/password")})
    assert "пароль должен быть не короче 10 символов" in short.get_data(as_text=True)
    assert client.get("/overview").headers["Location"].endswith("/account/password"), "still temporary"

    changed = client.post("/account/password", data={"present": password, "new": "своё-слово-2027",
                                                     "again": "своё-слово-2027",
                                                     "csrf_token": csrf_token(client, "/account/password")},
                          follow_redirects=True)
    assert "Пароль изменён." in changed.get_data(as_text=True)
    assert client.get("/overview").status_code == 200, "this session goes on, every page open"
    assert _events(archive, "user.password_changed") == [("user.password_changed", "zavuch2",
                                                          "Иванова Тамара Петровна")]
    again = app.test_client()
    assert sign_in(again, "zavuch2", password).status_code == 401
    assert sign_in(again, "zavuch2", "своё-слово-2027").headers["Location"] == "/"


def test_a_new_password_from_the_administrator_is_temporary_too(app, login_as, archive):
    admin = login_as("admin")
    given = _post(admin, "/admin/users/deputy", action="password").get_data(as_text=True)
    password = re.search(r"новый временный пароль (\S+) —", given)[1]
    client = app.test_client()
    assert sign_in(client, "deputy", password).headers["Location"].endswith("/account/password")
    assert client.get("/period").headers["Location"].endswith("/account/password")


def test_anyone_changes_their_own_password_from_the_account_menu(app, login_as):
    deputy = login_as("deputy")
    other_session = login_as("deputy")
    page = deputy.get("/period/upload").get_data(as_text=True)
    assert 'href="/account/password">Сменить пароль</a>' in page
    assert "Сменить пароль" in deputy.get("/account").get_data(as_text=True)
    changed = deputy.post("/account/password", data={"present": PASSWORD, "new": "другое-слово-2027",
                                                     "again": "другое-слово-2027",
                                                     "csrf_token": csrf_token(deputy, "/account/password")})
    assert changed.status_code == 302
    assert deputy.get("/period/upload").status_code == 200
    ended = other_session.get("/period/upload")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"], "the other session ended"


def test_the_users_command_makes_temporary_passwords_unless_told_otherwise(runner, archive):
    made = runner.invoke(args=["--as", "admin",
                               "users", "create", "zavuch", "--name", "Иванова Т. П.", "--role", "deputy"])
    assert made.exit_code == 0 and "При первом входе пароль нужно будет сменить." in made.output
    kept = runner.invoke(args=["--as", "admin",
                               "users", "create", "clerk", "--name", "Петрова А. С.", "--role", "secretary",
                               "--password", "пароль-секретаря-1", "--permanent"])
    assert kept.exit_code == 0 and "сменить" not in kept.output
    flags = {u.login: u.must_change_password for u in accounts.list_users(archive.uow())}
    assert (flags["zavuch"], flags["clerk"]) == (True, False)
    reset = runner.invoke(args=["--as", "admin",
                                "users", "set-password", "clerk"], input="новый-пароль-1\nновый-пароль-1\n")
    assert reset.exit_code == 0
    assert next(u for u in accounts.list_users(archive.uow()) if u.login == "clerk").must_change_password
