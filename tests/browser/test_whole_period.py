"""A whole period closed in a real browser, as each role in turn, on the embedded default.

Two classes of the demo school (2А and 2Б, second quarter of 2026/2027) go the whole way:
the deputy head uploads the snapshots (a broken and an invalid file first, to see the
messages), reads the pre-flight report, makes the copies with the live progress bar, previews
a page and records the paper steps; the director signs both copies with a key file; the
secretary registers them, downloads the register, lends a file and takes it back; the deputy
makes the backup set and its hand-over act; the director accepts it and records the signature
and seal on the printed copies; an inspector finds a student, reads, verifies and
downloads the signed copy and checks a sheet by its QR address. Every page landed on is
screenshotted (test-artifacts/screens/test_a_whole_period_as_each_role/).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from archive_service.demo import generate
from browser_support import (
    LiveServer,
    Screens,
    download,
    image_loaded,
    launch,
    progress_seen,
    record_progress,
    sign_in,
    sign_out,
)
from signing import create_demo_pki
from web_support import NAMES, PASSWORD

pytestmark = pytest.mark.browser

YEAR, PERIOD = "2026/2027", "Q2"
BOARD = "/period/2026-2027/Q2"
KEY_PASSWORD = "пароль-ключа"
ACCESS_CODE = "лиса-ручей-47-окно"  # the director's code of the archive key
JOB_TIMEOUT = 180_000  # ms: two cores are shared with other work
# the bar part-way and settled (its width is animated), or gone: the page reloaded at the end of the job
HALF_WAY = """() => { const bar = document.querySelector('[data-job] .progress > div');
  if (!bar) { return 'reloaded'; }
  const wanted = parseFloat(bar.style.width), shown = 100 * bar.offsetWidth / bar.parentElement.offsetWidth;
  return wanted > 0 && wanted < 100 && Math.abs(shown - wanted) < 1; }"""
MANUAL_STEPS = ("marks_checked", "copies_printed", "teachers_signed", "class_teacher_certified", "deputy_certified")


def demo_classes(*names: str) -> dict[str, dict]:
    """Second-quarter snapshots of some classes of the demo school (its generator is lazy: only these
    classes and the ones before them are simulated)."""
    wanted = {}
    for snap in generate(2026, ["Q2"]):
        if snap["class"]["name"] in names:
            wanted[snap["class"]["name"]] = snap
        if len(wanted) == len(names):
            return wanted
    raise AssertionError(f"no such demo classes: {names}")


def write_json(path, data) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(path)


@pytest.fixture
def snapshot_files(tmp_path):
    """The files the deputy uploads: 2А and 2Б as exported, 2В with a mark of a student not in the
    class, and a file cut off in the middle."""
    classes = demo_classes("2А", "2Б", "2В")
    folder = tmp_path / "uploads"
    folder.mkdir()
    bad = classes["2В"]
    lesson = bad["subjects"][0]["lessons"][0]
    lesson["marks"].append({"student_id": "st-unknown", "value": 5, "work_type": "Ответ на уроке",
                            "set_on": lesson["date"]})
    broken = folder / "2Г-обрыв.json"
    broken.write_text(json.dumps(classes["2А"], ensure_ascii=False)[:400], encoding="utf-8")
    return {"valid": [write_json(folder / f"{name}.json", classes[name]) for name in ("2А", "2Б")],
            "invalid": [write_json(folder / "2В.json", bad), str(broken)],
            "student": classes["2А"]["students"][0]["full_name"]}


def test_a_whole_period_as_each_role(browser_app, snapshot_files, request):
    archive = browser_app.extensions["archive"]
    # the director's key, issued by the demo authority the archive trusts (as `archive-service demo` does:
    # on the machine's clock, which everything that validates a certificate reads)
    create_demo_pki(archive.demo_pki.directory, owner=NAMES["director"], organisation="МБОУ СОШ № 21",
                    password=KEY_PASSWORD.encode(), now=dt.datetime.now(dt.timezone.utc))
    screens = Screens(request.node.name)
    with LiveServer(browser_app) as server, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(locale="ru-RU", viewport={"width": 1360, "height": 900}, accept_downloads=True)
        record_progress(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("dialog", lambda dialog: dialog.accept())  # «Отметить для всех классов?», «Принять?»
        failures: list[str] = []  # no page, image or poll may fail, nor any script
        page.on("response", lambda r: r.status >= 500 and failures.append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda err: failures.append(f"script: {err}"))
        base = server.url

        deputy_closes_the_period(page, base, screens, snapshot_files)
        director_signs(page, base, screens, archive)
        secretary_registers(page, base, screens)
        director_sets_the_archive_key(page, base, screens)
        deputy_backs_up(page, base, screens)
        director_accepts_the_backup(page, base, screens)
        document_id = inspector_retrieves(page, base, screens, snapshot_files["student"])
        every_role_tours_its_pages(page, base, screens, browser_app)
        browser.close()
    assert not failures, failures
    found = "\n".join(f"{shot}: {what}" for shot, whats in screens.problems.items() for what in whats)
    (screens.folder / "technical-words.txt").write_text(found, encoding="utf-8")
    assert not screens.problems, found  # no page shows technical words to a person

    with archive.uow() as uow:
        events = [(e.action, e.actor, e.origin, e.object_id) for e in uow.audit.entries()]
    inspector = NAMES["inspector"]
    for action in ("documents.searched", "document.viewed", "document.verified", "document.downloaded",
                   "sheet.checked"):
        mine = [e for e in events if e[0] == action and e[1] == inspector]
        assert mine, f"no «{action}» of the inspector in the audit log"
        assert all(e[2].startswith("web 127.0.0.1") for e in mine), mine
    assert any(e[0] == "document.downloaded" and e[1] == inspector and e[3] == document_id for e in events)
    assert any(e[0] == "document.viewed" and e[1] == inspector and e[3] == document_id for e in events)


def deputy_closes_the_period(page, base, screens, files) -> None:
    sign_in(page, base, "deputy", PASSWORD)
    assert page.url.endswith("/period")
    expect(page.locator("main")).to_contain_text("Снимков журнала ещё нет")
    screens.shot(page, "deputy-periods-empty")

    page.click("text=Загрузить снимки журнала")
    page.set_input_files("input[name=files]", files["invalid"])
    page.click("button:has-text('Загрузить')")
    outcomes = page.locator("table.uploads")
    expect(outcomes).to_contain_text("отклонён")
    expect(outcomes).to_contain_text("ученик «st-unknown» не найден в списке класса")
    expect(outcomes).to_contain_text("файл повреждён или это не снимок журнала")
    screens.shot(page, "deputy-upload-rejected")

    page.set_input_files("input[name=files]", files["valid"])
    page.click("button:has-text('Загрузить')")
    expect(outcomes.locator(".badge.ok")).to_have_count(2)
    expect(outcomes).to_contain_text(re.compile(r"2А, (2|II) четверть 2026/2027"))
    expect(outcomes).to_contain_text(re.compile(r"2Б, (2|II) четверть 2026/2027"))
    screens.shot(page, "deputy-upload-stored")

    page.click("header nav >> text=Закрытие периода")
    row = page.locator("table.periods tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2026/2027")
    expect(row).to_contain_text("0 из 18")
    screens.shot(page, "deputy-periods")

    row.locator("a.button:has-text('Открыть')").click()
    assert page.url.endswith(BOARD)
    expect(page.locator("table.dep-board tbody tr")).to_have_count(2)
    screens.shot(page, "deputy-board-start")

    page.click("nav.dep-tabs >> text=Проверка журнала")
    expect(page.locator("h1")).to_have_text("Проверка журнала перед печатью")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    screens.shot(page, "deputy-preflight")

    page.click("nav.dep-tabs >> text=Копии для печати")
    expect(page.locator("main")).to_contain_text("Копии этого периода ещё не изготовлены")
    screens.shot(page, "deputy-documents-none")
    progress_seen(page)  # from here on
    page.click("button:has-text('Изготовить копии для печати')")
    expect(page.locator("[data-job]")).to_be_visible()
    page.wait_for_selector("[data-job][data-state]", timeout=JOB_TIMEOUT)  # the first answer of /jobs/<id>
    screens.shot(page, "deputy-copies-started")
    try:
        half_way = page.wait_for_function(HALF_WAY, timeout=JOB_TIMEOUT).json_value()
    except PlaywrightError:  # the page reloaded at the end of the job while being watched
        half_way = False
    if half_way is True:  # one class of two done, and the bar shows it
        screens.shot(page, "deputy-copies-half-way")
    expect(page.locator(".flash.ok")).to_contain_text("Сделаны копии: 2А, 2Б.", timeout=JOB_TIMEOUT)
    widths = progress_seen(page)
    assert widths and widths[0] < 100 and widths[-1] == 100, widths  # the bar moved while the page watched
    docs = page.locator("table.dep-docs tbody tr")
    expect(docs).to_have_count(2)
    expect(docs.nth(0)).to_contain_text("2А")
    expect(docs.nth(1)).to_contain_text("2Б")
    expect(docs.locator(".badge.none")).to_have_count(2)  # not signed yet
    screens.shot(page, "deputy-copies-done")

    docs.nth(0).locator("text=Просмотр").click()
    expect(page.locator("h1")).to_contain_text("2А класс")
    image_loaded(page, ".preview img")
    screens.shot(page, "deputy-preview-page1")
    page.locator(".dep-pager").first.locator("text=Вперёд").click()
    image_loaded(page, ".preview img")
    assert "page=2" in page.url
    screens.shot(page, "deputy-preview-page2")
    name, pdf = download(page, page.locator("text=Скачать PDF для печати"))
    assert pdf.startswith(b"%PDF") and name.endswith(".pdf")

    page.goto(base + BOARD)
    # one step for all classes by its column's button (with the confirmation), the rest by the form below
    page.locator("thead form", has=page.locator("input[name=step][value=marks_checked]")).locator("button").click()
    expect(page.locator(".flash.ok")).to_contain_text("«Итоговые отметки проверены» — все классы (2)")
    screens.shot(page, "deputy-board-marks-checked")
    for step in MANUAL_STEPS[1:]:
        form = page.locator("form.card", has=page.locator("select[name=step]"))
        form.locator("select[name=step]").select_option(step)
        for box in form.locator("input[name=class]").all():
            box.check()
        if step == "teachers_signed":
            form.locator("input[name=note]").fill("все листы подписаны, замечаний нет")
        form.locator("button:has-text('Отметить выполненным')").click()
        expect(page.locator(".flash.ok")).to_contain_text("2А, 2Б")
    board = page.locator("table.dep-board")
    expect(board.locator("td.step.done")).to_have_count(2 * len(MANUAL_STEPS))
    expect(board.locator(".dep-who").first).to_contain_text("Иванова Т. П.")
    expect(board).to_contain_text("все листы подписаны, замечаний нет")
    screens.shot(page, "deputy-board-steps-recorded")
    sign_out(page)


def director_signs(page, base, screens, archive) -> None:
    sign_in(page, base, "director", PASSWORD)
    assert page.url.endswith("/director")
    expect(page.locator(".dir-tile").first).to_contain_text("2")
    expect(page.locator(".dir-tile").first).to_contain_text("документа ждут электронной подписи")
    screens.shot(page, "director-inbox")

    page.click("header nav >> text=Подпись")
    page.check(f"input[name=period][value='{YEAR}|{PERIOD}']")
    page.set_input_files("input[name=key_file]", str(archive.demo_pki.signer_p12))
    page.fill("input[name=password]", KEY_PASSWORD)
    screens.shot(page, "director-sign-form")
    page.click("button:has-text('Подписать отмеченные периоды')")
    page.wait_for_url("**/director/jobs/*")
    screens.shot(page, "director-sign-progress")
    expect(page.locator(".flash.ok")).to_contain_text("Подписано документов: 2", timeout=JOB_TIMEOUT)
    results = page.locator("main table tbody tr")
    expect(results).to_have_count(2)
    expect(results.locator(".badge.ok")).to_have_count(2)
    screens.shot(page, "director-signed")

    page.click("header nav >> text=Ждёт директора")
    expect(page.locator("main")).to_contain_text("Все изготовленные документы подписаны")
    screens.shot(page, "director-inbox-after-signing")
    sign_out(page)


def secretary_registers(page, base, screens) -> None:
    sign_in(page, base, "secretary", PASSWORD)
    assert page.url.endswith("/register")
    expect(page.locator("details.sec-add summary")).to_contain_text("из них подписаны директором: 2")
    screens.shot(page, "secretary-register-empty")
    for number in (1, 2):
        form = page.locator("details.sec-add form")
        chosen = form.locator("select[name=document_id] option:checked")
        expect(chosen).to_have_count(1)
        assert "не подписан" not in chosen.inner_text()  # signed ones come first
        form.locator("input[name=handed_over_by]").fill(NAMES["deputy"])
        form.locator("input[name=room]").fill("кабинет 5 (архив)")
        form.locator("input[name=cabinet]").fill("шкаф 2")
        form.locator("input[name=folder]").fill("папка «2026/2027, II четверть»")
        if number == 1:
            screens.shot(page, "secretary-register-form")
        form.locator("button:has-text('Зарегистрировать')").click()
        expect(page.locator(".flash.ok")).to_contain_text(f"Зарегистрирован № {number}/")
        if number == 1:
            screens.shot(page, "secretary-registered-first")
    expect(page.locator("details.sec-add")).to_contain_text("Все изготовленные документы уже внесены в реестр")
    page.click("header nav >> text=Реестр")
    rows = page.locator("table.sec-register tbody tr")
    expect(rows).to_have_count(2)
    numbers = [re.fullmatch(r"(\d+)/\d{4}", rows.nth(i).locator("td").first.inner_text().strip())[1] for i in range(2)]
    assert sorted(numbers) == ["1", "2"]
    expect(page.locator("table.sec-register")).to_contain_text("2А")
    expect(page.locator("table.sec-register")).to_contain_text("2Б")
    screens.shot(page, "secretary-register")
    page.locator(".sec-prints button", has_text="PDF").first.click()  # a job: its page shows the stages
    expect(page.locator("h1")).to_contain_text("Реестр (PDF)")
    screens.shot(page, "secretary-register-pdf-started")
    expect(page.locator("main a.button", has_text="Скачать")).to_be_visible(timeout=JOB_TIMEOUT)
    expect(page.locator(".flash.ok")).to_contain_text("записей 2")
    screens.shot(page, "secretary-register-pdf-ready")
    name, pdf = download(page, page.locator("main a.button", has_text="Скачать"))
    assert pdf.startswith(b"%PDF") and name.startswith("реестр"), name
    page.click("header nav >> text=Реестр")  # back from the printout's page
    # a file lent to an inspector and taken back: the return-by date is proposed, the file's page tells its history
    rows.first.locator("details.sec-move summary").click()
    form = rows.first.locator("details.sec-move form")
    expect(form.locator("input[name=return_by]")).not_to_have_value("")
    form.locator("input[name=person]").fill("Орлов Олег Олегович, инспектор")
    form.locator("input[name=purpose]").fill("проверка")
    form.locator("button:has-text('Выдать дело')").click()
    expect(page.locator(".flash.ok")).to_contain_text("Кому: Орлов Олег Олегович, инспектор; цель: проверка")
    page.locator("table.sec-register tbody tr").first.locator("td a").first.click()
    expect(page.locator("table.sec-history tbody tr")).to_have_count(1)
    screens.shot(page, "secretary-file-issued")
    page.locator("form.sec-file-move button:has-text('Дело вернулось')").click()
    expect(page.locator(".flash.ok")).to_contain_text("возвращено в архив")
    expect(page.locator("table.sec-history")).to_contain_text(f"записала {NAMES['secretary']}")
    screens.shot(page, "secretary-file-returned")
    sign_out(page)


def director_sets_the_archive_key(page, base, screens) -> None:
    sign_in(page, base, "director", PASSWORD)
    page.click("header nav >> text=Ключ архива")
    expect(page.locator("main")).to_contain_text("Ключа архива ещё нет")
    screens.shot(page, "director-key-none")
    page.fill("input[name=code]", ACCESS_CODE)
    page.fill("input[name=code2]", ACCESS_CODE + "x")
    page.click("button:has-text('Создать ключ архива')")
    expect(page.locator(".flash.error")).to_contain_text("коды доступа не совпадают")
    page.fill("input[name=code]", ACCESS_CODE)
    page.fill("input[name=code2]", ACCESS_CODE)
    page.click("button:has-text('Создать ключ архива')")
    expect(page.locator(".flash.ok")).to_contain_text("Ключ архива создан")
    expect(page.locator(".fingerprint")).to_have_text(re.compile(r"([0-9A-F]{4} ){7}[0-9A-F]{4}"))
    screens.shot(page, "director-key-set")
    sign_out(page)


def deputy_backs_up(page, base, screens) -> None:
    sign_in(page, base, "deputy", PASSWORD)
    page.goto(base + BOARD)
    board = page.locator("table.dep-board")
    expect(board).to_contain_text("подписано электронной подписью")  # the archive's own facts
    expect(board).to_contain_text("в реестре № 1")
    screens.shot(page, "deputy-board-signed-registered")

    page.click("nav.dep-tabs >> text=Резервная копия")
    expect(page.locator("main")).to_contain_text("Резервных копий этого периода ещё нет")
    expect(page.locator("main input[type=password]")).to_have_count(0)  # the deputy types no code
    expect(page.locator("main form")).to_contain_text("код вводить не нужно")
    screens.shot(page, "deputy-backup-form")
    page.click("button:has-text('Сделать резервную копию')")
    screens.shot(page, "deputy-backup-progress")
    expect(page.locator(".flash.ok")).to_contain_text("записана на оба носителя и проверена", timeout=JOB_TIMEOUT)
    sets = page.locator("main table tbody tr")
    expect(sets).to_have_count(1)
    expect(sets.locator(".badge.ok", has_text="проверен")).to_have_count(2)
    expect(sets).to_contain_text("директор ещё не подтвердил")
    screens.shot(page, "deputy-backup-done")
    name, pdf = download(page, page.locator(".flash.ok a", has_text="Акт передачи"))
    assert pdf.startswith(b"%PDF") and name.startswith("акт_передачи"), name

    page.goto(base + BOARD)
    expect(page.locator("table.dep-board thead")).to_contain_text("директор ещё не подтвердил получение")
    screens.shot(page, "deputy-board-backup-awaiting")
    sign_out(page)


def director_accepts_the_backup(page, base, screens) -> None:
    sign_in(page, base, "director", PASSWORD)
    expect(page.locator(".dir-tile").nth(1)).to_contain_text("резервная копия ждёт приёма")
    screens.shot(page, "director-inbox-backup")
    page.click("header nav >> text=Приём копий")
    screens.shot(page, "director-handover")
    page.click("button:has-text('Принять')")  # confirmed in the dialog
    expect(page.locator(".flash.ok")).to_contain_text("принят по акту")
    expect(page.locator("main table .badge.ok", has_text="принят")).to_have_count(1)
    screens.shot(page, "director-handover-accepted")
    director_restores(page, screens)

    page.goto(base + BOARD)  # the director records the signature and seal on both printed copies
    for class_name in ("2А", "2Б"):
        page.locator("table.dep-board tbody tr", has=page.locator(f"th:has-text('{class_name}')")).locator(
            "button:has-text('Подписано, печать')").click()
        expect(page.locator(".flash.ok")).to_contain_text(
            f"«Директор подписал бумажные копии, печать» — {class_name}")
    # otherwise read-only for the director: every step of both classes is done now
    expect(page.locator(".dep-actions")).to_contain_text("выполнено шагов: 18 из 18")
    expect(page.locator("form[action$='/steps']")).to_have_count(0)
    screens.shot(page, "director-board-complete")
    sign_out(page)


def director_restores(page, screens) -> None:
    """The set back from the media: what came back in words, and its documents to download."""
    page.click("header nav >> text=Резервные копии")
    page.fill("input[name=code]", ACCESS_CODE)
    page.fill("input[name=purpose]", "проверка копии")
    page.click("button:has-text('Восстановить')")
    expect(page.locator("#restore-result")).to_contain_text("совпал с контрольной суммой", timeout=JOB_TIMEOUT)
    expect(page.locator("main dl")).to_contain_text(re.compile(r"Период\s*II четверть\s*Классы\s*\d+[А-ЯЁ], \d+[А-ЯЁ]"))
    screens.shot(page, "director-restore-result")
    links = page.locator("a.restored-document")
    assert links.count() >= 2
    name, pdf = download(page, links.first)
    assert pdf.startswith(b"%PDF") and re.fullmatch(r"\d+\w_2_четверть_(журнал|сводная_ведомость)\.pdf", name), name
    name, bundle = download(page, page.locator("#restored-zip"))
    assert bundle.startswith(b"PK") and name.endswith("_восстановленные_документы.zip"), name


def inspector_retrieves(page, base, screens, student: str) -> str:
    surname, first = student.split()[:2]
    sign_in(page, base, "inspector", PASSWORD)
    assert page.url.endswith("/inspect")
    screens.shot(page, "inspector-search")
    page.fill("input[name=student]", f"{surname.lower()} {first}")
    page.select_option("select[name=year]", YEAR)
    page.click("button:has-text('Найти')")
    results = page.locator("table.insp-results tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("2А")
    expect(results).to_contain_text(YEAR)
    expect(results).to_contain_text(f"Ученик: {student}")
    expect(results.locator(".badge.ok")).to_have_text("подписан")
    expect(results).to_contain_text("№ 1/")
    screens.shot(page, "inspector-results")

    results.locator("a", has_text="Открыть").click()
    document_id = re.search(r"/inspect/documents/([^/?]+)", page.url)[1]
    image_loaded(page, ".insp-page img")
    expect(page.locator(".insp-facts")).to_contain_text("подписан")
    screens.shot(page, "inspector-document")

    page.click("text=Проверить подпись (отчёт)")
    expect(page.locator(".insp-verdict")).to_have_class(re.compile(r"\bok\b"))
    expect(page.locator(".insp-verdict")).to_contain_text("Подпись действительна")
    expect(page.locator("main")).to_contain_text(NAMES["director"])
    screens.shot(page, "inspector-signature-report")
    name, pdf = download(page, page.locator("a.button", has_text="Скачать подписанный PDF"))
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf and name.endswith(".pdf"), name

    page.goto(f"{base}/check/{document_id}/1")
    expect(page.locator(".insp-verdict.ok")).to_contain_text("Лист совпадает с архивом")
    expect(page.locator(".insp-facts")).to_contain_text("лист 1 из")
    screens.shot(page, "inspector-sheet-check")
    page.click("#staff-view")
    expect(page.locator(".insp-verdict.ok")).to_contain_text("Лист 1 из")
    image_loaded(page, ".insp-sides img")
    screens.shot(page, "inspector-sheet-check-full")
    sign_out(page)
    page.goto(f"{base}/check/{document_id}/1")  # an outside inspector scanning the sheet: no login
    expect(page.locator(".insp-verdict.ok")).to_contain_text("Лист совпадает с архивом")
    expect(page.locator("#staff-view")).to_have_count(0)
    screens.shot(page, "public-sheet-check")
    return document_id


def every_role_tours_its_pages(page, base, screens, app) -> None:
    """After the period: every page without parameters that each role may open, as that role,
    with a screenshot (the period's own pages were shot along the way)."""
    times = []
    for role in ("admin", "secretary", "director", "deputy", "inspector"):
        sign_in(page, base, role, PASSWORD)
        started = time.perf_counter()
        page.goto(f"{base}/")  # the role's main page (the home redirects there)
        times.append(f"{NAMES[role]} ({role}): {page.url.removeprefix(base)} in {time.perf_counter() - started:.2f} s")
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            view = app.view_functions[rule.endpoint]
            if rule.arguments or "GET" not in rule.methods or role not in getattr(view, "allowed_roles", ()):
                continue
            if rule.endpoint == "auth.home" or rule.rule.endswith((".pdf", ".csv", ".xlsx", ".json", ".png", ".js")):
                continue  # a redirect, or a file rather than a page
            if rule.endpoint.startswith("district."):
                continue  # a district installation's own pages: this school's installation stands alone
            response = page.goto(f"{base}{rule.rule}")
            assert response.status == 200, (role, rule.rule, response.status)
            screens.shot(page, f"tour-{role}-{rule.endpoint.replace('.', '-')}")
        sign_out(page)
    log = screens.folder / "main-page-times.txt"  # measured, not asserted: the aim is under 0.5 s
    log.write_text("\n".join(times) + "\n", encoding="utf-8")
    print("main pages:", *times, sep="\n  ")
