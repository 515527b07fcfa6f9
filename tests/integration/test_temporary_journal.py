"""Temporary journals (reference 001 §3.1–3.2) end to end: printed from a snapshot built for them
(maths on Monday and Tuesday, music on Wednesday, an English subgroup on Thursday), recorded as
issued, their data marked as moved back against the 2-working-day deadline, on the deputy head's
page and from the command line."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from builders import as_bytes, snapshot, subject
from conftest import NOW
from pdf_reading import PdfPages
from web_support import csrf_token

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import temporary_journals
from archive_service.services.ingest import ingest_snapshot

DEPUTY = Actor("Зайцева Ирина Павловна", "deputy")
D = dt.date
TODAY = D(2027, 1, 10)  # the day of the builders' NOW


def _snapshot() -> dict:
    """The builders' 5А (maths Mon/Tue, music Wed, English group 1 of s1 and s2 on Thursday), with a
    maths lesson moved once to a Friday and a subject with no lessons yet."""
    data = snapshot()
    maths = subject(data, "math")
    moved = copy.deepcopy(maths["lessons"][0])
    moved.update(id="m-moved", date="2026-11-27", marks=[], absences=[])
    maths["lessons"].append(moved)
    chess_teacher = {"id": "t9", "full_name": "Лавров Пётр Ильич"}
    data["subjects"].append({"id": "chess", "name": "Шахматы", "teacher": chess_teacher, "hours_per_week": 2,
                             "lessons": [], "period_marks": []})
    return data


@pytest.fixture
def stored(archive):
    ingest_snapshot(archive.uow(), as_bytes(_snapshot()), actor=Actor("test", "deputy"), now=NOW)


def _make(archive, start: D, end: D, class_name: str = "5а"):
    return temporary_journals.make_temporary_journal(archive.uow(), archive.settings.templates_dir, class_name,
                                                     start, end, actor=DEPUTY, now=NOW, today=TODAY)


def _pages(tmp_path, pdf: bytes) -> PdfPages:
    (tmp_path / "temporary.pdf").write_bytes(pdf)
    return PdfPages(tmp_path / "temporary.pdf")


def _sheet(pages: PdfPages, title: str) -> tuple[list[str], str]:
    """The date columns (in order, once each) and the text of the subject's sheet."""
    text = next(t for t in pages.texts[1:] if f" {title} Учитель:" in t)
    dates = [w for w in text.split() if re.fullmatch(r"\d{2}\.\d{2}", w)]
    return list(dict.fromkeys(dates)), text


def test_the_columns_follow_the_timetable_the_lessons_show_and_skip_the_holidays(archive, stored, tmp_path):
    row, pdf = _make(archive, D(2027, 1, 4), D(2027, 1, 15))
    pages = _pages(tmp_path, pdf)
    title = pages.texts[0]
    assert "ВРЕМЕННЫЙ ЖУРНАЛ" in title and "5А класс" in title and "с 04.01.2027 по 15.01.2027" in title
    assert "нет доступа к информационной системе электронного журнала" in title
    assert "«Сетевой город. Образование»" in title and "МБОУ «Средняя общеобразовательная школа № 21»" in title
    assert "07.01.2027 — Рождество Христово" in title
    # 4–8 January are the New Year holidays: maths on Monday and Tuesday, music on Wednesday, English on
    # Thursday of the second week only; the maths lesson moved once to a Friday is not the timetable
    maths, text = _sheet(pages, "Математика")
    assert maths == ["11.01", "12.01"] and "пн, вт" in text
    assert _sheet(pages, "Музыка")[0] == ["13.01"]
    english, text = _sheet(pages, "Иностранный язык (английский) — 1 группа")
    assert english == ["14.01"]
    assert "Алексеев Иван Петрович" in text and "Борисова Мария Андреевна" in text
    assert "Васильев" not in text, "not in the group"
    # the whole class: the pupil who came in November is there, the one who left in December is not
    assert "Васильев Олег Ильич" in _sheet(pages, "Математика")[1] and "Григорьева" not in " ".join(pages.texts)
    chess, text = _sheet(pages, "Шахматы")
    assert chess == [] and "не определено" in text and "Даты уроков вписываются от руки" in text
    for words in ("Тема урока", "Домашнее задание", "Подпись учителя", "«н» (отсутствовал)"):
        assert words in text
    assert row.class_name == "5А" and row.state == "due" and row.deadline == "2027-01-19"


def test_a_transferred_day_off_gets_no_column(archive, stored, tmp_path):
    _, pdf = _make(archive, D(2027, 2, 15), D(2027, 2, 26))
    pages = _pages(tmp_path, pdf)
    assert _sheet(pages, "Математика")[0] == ["15.02", "16.02"]  # 22 (moved day off) and 23 February are off
    assert _sheet(pages, "Музыка")[0] == ["17.02", "24.02"]


def test_nothing_is_recorded_for_a_class_without_a_snapshot_or_a_bad_range(archive, stored):
    with pytest.raises(NotFoundError, match="нет снимка журнала 7Б класса"):
        _make(archive, D(2027, 1, 11), D(2027, 1, 15), class_name="7Б")
    with pytest.raises(ArchiveError, match="дата окончания раньше даты начала"):
        _make(archive, D(2027, 1, 15), D(2027, 1, 11))
    assert temporary_journals.list_temporary_journals(archive.uow(), D(2027, 1, 10)) == []


