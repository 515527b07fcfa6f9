"""The deputy head's pages: the period board, uploads, pre-flight, copies, previews, backups."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from urllib.parse import quote

import pytest

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DocumentSignature
from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.procedures import Dates, due_dates
from archive_service.domain.ready_procedures import REF000
from archive_service.services import documents, register
from archive_service.services.ingest import ingest_snapshot
from builders import LATE_ARRIVAL, as_bytes, snapshot, snapshot_with_late_arrival, subject
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from web_support import csrf_token, wait_for_job

CLERK = Actor("secretary", "secretary")

PERIOD = "/period/2026-2027/Q2"


def class_snapshot(name: str = "5А") -> dict:
    data = snapshot()
    data["class"] = {**data["class"], "id": f"c-{name}", "name": name}
    return data


@pytest.fixture
def two_classes(archive, monkeypatch):
    """5А and 5Б of the second quarter stored; the archive's clock stands at 10 January 2027."""
    monkeypatch.setattr(archive, "now", lambda: NOW)
    return [ingest_snapshot(archive.uow(), as_bytes(class_snapshot(n)), actor=Actor("test", "deputy"),
                            now=NOW).snapshot_id
            for n in ("5А", "5Б")]


@pytest.fixture
def rendered(archive, two_classes) -> list[str]:
    return [documents.render_document(archive.uow(), archive.store, archive.renderer, snapshot_id, "class_journal",
                                      archive.render_options, actor=Actor("Иванова Татьяна Петровна", "deputy"),
                                      now=NOW).document_id
            for snapshot_id in two_classes]


def post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, "/account"), **(data or {})}, **kwargs)


def actions(archive) -> list:
    with archive.uow() as uow:
        return [(e.action, e.actor, e.origin, e.object_id, e.details) for e in uow.audit.entries()]


wait_for = wait_for_job


def job_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return re.search(r"job=([0-9a-f]+)", response.headers["Location"])[1]


def test_the_deputy_lands_on_the_list_of_periods(login_as, two_classes):
    deputy = login_as("deputy")
    assert deputy.get("/").headers["Location"] == "/period"
    page = deputy.get("/period").get_data(as_text=True)
    assert "II четверть" in page and "2026/2027" in page and f'href="{PERIOD}"' in page
    assert "0 из 18" in page and "просрочено: 18" in page  # 2 classes × 9 steps, all past their deadline


def test_the_period_page_lists_classes_and_steps_with_deadlines(login_as, two_classes):
    page = login_as("deputy").get(PERIOD).get_data(as_text=True)
    for step in REF000.steps:
        assert step.title in page
    assert "5А" in page and "5Б" in page
    # the period ends on 25 December: day 1 of the holidays is the 26th, day 5 the 30th
    for day in ("26.12.2026", "27.12.2026", "28.12.2026", "29.12.2026", "30.12.2026"):
        assert f"до {day}" in page
    assert page.count('class="step late"') == 18 and "Всем классам" in page  # 2 classes × 9 steps


def test_deadlines_are_days_of_the_holidays_after_the_period_end():
    due = due_dates(REF000, "Q2", Dates(dt.date(2026, 12, 25), "2026/2027"), CALENDAR)
    assert due["marks_checked"] == dt.date(2026, 12, 26)
    assert due["backups"] == due["copies_printed"] == dt.date(2026, 12, 27)
    assert due["teachers_signed"] == dt.date(2026, 12, 28) and due["class_teacher_certified"] == dt.date(2026, 12, 29)
    assert due["deputy_certified"] == due["director_signed"] == due["registered"] == dt.date(2026, 12, 30)


