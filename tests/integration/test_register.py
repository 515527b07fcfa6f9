"""The register of copies: gapless numbers per year, even when people register at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import register
from builders import render_journals
from conftest import NOW

THE_DIRECTOR = Actor("director", "director")
CLERK = Actor("secretary", "secretary")

PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2026/2027»")
ON = dt.date(2027, 1, 15)


@pytest.fixture
def rendered(archive):
    return render_journals(archive, "АБВГДЕ", NOW)


def add(archive, document_id, *, paper_only=True):
    return register.register_document(archive.uow(), document_id, handed_over_by="Иванова Т. П.",
                                      accepted_by="Петрова А. С.", placement=PLACE, on=ON, paper_only=paper_only,
                                      actor=CLERK, now=NOW)


def test_entries_get_the_next_number_of_the_year_and_their_retention_end(archive, rendered):
    rows = [add(archive, doc) for doc in rendered[:3]]
    assert [(r.year, r.number) for r in rows] == [(2027, 1), (2027, 2), (2027, 3)]
    assert rows[0].retention_end == "2033-01-01"  # 2026/2027 closes 31.08.2027, + 5 years from 1 January
    assert rows[0].title == "Бумажная копия электронного классного журнала, 5А класс" and rows[0].sheets > 0


def test_a_refused_registration_leaves_no_gap(archive, rendered):
    add(archive, rendered[0])
    with pytest.raises(ArchiveError, match="уже внесён"):
        add(archive, rendered[0])
    assert add(archive, rendered[1]).number == 2


def test_an_unsigned_document_is_refused_unless_the_school_is_paper_only(archive, rendered):
    with pytest.raises(register.NotSigned, match="не подписан"):
        add(archive, rendered[0], paper_only=False)
    assert add(archive, rendered[0], paper_only=True).number == 1


def test_concurrent_registrations_get_distinct_consecutive_numbers(archive, rendered):
    numbers, errors = [], []

    def one(doc):
        try:
            numbers.append(add(archive, doc).number)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(doc,)) for doc in rendered]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(numbers) == list(range(1, len(rendered) + 1))
    assert [r.number for r in register.list_register(archive.uow(), 2027)] == list(range(1, len(rendered) + 1))


def test_the_schedule_is_a_setting_and_the_due_list_follows_the_1_january_rule(archive, rendered):
    register.set_rule(archive.uow(), "class_journal", case_index="02-15", actor=CLERK, now=NOW)
    assert add(archive, rendered[0]).case_index == "02-15"
    assert register.retention_due(archive.uow(), dt.date(2032, 12, 31)) == []
    (due,) = register.retention_due(archive.uow(), dt.date(2033, 1, 1))
    assert due.document_id == rendered[0]
    with pytest.raises(ArchiveError, match="не меньше года"):
        register.set_rule(archive.uow(), "class_journal", years=0, actor=CLERK, now=NOW)


def test_the_cli_registers_lists_and_reports_due_documents(archive, rendered, runner):
    rule = runner.invoke(args=["--as", "secretary", "retention", "rule", "class_journal", "--case-index", "02-15"])
    assert rule.exit_code == 0 and "5 лет; индекс дела 02-15" in rule.output
    refused = runner.invoke(args=["--as", "secretary",
                                  "register", "add", rendered[0], "--handed-over-by", "Иванова Т. П.",
                                  "--accepted-by", "Петрова А. С.", "--room", "5", "--cabinet", "2", "--folder", "1",
                                  "--date", "2027-01-15"])
    assert refused.exit_code == 1 and "не подписан" in refused.output
    added = runner.invoke(args=["--as", "secretary",
                                "register", "add", rendered[0], "--handed-over-by", "Иванова Т. П.",
                                "--accepted-by", "Петрова А. С.", "--room", "5", "--cabinet", "2", "--folder", "1",
                                "--date", "2027-01-15", "--paper-only"])
    assert added.exit_code == 0 and "Зарегистрирован №1/2027" in added.output
    listed = runner.invoke(args=["register", "list"]).output
    assert "02-15" in listed and "2026/2027, II четверть" in listed and "Q2" not in listed
    assert "С истёкшим сроком хранения: 0" in runner.invoke(args=["retention", "due", "--today", "2032-12-31"]).output
    assert "С истёкшим сроком хранения: 1" in runner.invoke(args=["retention", "due", "--today", "2033-01-01"]).output
    issued = runner.invoke(args=["--as", "secretary",
                                 "register", "issue", "1/2027", "--to", "инспектор", "--purpose", "проверка",
                                 "--date", "2027-03-05", "--return-by", "2027-03-19"])
    assert issued.exit_code == 0  # agrees with «дело»
    assert "Дело № 1/2027 выдано (инспектор), вернуть до 19.03.2027." in issued.output
    assert "выдан" in runner.invoke(args=["--as", "secretary",
                                          "register", "issue", "1/2027", "--to", "x", "--purpose", "y"]).output
    early = runner.invoke(args=["--as", "secretary",
                                "register", "return", "1/2027", "--by", "инспектор", "--date", "2027-03-04"])
    assert early.exit_code != 0 and "дата возврата 04.03.2027 раньше даты выдачи 05.03.2027" in early.output
    returned = runner.invoke(args=["--as", "secretary",
                                   "register", "return", "1/2027", "--by", "инспектор", "--date", "2027-03-10"])
    assert returned.exit_code == 0 and "Дело № 1/2027 возвращено в архив (инспектор)." in returned.output
    assert runner.invoke(args=["--as", "secretary", "retention", "hold", "1/2027", "--reason", "спор"]).exit_code == 0
    assert "ЗАПРЕТ УНИЧТОЖЕНИЯ: спор" in runner.invoke(args=["retention", "due", "--today", "2033-01-01"]).output
    assert "запрет снят" in runner.invoke(args=["--as", "secretary", "retention", "hold", "1/2027"]).output


def test_a_paper_file_is_issued_and_returned_and_the_register_shows_it(archive, rendered):
    add(archive, rendered[0])
    register.move_file(archive.uow(), 2027, 1, "issued", person="Смирнов П. П., инспектор", purpose="проверка",
                       on=dt.date(2027, 3, 1), return_by=dt.date(2027, 3, 15), actor=CLERK, now=NOW)
    assert register.list_register(archive.uow())[0].status == "issued"
    with pytest.raises(ArchiveError, match="выдан"):
        register.move_file(archive.uow(), 2027, 1, "issued", person="другой", purpose="", on=dt.date(2027, 3, 2),
                           return_by=dt.date(2027, 3, 16), actor=CLERK, now=NOW)
    register.move_file(archive.uow(), 2027, 1, "returned", person="Смирнов П. П., инспектор", purpose="",
                       on=dt.date(2027, 3, 10), actor=CLERK, now=NOW)
    assert register.list_register(archive.uow())[0].status == "in_archive"


def test_a_legal_hold_is_shown_on_the_due_list_until_released(archive, rendered):
    add(archive, rendered[0])
    register.place_hold(archive.uow(), 2027, 1, reason="проверка прокуратуры", on=dt.date(2032, 11, 1),
                        actor=THE_DIRECTOR, now=NOW)
    (due,) = register.retention_due(archive.uow(), dt.date(2033, 1, 1))
    assert due.hold == "проверка прокуратуры"
    register.release_hold(archive.uow(), 2027, 1, on=dt.date(2033, 2, 1), actor=THE_DIRECTOR, now=NOW)
    (due,) = register.retention_due(archive.uow(), dt.date(2033, 2, 2))
    assert due.hold is None


def test_the_register_prints_as_pdf_and_exports_csv_and_xlsx(archive, rendered, runner, tmp_path):
    import subprocess

    from openpyxl import load_workbook

    add(archive, rendered[0])
    add(archive, rendered[1])
    for name in ("r.pdf", "r.csv", "r.xlsx"):
        assert runner.invoke(args=["--as", "secretary",
                                   "register", "print", "--out", str(tmp_path / name)]).exit_code == 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Реестр бумажных копий" in text and "1/2027" in text and "2/2027" in text and "в архиве" in text
    assert "четверть" in text and "Q2" not in text  # periods in words on paper, never codes
    csv_text = (tmp_path / "r.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("№;Год;Индекс дела") and "5Б класс" in csv_text
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert sheet["A1"].value == "№" and sheet["A3"].value == 2 and sheet["N2"].value == "в архиве"
    bad = runner.invoke(args=["--as", "secretary", "register", "print", "--out", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2
