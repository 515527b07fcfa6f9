"""The account pages and the refusals a person meets, in a real browser: an administrator makes a
new deputy (no role chosen for them), the deputy signs in with the temporary password and is kept on
the change-password page until they choose their own, then uploads a file over the size limit and
reads why it was refused. Every page is screenshotted and read for technical words
(test-artifacts/screens/test_a_new_account_changes_its_password_and_meets_the_upload_limit/)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from archive_service import Settings
from archive_service.app import create_app
from browser_support import LiveServer, Screens, launch, sign_in, sign_out
from conftest import NOW, ticking_from
from web_support import PASSWORD, make_staff

pytestmark = pytest.mark.browser

NEW_PASSWORD = "своё-слово-2027"


@pytest.fixture
def small_limit_app(tmp_path):
    """The browser app (its own SQLite file, one account per role) with uploads limited to 1 MB."""
    app = create_app(Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'browser.sqlite3'}",
                              secret_key="browser-test-secret", max_upload_mb=1), moment=ticking_from(NOW))
    make_staff(app.extensions["archive"], NOW)
    yield app
    app.extensions["archive"].engine.dispose()


def test_a_new_account_changes_its_password_and_meets_the_upload_limit(small_limit_app, tmp_path, request):
    screens = Screens(request.node.name)
    big = tmp_path / "5А.json"
    big.write_text(json.dumps({"padding": "н" * (1024 * 1024)}, ensure_ascii=False), encoding="utf-8")
    with LiveServer(small_limit_app) as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="ru-RU", viewport={"width": 1360, "height": 900})
        page.set_default_timeout(30_000)
        base = server.url

        sign_in(page, base, "admin", PASSWORD)
        page.goto(f"{base}/admin/users")
        expect(page.locator("select[name=role][required]")).to_have_value("")  # no role chosen for anyone
        page.fill("input[name=login]", "zavuch2")
        page.fill("input[name=full_name]", "Киселёва Кристина Владиславовна")
        page.click("button.primary:has-text('Создать')")  # the browser refuses the form without a role
        expect(page.locator("input[name=login]")).to_have_value("zavuch2")
        page.select_option("select[name=role][required]", "deputy")
        page.click("button.primary:has-text('Создать')")
        page.wait_for_load_state("networkidle")
        temporary = re.search(r"Временный пароль: (\S+) —", page.inner_text("body"))
        assert temporary, page.inner_text("body")
        screens.shot(page, "admin-new-user-temporary-password")
        sign_out(page)

        sign_in(page, base, "zavuch2", temporary[1])
        assert page.url.endswith("/account/password")
        expect(page.locator("body")).to_contain_text("Ваш пароль выдан администратором")
        expect(page.locator("header nav a")).to_have_count(0)  # no menu of pages that would not open
        screens.shot(page, "temporary-password-must-change")
        page.goto(f"{base}/period/upload")
        assert page.url.endswith("/account/password"), "no other page opens before the change"
        page.fill("input[name=present]", temporary[1])
        page.fill("input[name=new]", NEW_PASSWORD)
        page.fill("input[name=again]", NEW_PASSWORD + "!")
        page.click("form button.primary")
        expect(page.locator("body")).to_contain_text("новый пароль и его повтор не совпадают")
        screens.shot(page, "password-repeat-differs")
        page.fill("input[name=present]", temporary[1])
        page.fill("input[name=new]", NEW_PASSWORD)
        page.fill("input[name=again]", NEW_PASSWORD)
        page.click("form button.primary")
        expect(page.locator("body")).to_contain_text("Пароль изменён.")
        expect(page.locator("header nav a")).not_to_have_count(0)
        screens.shot(page, "password-changed")

        page.goto(f"{base}/period/upload")
        assert page.url.endswith("/period/upload")
        page.set_input_files("input[name=files]", str(big))
        page.click("button.primary:has-text('Загрузить')")
        page.wait_for_load_state("networkidle")
        expect(page.locator("body")).to_contain_text("Файл слишком большой: не больше 1 МБ")
        screens.shot(page, "upload-over-the-limit")
        sign_out(page)

        sign_in(page, base, "zavuch2", NEW_PASSWORD)
        assert not page.url.endswith("/account/password"), "the chosen password is not temporary"
        screens.shot(page, "signed-in-with-own-password")
        browser.close()
    found = "\n".join(f"{shot}: {what}" for shot, whats in screens.problems.items() for what in whats)
    (screens.folder / "technical-words.txt").write_text(found, encoding="utf-8")
    assert not screens.problems, found