def test_recording_a_step_shows_who_and_when_and_is_audited(archive, login_as, two_classes):
    deputy = login_as("deputy")
    response = post(deputy, f"{PERIOD}/steps", {"step": "teachers_signed", "class": "5А", "note": "без замечаний"})
    assert response.status_code == 302
    page = deputy.get(PERIOD).get_data(as_text=True)
    assert "Отмечено: «Учителя подписали листы» — 5А" in page
    assert "Иванова Т. П." in page and "без замечаний" in page and page.count('class="step done"') == 1
    assert "10.01 12:00" in page  # 09:00 UTC shown in the school's zone (Moscow, UTC+3)
    (event,) = [e for e in actions(archive) if e[0] == "period.step_recorded"]
    assert event[1:4] == ("Иванова Татьяна Петровна", "web 127.0.0.1", "2026/2027:Q2:5А:teachers_signed")


def test_a_step_recorded_for_all_classes_can_be_undone_and_the_history_stays(archive, login_as, two_classes):
    deputy = login_as("deputy")
    post(deputy, f"{PERIOD}/steps", {"step": "marks_checked", "all": "1"})
    assert deputy.get(PERIOD).get_data(as_text=True).count('class="step done"') == 2
    post(deputy, f"{PERIOD}/steps", {"step": "marks_checked", "class": "5Б", "action": "undo"})
    page = deputy.get(PERIOD).get_data(as_text=True)
    assert page.count('class="step done"') == 1 and "отметка снята" in page
    recorded = [e[0] for e in actions(archive) if e[0].startswith("period.step")]
    assert recorded == ["period.step_recorded", "period.step_recorded", "period.step_undone"]


def test_an_unknown_step_or_class_is_refused_with_a_message(archive, login_as, two_classes):
    deputy = login_as("deputy")
    post(deputy, f"{PERIOD}/steps", {"step": "teachers_signed", "class": "11Я"})
    assert "нет классов: 11Я" in deputy.get(PERIOD).get_data(as_text=True)
    post(deputy, f"{PERIOD}/steps", {"step": "coffee", "class": "5А"})
    assert "нет такого шага" in deputy.get(PERIOD).get_data(as_text=True)
    assert not [e for e in actions(archive) if e[0].startswith("period.step")]


def test_what_the_archive_knows_marks_steps_done(archive, login_as, rendered):
    register.register_document(archive.uow(), rendered[0], handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                               placement=register.Placement("кабинет 5", "шкаф 2", "папка 1"),
                               on=dt.date(2027, 1, 9), paper_only=True, actor=CLERK, now=NOW)
    with archive.uow() as uow:
        doc = uow.documents.by_document_id(rendered[0])
        uow.documents.add_signature(DocumentSignature(document_id=doc.id, sha256=doc.sha256, size=doc.size,
                                                      level="PAdES B-LTA", signer="Сергеева Ольга Викторовна",
                                                      certificate_serial="01", signed_at=NOW,
                                                      signed_by="Сергеева Ольга Викторовна"))
        uow.commit()
    page = login_as("deputy").get(PERIOD).get_data(as_text=True)
    assert "подписано электронной подписью" in page and "Сергеева О. В." in page
    assert "в реестре № 1 за 2027 г." in page and "копия готова (" in page
    assert page.count('class="step done"') == 2  # signature and register of 5А; a rendered copy is not printed