def test_the_move_back_is_recorded_against_its_deadline_and_audited(archive, stored):
    first, _ = _make(archive, D(2027, 1, 11), D(2027, 1, 15))
    second, _ = _make(archive, D(2027, 1, 18), D(2027, 1, 22))
    listed = {r.id: r for r in temporary_journals.list_temporary_journals(archive.uow(), D(2027, 1, 20))}
    assert listed[first.id].state_words == "просрочено (срок 19.01.2027)"
    assert listed[second.id].state_words == "срок 26.01.2027"
    with pytest.raises(ArchiveError, match="ещё не наступила"):
        temporary_journals.record_moved_back(archive.uow(), first.id, D(2027, 1, 21), restored_on=None, actor=DEPUTY,
                                             now=NOW, today=D(2027, 1, 20))
    with pytest.raises(ArchiveError, match="раньше, чем восстановился доступ"):
        temporary_journals.record_moved_back(archive.uow(), first.id, D(2027, 1, 18), restored_on=D(2027, 1, 19),
                                             actor=DEPUTY, now=NOW, today=D(2027, 1, 20))
    # access returned on Monday 18 January: the deadline moves to Wednesday 20, and the data went back on the 20th
    row = temporary_journals.record_moved_back(archive.uow(), first.id, D(2027, 1, 20), restored_on=D(2027, 1, 18),
                                               actor=DEPUTY, now=NOW, today=D(2027, 1, 20))
    assert (row.state, row.state_words, row.deadline, row.moved_back_by) == (
        "moved", "перенесено 20.01.2027", "2027-01-20", DEPUTY.person)
    with archive.uow() as uow:
        events = [(e.action, e.actor, e.object_id) for e in uow.audit.entries() if e.object_type == "temporary_journal"]
    assert events == [("temporary_journal.issued", DEPUTY.person, str(first.id)),
                      ("temporary_journal.issued", DEPUTY.person, str(second.id)),
                      ("temporary_journal.moved_back", DEPUTY.person, str(first.id))]


def test_the_deputy_prints_and_marks_on_the_page(archive, stored, login_as):
    client = login_as("deputy")
    token = csrf_token(client, "/temporary-journals")
    assert "Временных журналов ещё не выдавалось" in client.get("/temporary-journals").get_data(as_text=True)
    printed = client.post("/temporary-journals", data={"csrf_token": token, "class_name": "5А", "from": "2026-12-21",
                                                       "to": "2026-12-25"})
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert printed.data.startswith(b"%PDF")
    refused = client.post("/temporary-journals", data={"csrf_token": token, "class_name": "5А", "from": "",
                                                       "to": "2027-01-15"}, follow_redirects=True)
    assert "Временный журнал не напечатан: укажите первый день" in refused.get_data(as_text=True)
    page = client.get("/temporary-journals").get_data(as_text=True)
    # the app's clock stands on 10 January 2027: access taken to return on Saturday 26 December, due by the 29th
    assert "5А" in page and "21.12.2026 – 25.12.2026" in page and "просрочено (срок 29.12.2026)" in page
    (row,) = temporary_journals.list_temporary_journals(archive.uow(), D(2027, 1, 10))
    marked = client.post(f"/temporary-journals/{row.id}/moved-back",
                         data={"csrf_token": token, "moved_back_on": "2027-01-10", "restored_on": "2027-01-08"},
                         follow_redirects=True).get_data(as_text=True)
    # access returned on Friday 8 January (a holiday): due by Tuesday 12, moved back on the 10th
    assert "Временный журнал 5А класса: перенесено 10.01.2027." in marked
    assert "отметил(а)" in marked and "Отметить перенос" not in marked


def test_the_command_prints_the_journal_as_a_named_account(app, archive, stored, runner, tmp_path):
    out = tmp_path / "5А.pdf"
    args = ["temporary-journal", "--class", "5А", "--from", "2027-01-12", "--to", "2027-01-16", "--out", str(out)]
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0 and "--as" in refused.output and not out.exists()
    result = runner.invoke(args=["--as", "deputy", *args])
    assert result.exit_code == 0, result.output
    assert "Временный журнал № 1: 5А класс, 12.01.2027–16.01.2027" in result.output and out.read_bytes()[:4] == b"%PDF"
    pages = _pages(tmp_path, out.read_bytes())
    assert _sheet(pages, "Математика")[0] == ["12.01"]  # Monday 11 is outside the range, Saturday 16 not taught
    listed = runner.invoke(args=["temporary-journals", "list"])
    assert "№ 1    5А   12.01.2027–16.01.2027" in listed.output and "срок 19.01.2027" in listed.output
    early = runner.invoke(args=["--as", "deputy", "temporary-journals", "moved-back", "1", "--on", "2027-01-10"])
    assert early.exit_code == 1 and "перенос не записан: дата переноса раньше начала временного журнала" in early.output
    _make(archive, D(2026, 12, 21), D(2026, 12, 25))
    moved = runner.invoke(args=["--as", "deputy", "temporary-journals", "moved-back", "2", "--on", "2027-01-10",
                                "--restored", "2027-01-08"])
    assert moved.exit_code == 0 and "Временный журнал № 2 (5А): перенесено 10.01.2027." in moved.output
