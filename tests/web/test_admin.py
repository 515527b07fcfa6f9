"""The administrator's pages: accounts and API tokens, each change recorded with who made it and
from where, in the change's own transaction."""

from __future__ import annotations

import re
from pathlib import Path

from browser_support import jargon_in
from web_support import NAMES, csrf_token

README = Path(__file__).resolve().parents[2] / "README.md"


def _post(client, path: str, **form: str):
    return client.post(path, data={**form, "csrf_token": csrf_token(client, "/admin/users")}, follow_redirects=True)


def _events(archive, *actions: str) -> list[tuple[str, str, str, str]]:
    with archive.uow() as uow:
        return [(e.action, e.object_id, e.actor, e.origin) for e in uow.audit.entries() if e.action in actions]


def test_the_administrator_creates_changes_and_disables_an_account(login_as, archive):
    admin = login_as("admin")
    created = _post(admin, "/admin/users", login="Zavuch2", full_name="Иванова Т. П.", role="deputy")
    page = created.get_data(as_text=True)
    assert "Создан пользователь zavuch2 (заместитель директора). Временный пароль:" in page
    assert "<td>zavuch2</td><td>Иванова Т. П.</td>" in page
    changed = _post(admin, "/admin/users/zavuch2", action="role", role="director").get_data(as_text=True)
    assert "zavuch2: роль изменена на «директор»." in changed
    assert "zavuch2: отключён." in _post(admin, "/admin/users/zavuch2", action="disable").get_data(as_text=True)
    assert "новый временный пароль" in _post(admin, "/admin/users/zavuch2", action="password").get_data(as_text=True)
    who = (NAMES["admin"], "web 127.0.0.1")
    assert _events(archive, "user.created", "user.role_set", "user.disabled", "user.password_set")[-4:] == [
        ("user.created", "zavuch2", *who), ("user.role_set", "zavuch2", *who), ("user.disabled", "zavuch2", *who),
        ("user.password_set", "zavuch2", *who)]


def test_refusals_are_shown_and_nothing_is_recorded(login_as, archive):
    admin = login_as("admin")
    refused = _post(admin, "/admin/users/admin", action="disable").get_data(as_text=True)
    assert "admin: нельзя отключить последнего администратора" in refused
    weak = _post(admin, "/admin/users", login="x y", full_name="Икс", role="deputy").get_data(as_text=True)
    assert "Пользователь не создан: имя для входа" in weak
    missing = _post(admin, "/admin/users/nobody", action="role", role="deputy").get_data(as_text=True)
    assert "nobody: пользователь «nobody» не найден" in missing
    assert _events(archive, "user.created", "user.disabled", "user.role_set")[5:] == []  # only make_staff's five


def test_tokens_are_issued_listed_and_revoked_on_the_page(login_as, archive):
    admin = login_as("admin")
    issued = _post(admin, "/admin/tokens", name="Сетевой город").get_data(as_text=True)
    number = re.search(r"Ключ доступа №(\d+) для «Сетевой город»: ast_", issued)[1]
    listed = admin.get("/admin/tokens").get_data(as_text=True)
    assert "<td>Сетевой город</td>" in listed and NAMES["admin"] in listed and "действует" in listed
    revoked = _post(admin, f"/admin/tokens/{number}/revoke").get_data(as_text=True)
    assert f"Ключ доступа №{number} отозван." in revoked and "badge bad" in revoked
    who = (NAMES["admin"], "web 127.0.0.1")
    assert _events(archive, "token.issued", "token.revoked") == [("token.issued", number, *who),
                                                                  ("token.revoked", number, *who)]


def test_the_media_page_shows_the_qr_address_and_warns_that_it_is_the_servers_own(login_as):
    """The demo's loopback address: said plainly, as a caution (production refuses copies with it:
    tests/web/test_public_address.py)."""
    page = login_as("admin").get("/admin/media").get_data(as_text=True)
    assert "<th>Адрес для QR-кодов листов</th><td>http://127.0.0.1:5000" in page
    assert 'id="public-address-warning"' in page and "это адрес самого сервера" in page
    assert "В демонстрационном" in page and "архив не изготавливает копии" not in page


def test_the_media_page_does_not_warn_about_the_schools_own_address(app, login_as):
    import dataclasses

    archive = app.extensions["archive"]
    archive.settings = dataclasses.replace(archive.settings, public_url="https://archive.school21.ru")
    page = login_as("admin").get("/admin/media").get_data(as_text=True)
    assert "https://archive.school21.ru" in page and 'id="public-address-warning"' not in page


def test_the_media_page_says_who_changes_the_media_and_names_no_settings(login_as):
    """The setting names are for whoever installs the service: in the README, not on the page."""
    page = login_as("admin").get("/admin/media").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", page, flags=re.S))
    assert "ARCHIVE_" not in text and not jargon_in(text), jargon_in(text)
    assert "обратитесь к тому, кто обслуживает" in re.sub(r"\s+", " ", text)
    readme = README.read_text(encoding="utf-8")
    for name in ("ARCHIVE_MEDIUM_A", "ARCHIVE_MEDIUM_B", "ARCHIVE_MEDIUM_A_LOCATION", "ARCHIVE_MEDIUM_B_LOCATION",
                 "ARCHIVE_S3_ENDPOINT", "ARCHIVE_S3_BUCKET", "ARCHIVE_PUBLIC_URL"):
        assert f"`{name}`" in readme, name