def test_a_bad_snapshot_shows_every_message_in_russian_and_stores_nothing(archive, login_as):
    bad = snapshot()
    subject(bad, "math")["lessons"][1]["marks"][0]["value"] = 7
    response = post(login_as("deputy"), "/period/upload",
                    {"files": [(io.BytesIO(as_bytes(bad)), "5А.json"), (io.BytesIO(b"{not json"), "broken.json")]},
                    content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("отклонён</span>") == 2
    assert "недопустимая отметка «7»; допустимы: 1–5, «зач», «незач»" in page
    assert "файл повреждён или это не снимок журнала" in page and "broken.json" in page
    # where in the file, in words: the subject, lesson and mark as counted by people; no JSON path
    assert "(предмет 1, урок 2, отметка 1)" in page and "(файл целиком)" in page and "$." not in page
    with archive.uow() as uow:
        assert uow.snapshots.listing() == []
    assert not [e for e in actions(archive) if e[0] == "snapshot.ingested"]


def test_a_good_snapshot_is_stored_a_repeat_is_a_duplicate_and_a_change_needs_a_reason(archive, login_as):
    deputy = login_as("deputy")

    def upload(data: dict, reason: str = "") -> str:
        return post(deputy, "/period/upload", {"files": [(io.BytesIO(as_bytes(data)), "5А.json")], "reason": reason},
                    content_type="multipart/form-data").get_data(as_text=True)

    assert "сохранён</span>" in upload(snapshot())
    assert "уже был в архиве" in upload(snapshot())
    changed = snapshot()
    subject(changed, "math")["lessons"][0]["topic"] = "Уточнённая тема"
    assert "нужна причина" in upload(changed)
    assert "новая версия" in upload(changed, "исправлена тема урока")
    stored = [e for e in actions(archive) if e[0] == "snapshot.ingested"]
    assert [(e[1], e[2], e[4]["version"]) for e in stored] == [("Иванова Татьяна Петровна", "web 127.0.0.1", 1),
                                                              ("Иванова Татьяна Петровна", "web 127.0.0.1", 2)]


def test_the_pre_flight_report_renders(login_as, two_classes):
    page = login_as("deputy").get(f"{PERIOD}/preflight").get_data(as_text=True)
    assert "Проверка журнала перед печатью" in page and "5А" in page and "5Б" in page
    assert "мало отметок" in page and "Григорьева" not in page  # the student who left is not counted
    assert login_as("deputy").get("/period/2026-2027/Q4/preflight").status_code == 404


NO_TECH = re.compile(r"\b(?:Q[1-4]|H[12]|T[1-3]|year|UTC)\b|\$\.|\(\$\)")


@pytest.fixture
def late_arrival(archive, monkeypatch):
    """7Б of the second quarter with a pupil who came on 21.12, stored beside 5А."""
    monkeypatch.setattr(archive, "now", lambda: NOW)
    late = snapshot_with_late_arrival()
    late["class"] = {**late["class"], "id": "c-7b", "name": "7Б", "grade": 7}
    for data in (class_snapshot("5А"), late):
        ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)


