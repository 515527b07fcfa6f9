"""The sign-in page in a real browser: anonymous visitors land on it, a wrong password is told,
the lock-out is shown, a right password opens the role's home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from browser_support import LiveServer, Screens, launch, sign_in, sign_out
from web_support import PASSWORD

pytestmark = pytest.mark.browser


def test_sign_in_lock_out_and_sign_out_in_chromium(browser_app, request):
    screens = Screens(request.node.name)
    with LiveServer(browser_app) as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="ru-RU")
        page.goto(f"{server.url}/admin/users")
        assert "/login?next=/admin/users" in page.url
        screens.shot(page, "login")
        sign_in(page, server.url, "admin", "неверный-пароль")
        assert "Неверное имя или пароль" in page.inner_text(".flash.error")
        screens.shot(page, "wrong-password")
        for _ in range(4):
            sign_in(page, server.url, "admin", "неверный-пароль")
        sign_in(page, server.url, "admin", PASSWORD)
        assert "заблокирован" in page.inner_text(".flash.error").lower()
        screens.shot(page, "locked")
        sign_in(page, server.url, "secretary", PASSWORD)
        assert "Петрова Анна Сергеевна" in page.inner_text("header .who")
        screens.shot(page, "secretary-home")
        sign_out(page)
        assert page.url.endswith("/login") and "Вы вышли" in page.inner_text("main")
        browser.close()
