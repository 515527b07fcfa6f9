"""The board of a school on reference 003's procedure (Приказ № 115, прил. 2 § 3.2–3.4) through the
whole of the year's last quarter, in a real browser, the archive's clock moving with the period.

IV четверть 2025/2026 ends on Monday 25 May 2026; 5А and 9А (a graduating class). The
administrator chooses the procedure for the year; on 26 May the deputy head uploads the journals
and makes the copies — the archive marks «Файлы журналов сформированы» by itself; on 5 June the
check is overdue (the deadline, 4 June, is 3 working days after 1 June) and the beat's reminder
is on the board; the deputy records the check; the second copy is the verified backup set; on
26 June the deputy enters the date of the state exam results and the graduating class's deadline
appears (1 July); the secretary records her printing and stitching, and only then the director
his signature and seal; at the end every step of both classes is done and none is late.
Screenshots: test-artifacts/screens/test_the_board_of_a_school_on_reference_003_through_a_whole_period/.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from archive_service import Settings
from archive_service.app import create_app
from archive_service.services import backup, reminders
from browser_support import LiveServer, Screens, launch, sign_in, sign_out
from builders import year_end_snapshot
from keys_support import with_archive_key
from web_support import NAMES, PASSWORD, make_staff

pytestmark = pytest.mark.browser

YEAR, BOARD = "2025/2026", "/period/2025-2026/Q4"
JOB_TIMEOUT = 180_000
UTC = dt.timezone.utc


class MovableClock:
    """The archive's clock: stands on a moment when set and ticks with the machine's from there."""

    def __init__(self, start: dt.datetime):
        self.set(start)

    def set(self, moment: dt.datetime) -> None:
        self.start, self.began = moment, time.monotonic()

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.began)


def on(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 7, tzinfo=UTC)  # 10:00 in Moscow


@pytest.fixture
def school(tmp_path):
    clock = MovableClock(on(5, 20))
    app = create_app(Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'school.sqlite3'}",
                              secret_key="browser-test-secret", key_kdf_log2_n=10), moment=clock)
    make_staff(app.extensions["archive"], clock())
    files = []
    for name, grade in (("5А", 5), ("9А", 9)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(year_end_snapshot(name, grade), ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    yield app, clock, files
    app.extensions["archive"].engine.dispose()


def cells(page, state: str):
    return page.locator(f"table.dep-board td.step.{state}")


def column(page, title: str):
    """The board's heading cell of a step (its deadline and «Всем классам»), by the step's title."""
    index = page.locator("table.dep-board thead tr").first.locator("th").all_inner_texts()
    number = next(i for i, text in enumerate(index) if text.startswith(title))
    return page.locator("table.dep-board thead tr.deadlines th").nth(number)


def test_the_board_of_a_school_on_reference_003_through_a_whole_period(school, request):
    app, clock, files = school
    archive = app.extensions["archive"]
    screens = Screens(request.node.name)
    with LiveServer(app) as server, sync_playwright() as p:
        page = launch(p).new_page(locale="ru-RU", viewport={"width": 1500, "height": 950})
        page.set_default_timeout(30_000)
        page.on("dialog", lambda dialog: dialog.accept())
        failures: list[str] = []
        page.on("response", lambda r: r.status >= 500 and failures.append(f"{r.status} {r.url}"))
        base = server.url

        administrator_chooses_reference_003(page, base, screens)
        clock.set(on(5, 26))
        deputy_uploads_and_makes_the_copies(page, base, screens, files)

        clock.set(on(6, 5))  # the check was due on 4 June: the beat's reminder is on the board
        reminders.run(archive.uow(), clock().date(), clock(), None)
        deputy_records_the_check(page, base, screens)
        with_archive_key(archive)  # the second copy on the removable disk: a set verified on both media
        backup.create_backup(archive.uow(), archive.store, archive.media(), YEAR, ["Q4"],
                             actor=archive_actor("deputy"), now=clock())

        clock.set(on(6, 26))
        deputy_enters_the_exam_results_date(page, base, screens)
        secretary_prints_and_stitches(page, base, screens)
        director_signs_and_seals(page, base, screens)

        sign_in(page, base, "deputy", PASSWORD)
        page.goto(f"{base}{BOARD}")
        expect(cells(page, "done")).to_have_count(11)  # 2 classes × 6 steps, but «выпускных» is not 5А's
        expect(cells(page, "late")).to_have_count(0)
        expect(page.locator(".dep-actions")).to_contain_text("выполнено шагов: 11 из 11")
        screens.shot(page, "deputy-board-all-done")
        page.goto(f"{base}/period")
        expect(page.locator("table.periods")).to_contain_text("Файлы за неделю, проверка за 3 рабочих дня")
        expect(page.locator("table.periods")).to_contain_text("11 из 11")
        screens.shot(page, "deputy-periods-done")
    assert not failures, failures
    assert screens.problems == {}, screens.problems
    with archive.uow() as uow:
        events = {(e.action, e.actor) for e in uow.audit.entries()}
    assert ("procedure.chosen", NAMES["admin"]) in events and ("procedure.event_date", NAMES["deputy"]) in events
    assert {("period.step_recorded", NAMES[role]) for role in ("deputy", "secretary", "director")} <= events


def archive_actor(role: str):
    from archive_service.domain.actor import Actor

    return Actor(NAMES[role], role)


def administrator_chooses_reference_003(page, base, screens) -> None:
    sign_in(page, base, "admin", PASSWORD)
    page.click("header nav a:has-text('Порядок работы')")
    year = page.locator("#years tr", has_text=YEAR)
    year.locator("select[name=procedure]").select_option(label="Файлы за неделю, проверка за 3 рабочих дня "
                                                               "(Стахановская школа)")
    year.locator("button:has-text('Выбрать')").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".flash.ok")).to_contain_text("Стахановская школа")
    screens.shot(page, "admin-chose-reference-003")
    sign_out(page)


def deputy_uploads_and_makes_the_copies(page, base, screens, files) -> None:
    sign_in(page, base, "deputy", PASSWORD)
    page.goto(f"{base}/period/upload")
    page.set_input_files("input[name=files]", files)
    page.click("button:has-text('Загрузить')")
    expect(page.locator("table.uploads .badge.ok")).to_have_count(2)
    page.goto(f"{base}{BOARD}")
    expect(page.locator("main")).to_contain_text("Приказ № 115")
    expect(column(page, "Файлы журналов сформированы")).to_contain_text("до 01.06.2026")
    expect(column(page, "Заместитель директора проверил файлы")).to_contain_text("до 04.06.2026")
    expect(column(page, "Окончательная версия выпускных классов")).to_contain_text("внесите её")
    expect(page.locator("tbody tr", has_text="5А")).to_contain_text("не для этого класса")
    expect(cells(page, "done")).to_have_count(0)
    screens.shot(page, "deputy-board-start")
    page.click("button:has-text('Изготовить копии для печати')")
    expect(page.locator(".flash.ok")).to_contain_text("Сделаны копии: 5А, 9А.", timeout=JOB_TIMEOUT)
    page.goto(f"{base}{BOARD}")
    files_formed = page.locator("table.dep-board tbody td.step.done")
    expect(files_formed).to_have_count(2)  # the archive marked the files formed by the copies made
    expect(files_formed.first).to_contain_text("копия готова")
    screens.shot(page, "deputy-board-files-formed")
    sign_out(page)


def deputy_records_the_check(page, base, screens) -> None:
    sign_in(page, base, "deputy", PASSWORD)
    page.goto(f"{base}{BOARD}")
    expect(cells(page, "late")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("Срок шага «Заместитель директора проверил файлы» пропущен")
    screens.shot(page, "deputy-board-check-overdue")
    column(page, "Заместитель директора проверил файлы").locator("button:has-text('Всем классам')").click()
    expect(page.locator(".flash.ok")).to_contain_text("«Заместитель директора проверил файлы» — все классы (2)")
    expect(cells(page, "late")).to_have_count(0)
    screens.shot(page, "deputy-board-checked")
    sign_out(page)


def deputy_enters_the_exam_results_date(page, base, screens) -> None:
    sign_in(page, base, "deputy", PASSWORD)
    page.goto(f"{base}{BOARD}")
    expect(cells(page, "done")).to_have_count(6)  # files, check and the second copy of both classes
    page.fill("#gia-date input[name=on]", "2026-06-26")
    page.click("#gia-date button.primary")
    page.wait_for_load_state("networkidle")
    expect(column(page, "Окончательная версия выпускных классов")).to_contain_text("до 01.07.2026")
    page.locator("tbody tr", has_text="9А").locator("td.step.pending button:has-text('Отметить')").first.click()
    expect(page.locator(".flash.ok")).to_contain_text("«Окончательная версия выпускных классов» — 9А")
    screens.shot(page, "deputy-board-graduates")
    sign_out(page)


def secretary_prints_and_stitches(page, base, screens) -> None:
    sign_in(page, base, "secretary", PASSWORD)
    page.goto(f"{base}{BOARD}")
    screens.shot(page, "secretary-board")
    for name in ("5А", "9А"):
        page.locator("tbody tr", has_text=name).locator("button:has-text('Отметить')").first.click()
        expect(page.locator(".flash.ok")).to_contain_text(f"«Секретарь напечатал и прошил копию» — {name}")
    screens.shot(page, "secretary-recorded")
    sign_out(page)


def director_signs_and_seals(page, base, screens) -> None:
    sign_in(page, base, "director", PASSWORD)
    page.goto(f"{base}{BOARD}")
    for name in ("5А", "9А"):
        page.locator("tbody tr", has_text=name).locator("button:has-text('Подписано, печать')").click()
        expect(page.locator(".flash.ok")).to_contain_text(f"«Директор подписал бумажные копии, печать» — {name}")
    screens.shot(page, "director-signed")
    sign_out(page)