def page_text(html: str) -> str:
    """What a person reads on the page: no scripts, styles or title; inline tags join their text."""
    html = re.sub(r"<(script|style|title)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"</?(?:b|i|span|a|small)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_pre_flight_report_by_teacher_names_the_teachers(login_as, late_arrival):
    deputy = login_as("deputy")
    started = time.perf_counter()
    page = deputy.get(f"{PERIOD}/preflight").get_data(as_text=True)
    first = time.perf_counter() - started
    started = time.perf_counter()
    assert deputy.get(f"{PERIOD}/preflight").status_code == 200
    print(f"\npre-flight page: {first:.3f} s first, {time.perf_counter() - started:.3f} s again")  # a log line
    text = page_text(page)
    for teacher in ("Николаева Елена Павловна", "Ким Виктор Алексеевич", "Орлова Нина Игоревна",
                    "Ёлкин Пётр Семёнович"):
        assert teacher in text
    assert "Смирнова Дарья Олеговна" not in text  # nothing to fix in English
    assert "Орлова Нина Игоревна — 7Б; замечаний: 4" in text
    assert "Справка учителю для печати" in page and "?teacher=" in page
    assert not NO_TECH.search(text), NO_TECH.search(text)


def test_the_pre_flight_report_by_pupil_collapses_a_late_arrival(login_as, late_arrival):
    text = page_text(login_as("deputy").get(f"{PERIOD}/preflight?view=pupil").get_data(as_text=True))
    assert f"{LATE_ARRIVAL}, 7Б — в классе с 21.12.2026; замечаний: 10" in text
    assert text.count(LATE_ARRIVAL) == 1  # the heading, then a line per kind: not ten lines naming him
    assert "мало отметок (в классе с 21.12.2026) — в 5 предметах" in text
    assert "«н/а» (не аттестован) за II четверть (в классе с 21.12.2026) — в 5 предметах" in text
    assert not NO_TECH.search(text), NO_TECH.search(text)
    by_class = page_text(login_as("deputy").get(f"{PERIOD}/preflight?view=class").get_data(as_text=True))
    # ten findings: five name him in the genitive («у ученика Петрова Ивана Сергеевича»), five as he is
    assert by_class.count(LATE_ARRIVAL) + by_class.count("Петрова Ивана Сергеевича") == 10
    assert "у ученика Петрова Ивана Сергеевича" in by_class and "Математика — Николаева Елена Павловна" in by_class
    assert not NO_TECH.search(by_class), NO_TECH.search(by_class)


def test_a_teachers_note_prints_only_that_teachers_items(login_as, late_arrival):
    deputy = login_as("deputy")
    page = deputy.get(f"{PERIOD}/preflight/notes", query_string={"teacher": "Орлова Нина Игоревна"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = page_text(html)
    assert "@media print" in html and text.count("Справка") == 1 and "Со справкой ознакомлен(а)" in text
    assert "МБОУ «Средняя общеобразовательная школа № 21»" in text
    assert "Учителю: Орловой Н. И." in text and "за II четверть 2026/2027 учебного года" in text
    assert "7Б класс, Изобразительное искусство" in text and "7Б класс, Труд (технология)" in text
    assert "Всего замечаний: 4." in text
    for other in ("Математика", "Музыка", "Физическая культура", "Николаева", "Ким В", "Ёлкин", "5А"):
        assert other not in text, other
    assert "Заместитель директора" in text and "/ Иванова Т. П. /" in text and "10.01.2027" in text
    assert not NO_TECH.search(text), NO_TECH.search(text)
    every = page_text(deputy.get(f"{PERIOD}/preflight/notes").get_data(as_text=True))
    assert every.count("Учителю:") == 4 and "Учителю: Николаевой Е. П." in every
    missing = deputy.get(f"{PERIOD}/preflight/notes", query_string={"teacher": "Смирнова Дарья Олеговна"})
    assert missing.status_code == 404 and "нет замечаний" in missing.get_data(as_text=True)


def test_a_teachers_note_downloads_as_a_pdf_with_only_that_teachers_items(login_as, late_arrival):
    from urllib.parse import unquote

    from pdf_reading import pdf_text

    response = login_as("director").get(f"{PERIOD}/preflight/note.pdf",
                                        query_string={"teacher": "Орлова Нина Игоревна"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename*=UTF-8''Справка_Орлова_Н_И_II_четверть_2026-2027.pdf" in unquote(
        response.headers["Content-Disposition"])
    text = re.sub(r"\s+", " ", pdf_text(response.data))
    assert "Учителю: Орловой Н. И." in text and "Изобразительное искусство" in text and "Напечатать" not in text
    for other in ("Математика", "Музыка", "Николаева", "Ёлкин"):
        assert other not in text, other
    assert not NO_TECH.search(text), NO_TECH.search(text)
    assert login_as("deputy").get(f"{PERIOD}/preflight/note.pdf").status_code == 404


def test_the_report_of_a_new_version_is_the_one_kept_with_it(archive, late_arrival):
    """Each version is stored with its findings (tests/web/test_preflight_stored.py: read after a restart)."""
    from archive_service.services import snapshots

    first = snapshots.preflight_period(archive.uow(), "2026/2027", ["Q2"], (), archive.thresholds)
    fixed = snapshot_with_late_arrival()
    fixed["class"] = {**fixed["class"], "id": "c-7b", "name": "7Б", "grade": 7}
    subject(fixed, "math")["lessons"][1]["homework"] = "§ 2"
    stored = ingest_snapshot(archive.uow(), as_bytes(fixed), actor=Actor("test", "deputy"), now=NOW, reason="задание")
    (_, late) = snapshots.preflight_period(archive.uow(), "2026/2027", ["Q2"], (), archive.thresholds)
    assert late.counts["lesson_without_homework"] == first[1].counts["lesson_without_homework"] - 1
    with archive.uow() as uow:
        assert [len(r.findings) for r in uow.preflight.stored_for(stored.snapshot_id)] == [len(late.findings)]


def test_copies_are_made_by_a_background_job_and_listed(archive, login_as, two_classes):
    deputy = login_as("deputy")
    job_id = job_of(post(deputy, f"{PERIOD}/copies"))
    assert job_of(post(deputy, f"{PERIOD}/copies")) == job_id, "a second click follows the job under way"
    assert f'data-job="{job_id}"' in deputy.get(f"{PERIOD}/documents").get_data(as_text=True)
    job = wait_for(deputy, job_id)
    assert job["status"] == "done", job
    assert (job["done"], job["total"], job["result"]["rendered"], job["result"]["failed"]) == (2, 2, 2, 0)
    page = deputy.get(f"{PERIOD}/documents?job={job_id}").get_data(as_text=True)
    assert "Сделаны копии: 5А, 5Б." in page and page.count("PDF для печати</a>") == 2 and "не подписано" in page
    made = [e for e in actions(archive) if e[0] == "period.copies_made"]
    assert made and made[0][1:4] == ("Иванова Татьяна Петровна", "web 127.0.0.1", "2026/2027:Q2")


def test_a_page_preview_is_a_png_and_is_audited(archive, login_as, rendered):
    deputy = login_as("deputy")
    page = deputy.get(f"/period/doc/{rendered[0]}?page=2").get_data(as_text=True)
    assert f"/period/doc/{rendered[0]}/page/2.png" in page and "лист 1, оборотная сторона" in page
    response = deputy.get(f"/period/doc/{rendered[0]}/page/2.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    (event,) = [e for e in actions(archive) if e[0] == "document.previewed"]
    assert event[1:4] == ("Иванова Татьяна Петровна", "web 127.0.0.1", rendered[0]) and event[4]["page"] == 2
    assert deputy.get(f"/period/doc/{rendered[0]}/page/999.png").status_code == 404


def test_the_copy_downloads_as_pdf_for_printing_and_is_audited(archive, login_as, rendered):
    deputy = login_as("deputy")
    response = deputy.get(f"/period/doc/{rendered[0]}/print.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and "attachment" in response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('5А_2_четверть_журнал.pdf')}" in response.headers["Content-Disposition"]
    assert "Q2" not in response.headers["Content-Disposition"]
    assert deputy.get(f"/period/doc/{rendered[0]}/signed.pdf").status_code == 404  # not signed yet
    (event,) = [e for e in actions(archive) if e[0] == "document.downloaded"]
    assert event[1:4] == ("Иванова Татьяна Петровна", "web 127.0.0.1", rendered[0]) and event[4]["file"] == "print"


def test_a_backup_set_is_made_by_a_job_and_its_act_downloads(archive, login_as, rendered):
    deputy = login_as("deputy")
    assert "директор ещё не задал код доступа" in deputy.get(f"{PERIOD}/backup").get_data(as_text=True)
    refused = post(deputy, f"{PERIOD}/backup", {})  # no archive key yet: nothing can be sealed
    assert "job=" not in refused.headers["Location"]
    assert "ключ архива ещё не создан" in deputy.get(f"{PERIOD}/backup").get_data(as_text=True)
    key = with_archive_key(archive)
    form = deputy.get(f"{PERIOD}/backup").get_data(as_text=True)
    assert 'type="password"' not in form and key.fingerprint in form  # the deputy types no code at all
    job_id = job_of(post(deputy, f"{PERIOD}/backup", {}))
    job = wait_for(deputy, job_id)
    assert job["status"] == "done" and job["result"]["complete"], job
    assert KEY_CODE not in str(job)
    page = deputy.get(f"{PERIOD}/backup?job={job_id}").get_data(as_text=True)
    set_id = job["result"]["set_id"]
    assert "записана на оба носителя и проверена" in page and f"/period/backup/{set_id}/act.pdf" in page
    act = deputy.get(f"/period/backup/{set_id}/act.pdf")
    assert act.status_code == 200 and act.mimetype == "application/pdf" and act.data.startswith(b"%PDF-")
    assert [e[3] for e in actions(archive) if e[0] == "backup.act_printed"] == [set_id]
    board = deputy.get(PERIOD).get_data(as_text=True)
    assert "записана и проверена на 2 носителях" in board and "директор ещё не подтвердил получение" in board


@pytest.mark.parametrize("role", ["director", "secretary", "inspector", "admin"])
def test_other_roles_may_not_act_on_the_period(login_as, two_classes, role):
    client = login_as(role)
    for url, data in [(f"{PERIOD}/steps", {"step": "marks_checked", "all": "1"}), ("/period/upload", {}),
                      (f"{PERIOD}/copies", {}), (f"{PERIOD}/backup", {})]:
        assert post(client, url, data).status_code == 403, url


def test_the_director_and_the_secretary_read_the_board_without_buttons_and_others_may_not(login_as, two_classes):
    for role in ("director", "secretary"):
        page = login_as(role).get(PERIOD).get_data(as_text=True)
        assert "5А" in page and "Всем классам" not in page and "Изготовить копии" not in page
    assert "Отметить" not in page  # the default procedure has no step of the secretary's
    assert "Проверка журнала" not in page and "/preflight" not in page  # only the board is hers
    for role in ("inspector", "admin"):
        assert login_as(role).get(PERIOD).status_code == 403


def test_unknown_periods_and_documents_are_not_found(login_as, two_classes):
    deputy = login_as("deputy")
    for url in ("/period/2026-2027/Q3", "/period/2026/Q2", "/period/doc/nope", "/period/doc/nope/print.pdf"):
        assert deputy.get(url).status_code == 404, url


def visible_text(response) -> str:
    """What a person reads on the page: the text without tags, attributes and links."""
    page = response.get_data(as_text=True)
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))


def test_the_overview_names_the_periods_in_russian(archive, login_as, two_classes):
    year = snapshot(period={"kind": "year", "number": 1, "start": "2026-09-01", "end": "2027-05-26"})
    year["class"] = {**year["class"], "id": "c-5А", "name": "5А"}
    for subj in year["subjects"]:
        subj.pop("group", None)
        subj["lessons"] = []
        subj["period_marks"] = [{"student_id": s["id"], "period": "year", "value": 4} for s in year["students"]
                                if s["left_on"] is None]
    ingest_snapshot(archive.uow(), as_bytes(year), actor=Actor("test", "deputy"), now=NOW)
    response = login_as("deputy").get("/overview")
    text = visible_text(response)
    assert response.status_code == 200 and "II четверть" in text and "учебный год" in text
    assert not re.search(r"\b(Q[1-4]|H[12]|T[1-3]|year)\b", text), text
    assert text.index("II четверть") < text.index("учебный год")  # as the school year goes


def test_the_pre_flight_page_declines_the_names_and_agrees_with_a_girl(archive, login_as, two_classes):
    data = class_snapshot("5В")
    subject(data, "math")["period_marks"].pop(1)  # Борисова Мария Андреевна
    music = subject(data, "music")["period_marks"]
    music[[m["student_id"] for m in music].index("s2")]["value"] = "н/а"
    ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    text = visible_text(login_as("deputy").get(f"{PERIOD}/preflight"))
    assert "у ученицы Борисовой Марии Андреевны нет отметки за II четверть" in text
    assert "ученица Борисова Мария Андреевна не аттестована (н/а) за II четверть" in text
    assert "у ученика Борисова" not in text and "за Q2" not in text
