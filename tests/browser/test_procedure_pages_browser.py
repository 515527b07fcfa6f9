"""The school's own procedure in a real browser: the administrator reads the procedures, copies
reference 003's, moves the secretary's printing to every period and a graduates' step onto the
quarter, and chooses the copy for the year; the deputy head enters the state exam results date on
the board and sees the deadline; the secretary records her own step. Every page is screenshotted
and read for technical words (test-artifacts/screens/test_a_school_edits_its_procedure_and_the_board_follows/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from archive_service.domain.actor import Actor
from archive_service.services.ingest import ingest_snapshot
from browser_support import LiveServer, Screens, launch, sign_in, sign_out
from builders import as_bytes, snapshot
from conftest import NOW
from web_support import PASSWORD

pytestmark = pytest.mark.browser
BOARD = "/period/2026-2027/Q2"


def store_two_classes(app) -> None:
    for name in ("5А", "5Б"):
        data = snapshot()
        data["class"] = {**data["class"], "id": f"c-{name}", "name": name}
        ingest_snapshot(app.extensions["archive"].uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)


def edit_step(page, title: str, screens: Screens, shot: str, **fields: str) -> None:
    """Open the step's form from the copy's table, change `fields` (name → value), save."""
    row = page.locator("table.proc-steps tbody tr").filter(has=page.locator("td > b", has_text=title))
    row.locator("a:has-text('Изменить')").click()
    for name, value in fields.items():
        target = page.locator(f"#step-form [name={name}]")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    screens.shot(page, shot)
    page.click("#step-form button.primary")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".flash.ok")).to_contain_text("Сохранено:")


def test_a_school_edits_its_procedure_and_the_board_follows(browser_app, request):
    screens = Screens(request.node.name)
    store_two_classes(browser_app)
    with LiveServer(browser_app) as server, sync_playwright() as p:
        page = launch(p).new_page(locale="ru-RU", viewport={"width": 1400, "height": 900})
        page.set_default_timeout(30_000)
        base = server.url

        sign_in(page, base, "admin", PASSWORD)
        page.click("header nav a:has-text('Порядок работы')")
        expect(page.locator("#years")).to_contain_text("2026/2027")
        screens.shot(page, "admin-procedures")
        card = page.locator("section.proc-card", has_text="Стахановская школа").first
        card.locator("input[name=title]").fill("Наш порядок 2027")
        card.locator("button:has-text('Сделать копию')").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".flash.ok")).to_contain_text("Сделана копия «Наш порядок 2027»")
        screens.shot(page, "copy-edit-page")
        edit_step(page, "Секретарь напечатал и прошил копию", screens, "step-edit-form", scope="period",
                  event="period_end", count="10", unit="working")
        edit_step(page, "Окончательная версия выпускных классов", screens, "graduates-step-form", scope="period",
                  grades="")
        page.locator("#add-step [name=title]").fill("Журнал сдан в архив")
        page.locator("#add-step [name=role]").select_option("secretary")
        page.click("#add-step button.primary")
        page.wait_for_load_state("networkidle")
        expect(page.locator(".flash.ok")).to_contain_text("добавлен шаг «Журнал сдан в архив»")
        screens.shot(page, "copy-after-edits")
        page.goto(f"{base}/admin/procedures")
        year = page.locator("#years tr", has_text="2026/2027")
        year.locator("select[name=procedure]").select_option(label="Наш порядок 2027")
        year.locator("button:has-text('Выбрать')").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".flash.ok")).to_contain_text("школа работает по порядку «Наш порядок 2027»")
        screens.shot(page, "admin-chose-the-copy")
        sign_out(page)

        sign_in(page, base, "deputy", PASSWORD)
        page.goto(f"{base}{BOARD}")
        expect(page.locator("#gia-date")).to_contain_text("не внесена")
        page.fill("#gia-date input[name=on]", "2027-06-25")
        page.click("#gia-date button.primary")
        page.wait_for_load_state("networkidle")
        expect(page.locator("tr.deadlines")).to_contain_text("до 30.06.2027")
        screens.shot(page, "deputy-board-with-exam-date")
        sign_out(page)

        sign_in(page, base, "secretary", PASSWORD)
        page.goto(f"{base}{BOARD}")
        screens.shot(page, "secretary-board")
        page.locator("tbody tr", has_text="5А").locator("button:has-text('Отметить')").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".flash.ok")).to_contain_text("Отмечено: «Секретарь напечатал и прошил копию» — 5А.")
        screens.shot(page, "secretary-recorded-her-step")
    assert screens.problems == {}, screens.problems
